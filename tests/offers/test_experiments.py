"""A/B tests between two offer variants and Thompson-sampling bandits: assignment, significance, allocation."""

import datetime as dt
import random

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from members.models import Tier
from offers.experiments import A, B, ab_report, bandit_report, minimum_sample, offers_to_show, thompson_pick, two_proportions, variant
from offers.models import Campaign, Offer, OfferClaim
from recommendations.models import Click, Impression
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def offer(slug, **fields):
    return Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary="x", category="fare_sale", live=True, **fields)


@pytest.fixture
def ab_test(db):
    return Campaign.objects.create(name="Lounge copy test", slug="lounge-copy", kind="ab_test", slot="offers",
                                   starts_on=TODAY - dt.timedelta(days=14), variant_a=offer("lounge-plain"),
                                   variant_b=offer("lounge-bold"), baseline_ctr_percent=4, minimum_detectable_effect_percent=4)


@pytest.fixture
def bandit(db):
    campaign = Campaign.objects.create(name="Summer bandit", slug="summer-bandit", kind="bandit", slot="offers",
                                       starts_on=TODAY - dt.timedelta(days=14))
    campaign.arms.set([offer("summer-good"), offer("summer-poor")])
    return campaign


def members_of(campaign, per_variant):
    """Member ids (saved) assigned to A and to B, `per_variant` of each."""
    groups, member_id = {A: [], B: []}, 100_000  # clear of the members the test made before
    while min(len(g) for g in groups.values()) < per_variant:
        member_id += 1
        target = groups[variant(campaign, member_id)]
        if len(target) < per_variant:
            target.append(member_id)
    for m in groups[A] + groups[B]:
        MemberFactory.build(pk=m, email=f"m{m}@example.com").save()
    return groups


def seed_slot(slug, member_ids, days, clicks):
    """Each member sees the offer once a day for `days` days; `clicks` of those impressions are clicked."""
    shown = [(m, TODAY - dt.timedelta(days=d)) for d in range(days) for m in member_ids]
    Impression.objects.bulk_create(Impression(member_id=m, slot="offers", kind="offer", ref=slug, day=day) for m, day in shown)
    Click.objects.bulk_create(Click(member_id=m, slot="offers", kind="offer", ref=slug, day=day) for m, day in shown[:clicks])


def seed_ab(campaign, per_variant, days, clicks_a, clicks_b):
    groups = members_of(campaign, per_variant)
    seed_slot(campaign.variant_a.slug, groups[A], days, clicks_a)
    seed_slot(campaign.variant_b.slug, groups[B], days, clicks_b)
    return groups


def test_variant_assignment_is_stable_and_splits_members_in_half(ab_test):
    variants = [variant(ab_test, m) for m in range(1, 2001)]
    assert 0.46 <= variants.count(A) / len(variants) <= 0.54
    assert variants == [variant(ab_test, m) for m in range(1, 2001)]


def test_minimum_sample_follows_the_documented_formula():
    assert minimum_sample(0.05, 0.05) == 435  # 5 % → 10 %: the textbook 435 per group (power 80 %, alpha 5 %)
    assert minimum_sample(0.10, 0.02) == 3841
    assert minimum_sample(0.04, 0.04) == 553
    assert minimum_sample(0.04, 0.02) > minimum_sample(0.04, 0.04)  # a smaller effect needs more members


def test_two_proportion_test_on_known_counts():
    result = two_proportions(60, 1500, 120, 1500)
    assert result.difference == pytest.approx(0.04)
    assert result.low == pytest.approx(0.0231, abs=1e-4) and result.high == pytest.approx(0.0569, abs=1e-4)
    assert result.p_value == pytest.approx(3.98e-6, rel=0.01)
    assert two_proportions(90, 1500, 90, 1500).p_value == pytest.approx(1.0)
    assert two_proportions(5, 0, 5, 100).p_value is None


