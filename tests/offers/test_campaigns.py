"""Hold-out campaigns: a stable split, the non-personal order for the hold-out, and a lift report."""

import datetime as dt

import pytest
from django.utils import timezone

from members.models import Tier
from offers.campaigns import HOLDOUT, PERSONALIZED, group, holds_out, ratio_lift, report
from offers.models import Campaign, Offer
from recommendations.models import Click, Impression
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="Winter offers", slug="winter-offers", slot="offers",
                                   starts_on=timezone.localdate() - dt.timedelta(days=7), holdout_percent=10)


def test_assignment_is_stable_and_about_the_share_asked_for(campaign):
    groups = [group(campaign, member_id) for member_id in range(1, 2001)]
    share = groups.count(HOLDOUT) / len(groups)
    assert 0.08 <= share <= 0.12
    assert groups == [group(campaign, member_id) for member_id in range(1, 2001)]
    other = Campaign(name="Other", slug="other", starts_on=campaign.starts_on, holdout_percent=10)
    assert [group(other, m) for m in range(1, 2001)] != groups  # each campaign draws its own hold-out


def test_a_held_out_member_gets_the_non_personal_order(client, campaign, eager_tasks):
    from cms.slots import offers_for_you

    held = next(m for m in (MemberFactory(tier=Tier.objects.get(code="gold")) for _ in range(60))
                if group(campaign, m.pk) == HOLDOUT)
    assert holds_out(held, "offers", timezone.localdate())
    Offer.objects.create(title="Low priority", slug="low", summary="x", category="fare_sale", live=True, priority=10)
    Offer.objects.create(title="High priority", slug="high", summary="x", category="fare_sale", live=True, priority=90)
    items = offers_for_you(held, timezone.localdate(), personal=False)
    assert [i.ref for i in items] == ["high", "low"] and not any(i.personal for i in items)
    client.force_login(held)
    client.get("/")
    assert set(Impression.objects.filter(member=held, slot="offers").values_list("personal", flat=True)) == {False}


def test_the_lift_report_finds_a_known_lift(campaign):
    """Seeded scenario: personalized members click 8 % of impressions, hold-out members 4 %: lift +100 %."""
    today = timezone.localdate()
    personalized, held = [], []
    member_id = 0
    while len(personalized) < 300 or len(held) < 300:
        member_id += 1
        target = held if group(campaign, member_id) == HOLDOUT else personalized
        if len(target) < 300:
            target.append(member_id)
    members = {m: MemberFactory.build(pk=m) for m in personalized + held}
    for member in members.values():
        member.save()
    impressions, clicks = [], []
    for member_id in personalized + held:  # 25 impressions each: 7,500 per group
        impressions += [Impression(member_id=member_id, slot="offers", kind="offer", ref=f"o{item}", day=today) for item in range(25)]
    Impression.objects.bulk_create(impressions)
    for ids, total in ((personalized, 600), (held, 300)):  # 7,500 impressions each: 8 % and 4 %
        for k in range(total):
            member_id = ids[k % len(ids)]
            clicks.append(Click(member_id=member_id, slot="offers", kind="offer", ref=f"o{k // len(ids)}", day=today))
    Click.objects.bulk_create(clicks)
    figures = report(campaign)
    p, h = figures["groups"][PERSONALIZED], figures["groups"][HOLDOUT]
    assert (p.members, p.impressions, p.clicks) == (300, 7500, 600)
    assert (h.members, h.impressions, h.clicks) == (300, 7500, 300)
    lift = figures["ctr_lift"]
    assert lift.value == pytest.approx(1.0)
    assert lift.low < 1.0 < lift.high and lift.low > 0.5  # clearly positive, and the interval holds the truth


def test_no_lift_is_claimed_without_events_in_both_groups():
    assert ratio_lift(10, 100, 0, 100).value is None
