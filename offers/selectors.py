"""Reads that span apps: which offers a member (or a visitor) may see now."""

import copy

from django.db.models import Count, Prefetch, Q, Value
from django.utils import timezone

from offers.models import Offer, Segment
from offers.segments.visit import Visit


def _with_segments(offers):
    return offers.prefetch_related(Prefetch("segments", queryset=Segment.objects.prefetch_related("rules")))


def _visit(member, visit, at):
    if visit is None:
        return Visit(member=member, at=at)
    if visit.at is None and at is not None:
        visit.at = at
    return visit


def offer_candidates(tier_id):
    """The published offers open to a tier (untargeted or aimed at it), best priority first, with their tiers,
    segments and segment rules loaded: what `eligible_offers` narrows per member.

    The same for every member of the tier, so a caller may keep it (cms caches it per tier, invalidated when an
    offer, a segment or a tier changes). It reads no clock and no counter: liveness at a moment, claims and
    budget are checked per member against the database (`eligible_offers`). Treat it as read-only.
    """
    offers = (Offer.objects.filter(live=True).filter(Q(tiers__isnull=True) | Q(tiers__code=tier_id))
              .distinct().prefetch_related("tiers").order_by("-priority", "-pk"))
    return list(_with_segments(offers))


def eligible_offers(*, member, at=None, visit=None, candidates=None):
    """Live offers whose targeting includes `member`, best priority first, each with `claimed` (by them).

    Targeting: tiers, home airports, interests, and segments (evaluated once each for this
    visit); then the budget and its pacing. `member` may be an unsaved stand-in (preview).
    `candidates`: `offer_candidates(member.tier_id)` when the caller keeps it; it is never changed here.
    One query either way re-reads, per member and at `at`, what changes without a save (liveness in
    time, claims so far, the member's own claims), so a shared candidate list is never stale on those.
    """
    at = at or timezone.now()
    visit = _visit(member, visit, at)
    if candidates is None:
        candidates = offer_candidates(member.tier_id)
    candidates = [o for o in candidates if o.targets_member(member)]
    if not candidates:
        return []
    current = Offer.objects.live_at(at).filter(pk__in=[o.pk for o in candidates])
    if member.pk:
        current = current.annotate(claimed=Count("claims", filter=Q(claims__member=member)))
    else:
        current = current.annotate(claimed=Value(0))
    counters = {pk: (claims_count, claimed) for pk, claims_count, claimed in current.values_list("pk", "claims_count", "claimed")}
    offers = []
    for candidate in candidates:
        if candidate.pk in counters:
            offer = copy.copy(candidate)  # the member's own copy: the shared one stays as it was
            offer._prefetched_objects_cache = dict(getattr(candidate, "_prefetched_objects_cache", {}))  # translations are added per reader
            offer.claims_count, offer.claimed = counters[candidate.pk]
            if offer.within_budget(at):  # before the segments: no member rule is tested for an offer out of budget
                offers.append(offer)
    Segment.prime({s.pk: s for o in offers for s in o.segments.all()}.values(), visit)
    return [offer for offer in offers if offer.targets(member, visit)]


def public_offers(*, at=None, visit=None):
    """What a visitor sees: live offers for no tier, airport or interest, whose segments (if any) take this visit."""
    at = at or timezone.now()
    visit = _visit(None, visit, at)
    offers = Offer.objects.live_at(at).filter(tiers__isnull=True, home_airports="", interests=[]).order_by("-priority", "-pk")
    return [offer for offer in _with_segments(offers)
            if offer.within_budget(at) and (not offer.segments.all() or any(s.matches(visit) for s in offer.segments.all()))]


def eligible_offer_refs(member, refs, visit=None):
    """Of the offer slugs `refs`, those the member may be shown now: live, targeted at them, not claimed to their limit."""
    wanted = set(refs)
    return {offer.slug for offer in eligible_offers(member=member, visit=visit)
            if offer.slug in wanted and offer.claimed < offer.claim_limit}


def offer_frequency_caps(offers):
    """{slug: (cap, days)} for the offers with a frequency cap (days: 1 for a day, 7 for a week)."""
    return {o.slug: (o.frequency_cap, 7 if o.frequency_period == Offer.FrequencyPeriod.WEEK else 1)
            for o in offers if o.frequency_cap}
