"""Which items a member may be shown, per item kind: rules as data.

`ELIGIBILITY` maps an item kind to a function

    def eligible(member, refs: list[str]) -> set[str]

that returns the refs of `refs` the member may see now (one query for the whole list,
never one per item). `serve()` applies it to the precomputed list at request time, so
an offer that expired after training is never shown. A kind without a rule serves
nothing (fail closed).

Hook for the apps that own other kinds: `offers` (special offers: live, not expired,
targeting, claim limit, budget; plus, here, each offer's frequency cap, which reads the
impressions this app records) and the news pages each provide such a function and it is
registered here, in `ELIGIBILITY` (recommendations may import offers; offers must not
import recommendations). An app above recommendations (`cms`) calls
`register_eligibility(kind, function)` in its `AppConfig.ready()`.
"""

import datetime as dt
import time

from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from offers.segments.visit import visit_of
from offers.selectors import eligible_offers, offer_frequency_caps

ROUTES_TTL_SECONDS = 300
_routes = {"loaded_at": 0.0, "by_origin": {}, "all": set()}


def _route_refs():
    """Routes by origin, kept in process memory for five minutes (the timetable rarely moves)."""
    if time.monotonic() - _routes["loaded_at"] > ROUTES_TTL_SECONDS:
        from offers.models import Route

        by_origin = {}
        for origin, ref in Route.objects.annotate(ref_text=Concat("origin_id", Value("-"), "destination_id")).values_list("origin_id", "ref_text"):
            by_origin.setdefault(origin, set()).add(ref)
        _routes.update(loaded_at=time.monotonic(), by_origin=by_origin, all=set().union(*by_origin.values()) if by_origin else set())
    return _routes


def forget_routes():
    _routes["loaded_at"] = 0.0


def routes_flown_from_home(member, refs):
    """Routes the airline flies from the member's home airport (any route when none is set)."""
    routes = _route_refs()
    allowed = routes["by_origin"].get(member.home_airport, set()) if member.home_airport else routes["all"]
    return {ref for ref in refs if ref in allowed}


def over_frequency_cap(member, offers, today=None):
    """Slugs of `offers` the member has already been shown their cap's number of times this day or week.

    An impression is a `recommendations.Impression` row (one per slot × item × day); a week is
    the last 7 days, today included. One query for all the capped offers; none when no offer has a cap.
    """
    caps = offer_frequency_caps(offers)
    if not caps or not getattr(member, "pk", None):
        return set()
    from recommendations.models import Impression

    today = today or timezone.localdate()
    seen = {}
    for ref, day in Impression.objects.filter(member=member, kind="offer", ref__in=list(caps),
                                              day__gt=today - dt.timedelta(days=7), day__lte=today).values_list("ref", "day"):
        cap, days = caps[ref]
        if day > today - dt.timedelta(days=days):
            seen[ref] = seen.get(ref, 0) + 1
    return {ref for ref, count in seen.items() if count >= caps[ref][0]}


def offers_to_serve(member, at=None, visit=None, candidates=None):
    """Eligible offers the member has not claimed to their limit, without those at their frequency cap.

    With a visit (a request's), worked out once per visit: the offers slot and the recommender ask alike.
    `candidates`: the tier's `offers.selectors.offer_candidates`, when the caller keeps them (cms does, per tier).
    """
    if visit is not None and visit.at is None:
        visit.at = timezone.now()  # pin the visit's moment (eligible_offers would), so every later ask hits the memo
    if at is None and visit is not None:
        at = visit.at  # a preview's date
    key = ("offers_to_serve", at)
    if visit is not None and key in visit.memo:
        return visit.memo[key]
    offers = [o for o in eligible_offers(member=member, at=at, visit=visit, candidates=candidates) if o.claimed < o.claim_limit]
    capped = over_frequency_cap(member, offers, timezone.localdate(at) if at else None)
    offers = [o for o in offers if o.slug not in capped]
    if visit is not None:
        visit.memo[key] = offers
    return offers


def servable_offer_refs(member, refs):
    """The offer rule of `ELIGIBILITY`: eligible, not claimed to the limit, under the frequency cap."""
    wanted = set(refs)
    return {o.slug for o in offers_to_serve(member, visit=visit_of(member)) if o.slug in wanted}


ELIGIBILITY = {
    "route": routes_flown_from_home,
    "offer": servable_offer_refs,
    # "news": …  — registered by the CMS
}


def register_eligibility(kind, function):
    ELIGIBILITY[kind] = function


def eligible_refs(member, kind, refs):
    rule = ELIGIBILITY.get(kind)
    if rule is None or not refs:
        return []
    allowed = rule(member, list(refs))
    return [ref for ref in refs if ref in allowed]
