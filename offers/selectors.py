"""Reads that span apps: which offers a member (or a visitor) may see now."""

from django.db.models import Count, Prefetch, Q
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


def eligible_offers(*, member, at=None, visit=None):
    """Live offers whose targeting includes `member`, best priority first, each with `claimed` (by them).

    Targeting: tiers, home airports, interests, and segments (evaluated once each for this
    visit); then the budget and its pacing. `member` may be an unsaved stand-in (preview).
    """
    at = at or timezone.now()
    visit = _visit(member, visit, at)
    offers = (
        Offer.objects.live_at(at)
        .filter(Q(tiers__isnull=True) | Q(tiers__code=member.tier_id))
        .distinct()
        .prefetch_related("tiers")
        .order_by("-priority", "-pk")
    )
    if member.pk:
        offers = offers.annotate(claimed=Count("claims", filter=Q(claims__member=member)))
    offers = list(_with_segments(offers))
    Segment.prime({s.pk: s for o in offers if o.targets_member(member) for s in o.segments.all()}.values(), visit)
    result = []
    for offer in offers:
        if not member.pk:
            offer.claimed = 0
        if offer.targets(member, visit) and offer.within_budget(at):
            result.append(offer)
    return result


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
