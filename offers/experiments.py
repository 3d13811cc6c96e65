"""A/B tests between two offer variants and Thompson-sampling bandits: who sees which offer, and the reports.

The one place that decides which campaign offer a member sees (`offers_to_show`); the offers
slot hands it the offers the member is eligible for and shows only what comes back, so a
campaign narrows eligibility and never widens it.

A/B assignment: the hold-out's hash (`campaigns.bucket`, sha256 of slug and member id) below
0.5 → variant A, else B. Stable across requests and processes, nothing stored.

Significance (clicks per impression, and claims per member): the difference p_B − p_A with a
95 % Wald interval, sqrt(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B), and a two-proportion z-test with the
pooled rate. No winner is named before each variant has the minimum sample:

    n = (z_{1−α/2}·sqrt(2·p̄(1−p̄)) + z_{1−β}·sqrt(p₁(1−p₁) + p₂(1−p₂)))² / (p₂ − p₁)²

with p₁ the expected click-through of A, p₂ = p₁ + the smallest difference worth detecting,
p̄ = (p₁ + p₂)/2, α = 5 % (two-sided, z = 1.96) and power 1 − β = 80 % (z = 0.8416).

Bandit: per request, each eligible arm draws from Beta(1 + clicks, 1 + impressions − clicks)
of the campaign's period in the offers slot; the highest draw is shown, the other arms are not.
The counts behind the draws are read once a minute per campaign (`BANDIT_COUNTS_SECONDS`, in
the cache) rather than aggregated on every dashboard: a posterior over thousands of
impressions does not move in a minute, and the report always counts afresh.

Impressions and clicks belong to `recommendations`, above us: like the lift report, they are
read through the app registry (`apps.get_model`), never imported, and always aggregated in
the database (GROUP BY offer), never counted in a Python loop.
"""

import math
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef

from offers.campaigns import Rates, bucket

A, B = "A", "B"
Z_ALPHA, Z_POWER = 1.959964, 0.841621  # two-sided 5 %, power 80 %
SLOT = "offers"
BANDIT_COUNTS_SECONDS = 60
_rng = random.Random()


def variant(campaign, member_id):
    return A if bucket(campaign.slug, member_id) < 0.5 else B


def minimum_sample(baseline, effect, z_alpha=Z_ALPHA, z_power=Z_POWER):
    """Impressions each variant needs to detect `effect` (absolute) over `baseline` (both as fractions)."""
    p1, p2 = baseline, baseline + effect
    mean = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top**2 / effect**2)


@dataclass
class Comparison:
    """p_B − p_A, its 95 % interval and the two-sided p-value; None where a variant has no sample."""

    difference: float | None = None
    low: float | None = None
    high: float | None = None
    p_value: float | None = None

    @property
    def points(self):
        """The difference and its interval in percentage points, for the report."""
        return tuple(None if v is None else v * 100 for v in (self.difference, self.low, self.high))


def two_proportions(x_a, n_a, x_b, n_b):
    if not (n_a and n_b):
        return Comparison()
    p_a, p_b = x_a / n_a, x_b / n_b
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    pooled = (x_a + x_b) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p_value = math.erfc(abs(p_b - p_a) / se0 / math.sqrt(2)) if se0 else 1.0
    return Comparison(p_b - p_a, p_b - p_a - Z_ALPHA * se, p_b - p_a + Z_ALPHA * se, p_value)


@dataclass
class Arm(Rates):
    """One offer of an experiment, with what the offers slot recorded for it in the campaign's period."""

    label: str
    offer: object
    members: int = 0
    impressions: int = 0
    clicks: int = 0
    claims: int = 0
    share: float = 0.0
    posterior: tuple = field(default=(0.0, 0.0, 0.0))  # mean, 2.5 %, 97.5 %

    @property
    def percents(self):
        """CTR, claim rate, share and the posterior (mean, low, high) in %, for the report."""
        return {"ctr": self.ctr * 100, "claim_rate": self.claim_rate * 100, "share": self.share * 100,
                "mean": self.posterior[0] * 100, "low": self.posterior[1] * 100, "high": self.posterior[2] * 100}


def _period(campaign, prefix="day"):
    period = {f"{prefix}__gte": campaign.starts_on}
    if campaign.ends_on:
        period[f"{prefix}__lte"] = campaign.ends_on
    return period


def event_counts(campaign, offers, with_claims=True):
    """{slug: (members, impressions, clicks, claims)} for the offers slot in the campaign's period: three GROUP BY queries.

    Claims count only members who saw the offer in the slot during the period (a member of
    variant B claiming A from the offers page is not A's conversion).
    """
    from offers.models import OfferClaim

    impression_model, click_model = apps.get_model("recommendations", "Impression"), apps.get_model("recommendations", "Click")
    slugs = [o.slug for o in offers]
    where = {"slot": SLOT, "kind": "offer", "ref__in": slugs, **_period(campaign)}
    counts = {slug: [0, 0, 0, 0] for slug in slugs}
    for row in impression_model.objects.filter(**where).values("ref").annotate(
            members=Count("member_id", distinct=True), n=Count("pk")):
        counts[row["ref"]][0:2] = [row["members"], row["n"]]
    for row in click_model.objects.filter(**where).values("ref").annotate(n=Count("pk")):
        counts[row["ref"]][2] = row["n"]
    if not with_claims:
        return {slug: tuple(c) for slug, c in counts.items()}
    seen = impression_model.objects.filter(member_id=OuterRef("member_id"), ref=OuterRef("offer__slug"), slot=SLOT,
                                           kind="offer", **_period(campaign))
    claims = OfferClaim.objects.filter(offer__in=[o.pk for o in offers], **_period(campaign, "claimed_at__date"))
    for row in claims.filter(Exists(seen)).values("offer__slug").annotate(n=Count("pk")):
        counts[row["offer__slug"]][3] = row["n"]
    return {slug: tuple(c) for slug, c in counts.items()}


