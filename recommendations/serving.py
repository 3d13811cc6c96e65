"""Serving: a member's best items of one kind, with a one-line reason each, in milliseconds.

Warm path: two cache reads (the active version's pointer, the member's precomputed
top-N across all kinds), then the kind's eligibility rule. Cold path (the member's list
is not in the cache): the active version's artifact, loaded once per process, scores
the member and the list is written back. Nothing here raises to the page: no model, a
member the model does not know (cold start), a member who does not allow
personalization, a cache or Redis that fails, a broken artifact — all end in the
fallback: the most popular items near the member's home airport, marked `is_fallback`.
"""

import logging
import time
from datetime import timedelta
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from recommendations.eligibility import eligible_refs
from recommendations.member_state import allows, load_state, member_state, state_key
from recommendations.training.matrix import RANK_EVENT

log = logging.getLogger(__name__)

ACTIVE_KEY = "active-version"
ACTIVE_POINTER_SECONDS = 60  # other processes notice a new active version within a minute
POPULAR_SECONDS = 600
# The strongest thing the member did with the item, as a whole sentence per event so each
# language can word it its own way; lazy, so it speaks the language of the page serving it.
BECAUSE = {
    "search": gettext_lazy("Because you searched %(item)s"),
    "view": gettext_lazy("Because you looked at %(item)s"),
    "click": gettext_lazy("Because you opened %(item)s"),
    "save": gettext_lazy("Because you saved %(item)s"),
    "claim": gettext_lazy("Because you claimed %(item)s"),
    "book": gettext_lazy("Because you booked %(item)s"),
}
_models = {}  # version id → ServingModel, per process
_popular = {}  # (kind, home) → (expires, [(ref, score)]), the no-model fallback


@dataclass(frozen=True)
class Recommendation:
    kind: str
    ref: str
    explanation: str
    score: float
    source: str  # als, blend, history, popularity
    is_fallback: bool = False
    version_id: int | None = None

    @property
    def label(self):
        return label(self.kind, self.ref)


def label(kind, ref):
    return ref.replace("-", "→") if kind == "route" else ref


def _cache():
    return caches[settings.RECOMMENDER_CACHE]


def member_key(version_id, member_id):
    return f"v{version_id}:m{member_id}"


def forget_active_version():
    try:
        _cache().delete(ACTIVE_KEY)
    except Exception:  # noqa: BLE001 - the pointer expires by itself
        log.warning("recommender: could not clear the active-version pointer", exc_info=True)


