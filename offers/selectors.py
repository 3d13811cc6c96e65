"""Reads that span apps: which offers a member may see now."""

from django.db.models import Count, Q
from django.utils import timezone

from offers.models import Offer


def eligible_offers(*, member, at=None):
    """Live offers whose targeting includes `member`, best priority first, each with `claimed` (by them)."""
    at = at or timezone.now()
    offers = (
        Offer.objects.live_at(at)
        .filter(Q(tiers__isnull=True) | Q(tiers__code=member.tier_id))
        .distinct()
        .prefetch_related("tiers")
        .annotate(claimed=Count("claims", filter=Q(claims__member=member)))
        .order_by("-priority", "-pk")
    )
    return [offer for offer in offers if offer.targets(member)]


def public_offers(*, at=None):
    """What a visitor sees: live offers that target nobody in particular."""
    return list(Offer.objects.live_at(at).filter(tiers__isnull=True, home_airports="", interests=[]).order_by("-priority", "-pk"))


def eligible_offer_refs(member, refs):
    """Of the offer slugs `refs`, those the member may be shown now: live, targeted at them, not claimed to their limit."""
    return {offer.slug for offer in eligible_offers(member=member) if offer.slug in set(refs) and offer.claimed < offer.claim_limit}