def test_a_known_difference_is_significant_once_the_minimum_sample_is_reached(ab_test):
    """A clicks 4 % of 1,500 impressions, B 8 %: B wins, and the interval holds the true 4 points."""
    seed_ab(ab_test, per_variant=150, days=10, clicks_a=60, clicks_b=120)
    OfferClaim.objects.create(offer=ab_test.variant_b, member_id=Impression.objects.filter(ref="lounge-bold").first().member_id)
    OfferClaim.objects.create(offer=ab_test.variant_b, member=MemberFactory())  # never saw it in the slot: not counted
    report = ab_report(ab_test)
    arm_a, arm_b = report["arms"]
    assert (arm_a.members, arm_a.impressions, arm_a.clicks) == (150, 1500, 60)
    assert (arm_b.members, arm_b.impressions, arm_b.clicks, arm_b.claims) == (150, 1500, 120, 1)
    assert report["minimum_sample"] == 553
    assert report["verdict"] == "significant" and report["winner"] is arm_b
    assert report["ctr"].p_value < 0.001 and report["ctr"].low < 0.04 < report["ctr"].high


def test_equal_click_rates_are_not_significant(ab_test):
    seed_ab(ab_test, per_variant=150, days=10, clicks_a=90, clicks_b=90)
    report = ab_report(ab_test)
    assert report["verdict"] == "no_difference" and report["winner"] is None
    assert report["ctr"].low < 0 < report["ctr"].high


def test_no_winner_is_named_below_the_minimum_sample(ab_test):
    """Even 8 % against 4 % is "not significant yet" with 150 impressions a variant (553 needed)."""
    seed_ab(ab_test, per_variant=30, days=5, clicks_a=6, clicks_b=12)
    report = ab_report(ab_test)
    assert report["verdict"] == "too_early" and report["winner"] is None


def test_the_offers_slot_shows_each_member_only_their_variant(ab_test):
    from cms.slots import offers_for_you

    gold = Tier.objects.get(code="gold")
    members = [MemberFactory(tier=gold) for _ in range(12)]
    for member in members:
        refs = {i.ref for i in offers_for_you(member, TODAY, personal=False)}
        mine, other = (("lounge-plain", "lounge-bold") if variant(ab_test, member.pk) == A else ("lounge-bold", "lounge-plain"))
        assert mine in refs and other not in refs
    assert {variant(ab_test, m.pk) for m in members} == {A, B}


def test_an_ab_test_does_not_hold_members_out(ab_test):
    from offers.campaigns import holds_out

    assert not any(holds_out(MemberFactory(), "offers", TODAY) for _ in range(20))


def test_thompson_sampling_gives_the_better_arm_the_clear_majority():
    """Simulated run, true click rates 10 % and 2 %, 3,000 impressions, seeded."""
    rng, truth = random.Random(42), {"good": 0.10, "poor": 0.02}
    counts = {arm: [0, 0] for arm in truth}  # clicks, impressions
    for _ in range(3000):
        arm = thompson_pick([(a, c, n) for a, (c, n) in counts.items()], rng)
        counts[arm][1] += 1
        counts[arm][0] += rng.random() < truth[arm]
    assert counts["good"][1] / 3000 > 0.85
    assert thompson_pick([("good", 1, 10), ("poor", 1, 10)], random.Random(7)) == thompson_pick(
        [("good", 1, 10), ("poor", 1, 10)], random.Random(7))  # deterministic for a seed


def test_the_bandit_shows_one_arm_and_favours_the_better_record(bandit):
    members = [MemberFactory() for _ in range(40)]
    seed_slot("summer-good", [m.pk for m in members], days=5, clicks=20)  # 10 % of 200
    seed_slot("summer-poor", [m.pk for m in members], days=5, clicks=4)  # 2 % of 200
    eligible = list(Offer.objects.filter(slug__in=["summer-good", "summer-poor"]))
    rng = random.Random(1)
    shown = [[o.slug for o in offers_to_show(members[0], eligible, TODAY, rng)] for _ in range(200)]
    assert all(len(s) == 1 for s in shown)
    assert sum(s == ["summer-good"] for s in shown) > 180