def active_version():
    """(id, serving) of the active version, from the cache or the database; None when none."""
    try:
        pointer = _cache().get(ACTIVE_KEY)
        if pointer is not None:
            return pointer or None
    except Exception:  # noqa: BLE001 - Redis down: ask the database
        log.warning("recommender: cache unavailable for the active pointer", exc_info=True)
    pointer = _active_in_database()
    try:
        _cache().set(ACTIVE_KEY, pointer, ACTIVE_POINTER_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return pointer or None


def _active_in_database():
    from recommendations.models import ModelVersion

    row = ModelVersion.objects.filter(is_active=True).values_list("pk", "serving").first()
    return tuple(row) if row else ()


def serving_model(version_id):
    model = _models.get(version_id)
    if model is None:
        from recommendations.artifacts import ServingModel
        from recommendations.models import ModelVersion

        _models.clear()  # one version per process at a time
        model = _models[version_id] = ServingModel.load(ModelVersion.objects.get(pk=version_id))
    return model


def forget_models():
    _models.clear()
    _popular.clear()


def precompute(version, *, batch=2048, progress=None):
    """Write every member's top-N of `version` to the cache (before it is activated)."""
    model = serving_model(version.pk)
    cache = _cache()
    n = settings.RECOMMENDER_TOP_N
    timeout = settings.RECOMMENDER_CACHE_TIMEOUT
    total = len(model.member_ids)
    for start in range(0, total, batch):
        rows = range(start, min(start + batch, total))
        entries = model.entries(list(rows), n)
        cache.set_many({member_key(version.pk, int(model.member_ids[r])): e for r, e in zip(rows, entries)}, timeout)
        if progress:
            progress(min(start + batch, total), total)
    return total


def _personal_entries(version_id, member):
    key = member_key(version_id, member.pk)
    try:
        entries = _cache().get(key)
        if entries is not None:
            return entries
    except Exception:  # noqa: BLE001 - cache down: compute from the artifact
        log.warning("recommender: cache unavailable, scoring from the artifact", exc_info=True)
    model = serving_model(version_id)
    row = model.row_of(member.pk)
    entries = model.entries([row], settings.RECOMMENDER_TOP_N)[0] if row is not None else []
    try:
        _cache().set(key, entries, settings.RECOMMENDER_CACHE_TIMEOUT)
    except Exception:  # noqa: BLE001
        pass
    return entries


def _explain(kind, entry, source):
    _key, _score, own, anchor, anchor_event = entry
    if own:
        return str(BECAUSE[RANK_EVENT[own]] % {"item": label(kind, entry[0].split(":", 1)[1])})
    if anchor:
        anchor_kind, anchor_ref = anchor.split(":", 1)
        return str(BECAUSE.get(RANK_EVENT.get(anchor_event, ""), BECAUSE["view"]) % {"item": label(anchor_kind, anchor_ref)})
    if source == "popularity":
        return gettext("Popular with members flying from your home airport")
    return gettext("Chosen for you from what members with similar trips do")


def serve(member, kind, n=10):
    """Up to `n` items of `kind` for `member`, best first, each with a one-line explanation. Never raises."""
    try:
        if not getattr(member, "is_authenticated", False):
            return fallback(member, kind, n)
        pointer, state = _pointer_and_state(member)
        if not pointer or not allows(member, state):
            return fallback(member, kind, n, state=state, pointer=pointer)
        version_id, source = pointer
        prefix = f"{kind}:"
        entries = [e for e in _personal_entries(version_id, member) if e[0].startswith(prefix)]
        refs = eligible_refs(member, kind, [e[0][len(prefix):] for e in entries])
        allowed = set(refs) - dismissed_refs(member, kind, state)
        picked = [
            Recommendation(kind, e[0][len(prefix):], _explain(kind, e, source), e[1], source, False, version_id)
            for e in entries if e[0][len(prefix):] in allowed
        ][:n]
        if len(picked) < n:  # cold-start member, or too few eligible items: fill from popularity
            seen = {r.ref for r in picked}
            picked += [r for r in fallback(member, kind, n, state=state, pointer=pointer) if r.ref not in seen][: n - len(picked)]
        return picked
    except Exception:  # noqa: BLE001 - never to the page
        log.exception("recommender: serving failed for member %s, serving the fallback", getattr(member, "pk", None))
        return fallback(member, kind, n)


def _pointer_and_state(member):
    """The active pointer and the member's state (member_state.py) in one cache round trip."""
    key = state_key(member.pk)
    try:
        found = _cache().get_many([ACTIVE_KEY, key])
    except Exception:  # noqa: BLE001 - Redis down: the database answers both
        log.warning("recommender: cache unavailable for the pointer and member state", exc_info=True)
        return _active_in_database() or None, load_state(member)
    pointer = found.get(ACTIVE_KEY)
    return (pointer or None) if pointer is not None else active_version(), member_state(member, found.get(key), read=False)


def dismissed_refs(member, kind, state=None):
    """What the member said "not interested" to: the cached member state, memoised per visit."""
    from offers.segments.visit import visit_of

    visit = visit_of(member)
    key = ("dismissed_refs", kind)
    if visit is not None and key in visit.memo:
        return visit.memo[key]
    refs = set((state or member_state(member))["dismissed"].get(kind, ()))
    if visit is not None:
        visit.memo[key] = refs
    return refs


def fallback(member, kind, n=10, *, state=None, pointer=None):
    """The non-personal list: most popular items of `kind` near the member's home airport. Never raises.

    `state`, `pointer`: what serve() already read (member_state.py, the active version), not read again.
    """
    home = getattr(member, "home_airport", "") or ""
    try:
        ranked = _popular_near(kind, home, pointer)
        if getattr(member, "pk", None):
            dismissed = dismissed_refs(member, kind, state)
            refs = [ref for ref in eligible_refs(member, kind, [ref for ref, _ in ranked]) if ref not in dismissed]
        else:
            refs = [r for r, _ in ranked]
        scores = dict(ranked)
        why = gettext("Popular with members flying from %(airport)s") % {"airport": home} if home else gettext("Popular with members of Wayfare")
        return [
            Recommendation(kind, ref, why, scores[ref], "popularity", True)
            for ref in refs[:n]
        ]
    except Exception:  # noqa: BLE001
        log.exception("recommender: the fallback failed too; serving nothing")
        return []


def _popular_near(kind, home, pointer=None):
    """Popularity in the active version's artifact; without one, counted in the database (cached 10 min)."""
    prefix = f"{kind}:"
    try:
        pointer = pointer or active_version()
        if pointer:
            model = serving_model(pointer[0])
            return [(k[len(prefix):], s) for k, s in model.popular_for_group(home, len(model.item_keys)) if k.startswith(prefix)]
    except Exception:  # noqa: BLE001 - fall through to counting
        log.warning("recommender: no artifact for the fallback, counting in the database", exc_info=True)
    cached = _popular.get((kind, home))
    if cached and cached[0] > time.monotonic():
        return cached[1]
    from members.models import ActivityEvent

    events = ActivityEvent.objects.filter(kind=kind, occurred_at__gte=timezone.now() - timedelta(days=365))
    if home:
        events = events.filter(member__home_airport=home)
    rows = events.order_by().values("ref").annotate(members=Count("member", distinct=True)).order_by("-members", "ref")[:100]
    ranked = [(row["ref"], float(row["members"])) for row in rows]
    _popular[(kind, home)] = (time.monotonic() + POPULAR_SECONDS, ranked)
    return ranked
