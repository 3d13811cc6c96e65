"""Hold-out assignment and the lift report (A/B tests and bandits: offers/experiments.py): how a loyalty manager knows personalization earns its keep.

Assignment: `sha256(campaign slug + member id)` read as a number in [0, 1); below the
hold-out share → hold-out. The same member always lands in the same group of a
campaign, in every process, with nothing stored.

Lift: the personalized group's click-through rate over the hold-out's, minus one, with a
95 % confidence interval for the ratio of two proportions (log method: the standard error
of log(p1/p2) is sqrt((1-p1)/x1 + (1-p2)/x2), where x are the clicks). Claims are
counted the same way per member. An interval that contains 0 means "not shown yet".
"""

import hashlib
import math
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count

HOLDOUT, PERSONALIZED = "holdout", "personalized"
Z95 = 1.959964


def bucket(campaign_slug, member_id):
    digest = hashlib.sha256(f"{campaign_slug}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def group(campaign, member_id):
    return HOLDOUT if bucket(campaign.slug, member_id) < campaign.holdout_percent / 100 else PERSONALIZED


def holds_out(member, slot, on):
    """Is the member in the hold-out of a running campaign that covers `slot` (or of the global one)?"""
    from offers.models import Campaign

    running = Campaign.objects.running(on).filter(kind=Campaign.Kind.HOLDOUT, slot__in=[slot, Campaign.Slot.ALL])
    return any(group(c, member.pk) == HOLDOUT for c in running)


class Rates:
    """Click-through and claim rate of anything with members, impressions, clicks and claims."""

    @property
    def ctr(self):
        return self.clicks / self.impressions if self.impressions else 0.0

    @property
    def claim_rate(self):
        return self.claims / self.members if self.members else 0.0


@dataclass
class GroupFigures(Rates):
    members: int = 0
    impressions: int = 0
    clicks: int = 0
    claims: int = 0


@dataclass
class Lift:
    value: float | None
    low: float | None
    high: float | None


def ratio_lift(x1, n1, x2, n2):
    """Lift of proportion x1/n1 over x2/n2, with its 95 % interval; None where a group has no events."""
    if not (x1 and x2 and n1 and n2):
        return Lift(None, None, None)
    p1, p2 = x1 / n1, x2 / n2
    se = math.sqrt((1 - p1) / x1 + (1 - p2) / x2)
    ratio = p1 / p2
    return Lift(ratio - 1, ratio * math.exp(-Z95 * se) - 1, ratio * math.exp(Z95 * se) - 1)


def report(campaign):
    """Per group: members reached, impressions, clicks, claims in the campaign's period and slot."""
    from offers.models import OfferClaim

    # Impressions and clicks belong to recommendations, above offers: read through the app registry, not imported.
    Impression, Click = apps.get_model("recommendations", "Impression"), apps.get_model("recommendations", "Click")
    period = {"day__gte": campaign.starts_on}
    if campaign.ends_on:
        period["day__lte"] = campaign.ends_on
    slot_filter = {} if campaign.slot == campaign.Slot.ALL else {"slot": campaign.slot}
    figures = {PERSONALIZED: GroupFigures(), HOLDOUT: GroupFigures()}
    per_member = Impression.objects.filter(**period, **slot_filter).values("member_id").annotate(n=Count("pk"))
    for row in per_member.iterator():
        g = figures[group(campaign, row["member_id"])]
        g.members += 1
        g.impressions += row["n"]
    for row in Click.objects.filter(**period, **slot_filter).values("member_id").annotate(n=Count("pk")).iterator():
        figures[group(campaign, row["member_id"])].clicks += row["n"]
    claims = OfferClaim.objects.filter(claimed_at__date__gte=campaign.starts_on)
    if campaign.ends_on:
        claims = claims.filter(claimed_at__date__lte=campaign.ends_on)
    for row in claims.values("member_id").annotate(n=Count("pk")).iterator():
        figures[group(campaign, row["member_id"])].claims += row["n"]
    p, h = figures[PERSONALIZED], figures[HOLDOUT]
    return {
        "groups": figures,
        "ctr_lift": ratio_lift(p.clicks, p.impressions, h.clicks, h.impressions),
        "claim_lift": ratio_lift(p.claims, p.members, h.claims, h.members),
    }