def test_the_bandit_reads_its_counts_once_a_minute_not_on_every_render(bandit, django_assert_num_queries):
    members = [MemberFactory() for _ in range(10)]
    seed_slot("summer-good", [m.pk for m in members], days=2, clicks=5)
    eligible = list(Offer.objects.filter(slug__in=["summer-good", "summer-poor"]))
    offers_to_show(members[0], eligible, TODAY, random.Random(1))  # counts now cached

    with django_assert_num_queries(2):  # the running campaigns and their arms; no GROUP BY over impressions
        offers_to_show(members[1], eligible, TODAY, random.Random(2))


def test_the_bandit_never_shows_an_arm_the_member_is_not_eligible_for(bandit):
    from cms.slots import offers_for_you

    platinum_only = Offer.objects.get(slug="summer-good")
    platinum_only.tiers.add(Tier.objects.get(code="platinum"))
    members = [MemberFactory(tier=Tier.objects.get(code="gold")) for _ in range(20)]
    seed_slot("summer-good", [m.pk for m in members], days=3, clicks=30)  # by far the best record
    for member in members[:5]:
        refs = [i.ref for i in offers_for_you(member, TODAY, personal=False)]
        assert "summer-good" not in refs and "summer-poor" in refs


def test_the_bandit_report_shows_shares_and_credible_intervals(bandit):
    members = [MemberFactory() for _ in range(30)]
    seed_slot("summer-good", [m.pk for m in members], days=3, clicks=9)  # 90 impressions
    seed_slot("summer-poor", [m.pk for m in members[:10]], days=1, clicks=0)  # 10 impressions
    good, poor = sorted(bandit_report(bandit)["arms"], key=lambda a: a.offer.slug)
    assert good.share == pytest.approx(0.9) and poor.share == pytest.approx(0.1)
    mean, low, high = good.posterior
    assert mean == pytest.approx(10 / 92) and low < 0.1 < high and 0.04 < low and high < 0.2


@pytest.fixture
def manager_client(client):
    manager = MemberFactory(email="priya@example.com", is_staff=True)
    manager.groups.add(Group.objects.get(name="Loyalty managers"))
    client.force_login(manager)
    return client


def test_the_ab_report_page_says_not_significant_yet(manager_client, ab_test):
    seed_ab(ab_test, per_variant=10, days=2, clicks_a=1, clicks_b=2)
    page = manager_client.get(reverse("campaign_report", args=[ab_test.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>The two variants</caption>" in html and "Not significant yet" in html and "553 impressions" in html


def test_the_bandit_report_page_renders(manager_client, bandit):
    page = manager_client.get(reverse("campaign_report", args=[bandit.pk]))
    assert page.status_code == 200 and "95 % credible interval" in page.content.decode()


def test_the_campaign_form_refuses_an_incomplete_experiment(manager_client, ab_test):
    data = {"name": "Bandit", "slug": "b", "kind": "bandit", "slot": "offers", "starts_on": TODAY.isoformat(),
            "holdout_percent": 10, "baseline_ctr_percent": 5, "minimum_detectable_effect_percent": 2,
            "arms": [ab_test.variant_a.pk]}
    page = manager_client.post(reverse("campaigns:add"), data)
    assert page.status_code == 200 and "at least two offers" in page.content.decode()
    page = manager_client.post(reverse("campaigns:add"), {**data, "kind": "ab_test", "slug": "ab", "arms": [],
                                                          "variant_a": ab_test.variant_a.pk, "variant_b": ab_test.variant_a.pk})
    assert "different offer from variant A" in page.content.decode()
    page = manager_client.post(reverse("campaigns:add"), {**data, "slot": "news", "arms": [ab_test.variant_a.pk, ab_test.variant_b.pk]})
    assert "pick the “Offers for you” slot" in page.content.decode()
    assert not Campaign.objects.filter(slug__in=["b", "ab"]).exists()
    page = manager_client.post(reverse("campaigns:add"), {**data, "arms": [ab_test.variant_a.pk, ab_test.variant_b.pk]})
    assert page.status_code == 302 and Campaign.objects.get(slug="b").arms.count() == 2
