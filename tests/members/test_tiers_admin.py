"""The tier programme in the Wagtail admin: who may edit, what-if before saving, audit trail."""

from datetime import date, datetime, timezone

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.loyalty.ledger import post_points
from members.loyalty.tiers import recalculate_tiers, today, what_if
from members.models import Member, Tier, TierChange
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loyalty_manager(db):
    """Priya, in the Loyalty managers group."""
    manager = MemberFactory(email="priya@example.com", first_name="Priya", is_staff=True)
    manager.groups.add(Group.objects.get(name="Loyalty managers"))
    return manager


def members_with_points(*points):
    day = today()
    for n, p in enumerate(points):
        m = MemberFactory(email=f"flyer{n}@example.com")
        post_points(member=m, source_key="partner", kind="partner", miles=p, loyalty_points=p,
                    occurred_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def form_data(tier, **changes):
    fields = ["name", "name_zh_hant", "qualifying_points", "earning_bonus_percent", "fare_discount_percent", "upgrade_window_hours", "lifetime_flown_miles",
              "benefits", "colour", "text_colour"]
    data = {f: "" if getattr(tier, f) is None else getattr(tier, f) for f in fields}
    return {**data, **changes}


def edit_url(tier):
    return reverse("tiers:edit", args=[tier.pk])


def test_an_editor_cannot_change_a_tier(client, editor):
    gold = Tier.objects.get(code="gold")
    client.force_login(editor)

    assert client.get(edit_url(gold)).status_code == 302
    client.post(edit_url(gold), form_data(gold, qualifying_points=1000))

    assert Tier.objects.get(code="gold").qualifying_points == 40_000
    assert not TierChange.objects.exists()


def test_a_loyalty_manager_changes_a_threshold_and_the_audit_names_her(client, loyalty_manager):
    gold = Tier.objects.get(code="gold")
    client.force_login(loyalty_manager)
    assert client.get(reverse("tiers:index")).status_code == 200

    response = client.post(edit_url(gold), form_data(gold, qualifying_points=45_000))

    assert response.status_code == 302
    assert Tier.objects.get(code="gold").qualifying_points == 45_000
    change = TierChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "qualifying_points", "40000", "45000", loyalty_manager)
    listing = client.get(reverse("tier_changes:index"))
    assert listing.status_code == 200 and "45000" in listing.content.decode()


def test_preview_shows_the_impact_without_saving(client, loyalty_manager):
    members_with_points(36_000, 39_000, 41_000)
    gold = Tier.objects.get(code="gold")
    client.force_login(loyalty_manager)

    response = client.post(edit_url(gold), {**form_data(gold, qualifying_points=35_000), "preview-impact": "1"})

    assert response.status_code == 200
    assert 'data-up="gold">3<' in response.content.decode()
    assert Tier.objects.get(code="gold").qualifying_points == 40_000
    assert not TierChange.objects.exists()


def test_what_if_equals_what_the_recalculation_then_does():
    members_with_points(10_000, 39_999, 40_000, 74_000, 76_000, 130_000, 210_000)
    recalculate_tiers()  # members now hold what they earned under the saved thresholds
    changes = {"gold": {"qualifying_points": 39_000}, "platinum": {"qualifying_points": 80_000}}

    impact = {row.code: row for row in what_if(changes=changes)}
    for code, values in changes.items():
        Tier.objects.filter(code=code).update(**values)
    upgrades = recalculate_tiers().upgrades
    downgrades = recalculate_tiers(year_end_review=True).downgrades

    assert {c: r.moving_up_into for c, r in impact.items() if r.moving_up_into} == dict(upgrades) == {"gold": 1}
    assert {c: r.moving_down_at_review for c, r in impact.items() if r.moving_down_at_review} == dict(downgrades) == {
        "platinum": 1}
    assert impact["gold"].after_recalculation == 3 and impact["gold"].members_now == 2
    assert Member.objects.filter(tier="gold").count() == 4  # 39,999 · 40,000 · 74,000, and 76,000 after the review