def _arms(campaign):
    from offers.models import Campaign

    if campaign.kind == Campaign.Kind.AB_TEST:
        return [(A, campaign.variant_a), (B, campaign.variant_b)]
    return [(o.title, o) for o in campaign.arms.order_by("title", "pk")]


def ab_report(campaign):
    """Both variants' figures, the differences with interval and p-value, and the verdict."""
    (_, offer_a), (_, offer_b) = _arms(campaign)
    counts = event_counts(campaign, [offer_a, offer_b])
    arm_a, arm_b = (Arm(label, offer, *counts[offer.slug]) for label, offer in ((A, offer_a), (B, offer_b)))
    needed = minimum_sample(float(campaign.baseline_ctr_percent) / 100, float(campaign.minimum_detectable_effect_percent) / 100)
    ctr = two_proportions(arm_a.clicks, arm_a.impressions, arm_b.clicks, arm_b.impressions)
    claims = two_proportions(arm_a.claims, arm_a.members, arm_b.claims, arm_b.members)
    reached = min(arm_a.impressions, arm_b.impressions) >= needed
    if not reached:
        verdict, winner = "too_early", None
    elif ctr.p_value is not None and ctr.p_value < 0.05:
        verdict, winner = "significant", (arm_b if ctr.difference > 0 else arm_a)
    else:
        verdict, winner = "no_difference", None
    return {"arms": [arm_a, arm_b], "ctr": ctr, "claims": claims, "minimum_sample": needed,
            "verdict": verdict, "winner": winner}


def posterior(clicks, impressions):
    """Mean and 95 % credible interval of Beta(1 + clicks, 1 + impressions − clicks)."""
    from scipy.special import betaincinv

    a, b = 1 + clicks, 1 + impressions - clicks
    return a / (a + b), float(betaincinv(a, b, 0.025)), float(betaincinv(a, b, 0.975))


def bandit_report(campaign):
    """Each arm's share of the slot's impressions and its posterior click-through."""
    arms = _arms(campaign)
    counts = event_counts(campaign, [offer for _, offer in arms])
    result = [Arm(label, offer, *counts[offer.slug]) for label, offer in arms]
    total = sum(arm.impressions for arm in result)
    for arm in result:
        arm.share = arm.impressions / total if total else 0.0
        arm.posterior = posterior(arm.clicks, arm.impressions)
    return {"arms": result, "impressions": total}


def bandit_counts(campaign, offers):
    """`event_counts` without claims, cached for BANDIT_COUNTS_SECONDS per campaign and set of arms."""
    key = f"bandit-counts:{campaign.pk}:{','.join(sorted(o.slug for o in offers))}"
    counts = cache.get(key)
    if counts is None:
        counts = event_counts(campaign, offers, with_claims=False)
        cache.set(key, counts, BANDIT_COUNTS_SECONDS)
    return counts


def thompson_pick(arms, rng=None):
    """The key of the arm with the highest draw; `arms` is [(key, clicks, impressions)]."""
    rng = rng or _rng
    return max(arms, key=lambda arm: rng.betavariate(1 + arm[1], 1 + arm[2] - arm[1]))[0]


def running_campaigns(on):
    """The A/B tests and bandits of the offers slot running on `on`, with their variants and arms loaded.

    The same for every member (cms caches it per day); read-only for the caller.
    """
    from offers.models import Campaign

    return list(Campaign.objects.running(on).filter(slot=SLOT, kind__in=[Campaign.Kind.AB_TEST, Campaign.Kind.BANDIT])
                .select_related("variant_a", "variant_b").prefetch_related("arms"))


def offers_to_show(member, offers, on, rng=None, campaigns=None):
    """`offers` (those the member is eligible for) less the campaign offers this member is not to see.

    A/B test: the other variant goes. Bandit: among the arms in `offers`, only the drawn one stays.
    An offer the member is not eligible for is never added: a campaign only removes.
    `campaigns`: `running_campaigns(on)` when the caller keeps it.
    """
    from offers.models import Campaign

    campaigns = running_campaigns(on) if campaigns is None else campaigns
    if not campaigns:
        return offers
    hidden = set()
    by_slug = {o.slug: o for o in offers}
    for campaign in campaigns:
        if campaign.kind == Campaign.Kind.AB_TEST:
            if campaign.variant_a_id and campaign.variant_b_id:
                hidden.add((campaign.variant_b if variant(campaign, member.pk) == A else campaign.variant_a).slug)
            continue
        candidates = [o for o in campaign.arms.all() if o.slug in by_slug and o.slug not in hidden]
        if len(candidates) < 2:
            continue
        counts = bandit_counts(campaign, candidates)
        chosen = thompson_pick([(o.slug, counts[o.slug][2], counts[o.slug][1]) for o in candidates], rng)
        hidden.update(o.slug for o in candidates if o.slug != chosen)
    return [o for o in offers if o.slug not in hidden]
