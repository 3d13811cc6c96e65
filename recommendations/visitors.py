"""Visitors: what an anonymous visitor looks at, recommendations from it, and their history at sign-in.

- `VisitorActivityMiddleware` (portal/settings.py MIDDLEWARE, after authentication) turns
  requests into activity: for every request it tells `members.services.record_activity`
  the User-Agent (`request_context`), so known bots and crawlers are never recorded as a
  member's activity; and for an anonymous visitor (not a bot) whose request succeeded it
  keeps what they looked at for the browser session — a flight search between two airport
  codes of a route flown (`route`, `search`) or an offer page (`offer`, `view`): the last
  `SESSION_VISITS` items in a signed, HttpOnly browser-session cookie (`COOKIE`), a reload
  not counted again. No database query or row per visitor (the session table is untouched).
  Which pages count is data (`VISITED_PAGES`).
- `serve_visitor(request, kind, n)` (also `recommendations.serve_visitor`): items of `kind`
  most similar to what the visitor looked at, by cosine between the active version's ALS
  item factors (each look weighted by its event weight and halved every
  `RECOMMENDER_HALF_LIFE_DAYS`), with the reason ("Because you searched JFK→MIA"); routes
  the airline flies and offers open to everyone only. No visits, no model or an error →
  the non-personal fallback. A signed-in member gets `serve()`.
- At sign-in (`user_logged_in`, which allauth sends through Django's `login`), the
  session's visits are recorded as the member's activity through `record_activity`, so
  the analytics consent and the bot rule apply exactly as for a member's own clicks (no
  consent: nothing joins), each with an event id derived from its content, so a repeated
  sign-in adds nothing twice; the sign-in response deletes the cookie. The new events then
  refresh the member's list (freshness).
"""

import json
import logging
import uuid
from datetime import datetime, timezone as dt_timezone

import numpy as np
from django.conf import settings
from django.utils import timezone

from members.services import is_known_bot, request_context

log = logging.getLogger(__name__)

COOKIE = "wayfare_looks"  # signed, HttpOnly, gone when the browser closes: no database row per visitor
SALT = "recommendations.visitors"
SESSION_VISITS = 20
NAMESPACE = uuid.UUID("0b5cbb0e-8e0c-4d9b-a3a4-52c7a8d2c3f1")


def _flight_search(request):
    """A search between two airport codes of a route the airline flies (no query: routes are kept in memory)."""
    from recommendations.eligibility import _route_refs

    ref = f"{request.GET.get('origin', '')}-{request.GET.get('destination', '')}".strip().upper()
    return ("route", ref, "search") if len(ref) == 7 and ref in _route_refs()["all"] else None


def _offer_page(request):
    slug = request.resolver_match.kwargs.get("slug")
    return ("offer", slug, "view") if slug else None


# URL name → what a successful GET of that page means (kind, ref, event), or None.
VISITED_PAGES = {
    "offers:flight_search": _flight_search,
    "offer:detail": _offer_page,
}


def visits_of(request):
    """The visitor's looks from their signed browser-session cookie: [[kind, ref, event, iso time], …]."""
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
        visits = json.loads(value) if value else []
    except (ValueError, TypeError):
        return []
    return [v for v in visits if isinstance(v, list) and len(v) == 4 and all(isinstance(p, str) for p in v)]


def remember(request, response, kind, ref, event, at=None):
    """Add one look (newest last, at most SESSION_VISITS); a reload adds nothing and writes nothing."""
    visits = visits_of(request)
    if visits and visits[-1][:3] == [kind, ref, event]:
        return
    visits = (visits + [[kind, ref, event, (at or timezone.now()).isoformat()]])[-SESSION_VISITS:]
    response.set_signed_cookie(COOKIE, json.dumps(visits, separators=(",", ":")), salt=SALT, httponly=True,
                               samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


class VisitorActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        with request_context(user_agent=user_agent):
            response = self.get_response(request)
        try:
            if getattr(request, "_recommender_visits_joined", False):
                response.delete_cookie(COOKIE, samesite="Lax")  # they joined the member's history at sign-in
            elif (request.method == "GET" and response.status_code == 200 and not is_known_bot(user_agent)
                    and not getattr(getattr(request, "user", None), "is_authenticated", True)):
                match = getattr(request, "resolver_match", None)
                page = VISITED_PAGES.get(match.view_name if match else "")
                item = page(request) if page else None
                if item:
                    remember(request, response, *item)
        except Exception:  # noqa: BLE001 - remembering a visit never breaks a page
            log.warning("recommender: could not remember a visitor's look", exc_info=True)
        return response


def _visitor_eligible(kind, refs):
    """What a visitor may be shown: routes the airline flies, offers open to everyone; other kinds as for a stand-in."""
    from members.models import Member
    from recommendations.eligibility import _route_refs, eligible_refs

    if kind == "route":
        allowed = _route_refs()["all"]
        return [r for r in refs if r in allowed]
    if kind == "offer":
        from offers.selectors import public_offers

        allowed = {o.slug for o in public_offers()}
        return [r for r in refs if r in allowed]
    return eligible_refs(Member(home_airport=""), kind, refs)


def session_recommendations(visits, kind, n=10):
    """Up to `n` items of `kind` like the `visits` ([kind, ref, event, iso time]); [] when the model knows none."""
    from recommendations.serving import BECAUSE, Recommendation, active_version, label, serving_model

    pointer = active_version()
    if not pointer or not visits:
        return []
    version_id, _serving = pointer
    model = serving_model(version_id)
    weights_by_event = settings.RECOMMENDER_EVENT_WEIGHTS
    now = timezone.now()
    looked = {}  # item index → [weight, strongest event]
    for v_kind, ref, event, when in visits:
        key = f"{v_kind}:{ref}"
        index = int(np.searchsorted(model.item_keys, key))
        if index >= len(model.item_keys) or model.item_keys[index] != key:
            continue
        age_days = max((now - datetime.fromisoformat(when)).total_seconds() / 86400, 0.0)
        weight = float(weights_by_event.get(event, 0.0)) * 0.5 ** (age_days / settings.RECOMMENDER_HALF_LIFE_DAYS)
        entry = looked.setdefault(index, [0.0, event])
        entry[0] += weight
        if weights_by_event.get(event, 0) > weights_by_event.get(entry[1], 0):
            entry[1] = event
    looked = {i: w for i, w in looked.items() if w[0] > 0}
    if not looked:
        return []
    indices = np.array(sorted(looked))
    unit = model.unit_item_factors
    similarity = unit @ unit[indices].T  # items × looked-at items
    scores = similarity @ np.array([looked[i][0] for i in indices])
    prefix = f"{kind}:"
    candidates = [i for i in np.argsort(-scores, kind="stable") if str(model.item_keys[i]).startswith(prefix)]
    refs = _visitor_eligible(kind, [str(model.item_keys[i])[len(prefix):] for i in candidates[: n * 4]])
    by_ref = {str(model.item_keys[i])[len(prefix):]: i for i in candidates[: n * 4]}
    picked = []
    for ref in refs[:n]:
        item = by_ref[ref]
        anchor = item if item in looked else int(indices[int(np.argmax(similarity[item]))])
        anchor_kind, anchor_ref = str(model.item_keys[anchor]).split(":", 1)
        why = str(BECAUSE[looked[anchor][1]] % {"item": label(anchor_kind, anchor_ref)})
        picked.append(Recommendation(kind, ref, why, round(float(scores[item]), 5), "session", False, version_id))
    return picked


def serve_visitor(request, kind, n=10):
    """For a page: a member's `serve()`, a visitor's session recommendations, else the fallback. Never raises."""
    from recommendations.serving import fallback, serve

    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        return serve(user, kind, n)
    try:
        picked = session_recommendations(visits_of(request), kind, n)
    except Exception:  # noqa: BLE001 - never to the page
        log.exception("recommender: session recommendations failed, serving the fallback")
        picked = []
    if len(picked) < n:
        seen = {r.ref for r in picked}
        picked += [r for r in fallback(user, kind, n + len(seen)) if r.ref not in seen][: n - len(picked)]
    return picked


def on_sign_in(sender, request, user, **kwargs):
    """`user_logged_in`: the session's visits become the member's activity (consent and bot rules apply)."""
    from members.services import record_activity

    if request is None or getattr(user, "_meta", None) is None or user._meta.label != "members.Member":
        return
    visits = visits_of(request)
    request._recommender_visits_joined = bool(visits)
    for visit in visits:
        try:
            kind, ref, event, when = visit
            occurred_at = datetime.fromisoformat(when)
            if timezone.is_naive(occurred_at):
                occurred_at = occurred_at.replace(tzinfo=dt_timezone.utc)
            record_activity(member=user, kind=kind, ref=ref, event=event, occurred_at=occurred_at,
                            event_id=uuid.uuid5(NAMESPACE, f"{user.pk}|{kind}|{ref}|{event}|{when}"))
        except Exception:  # noqa: BLE001 - a malformed visit never blocks a sign-in
            log.warning("recommender: could not join a visit to member %s's history", user.pk, exc_info=True)
