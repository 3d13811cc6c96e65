"""A loyalty manager signs in to the admin (with her second factor), lowers Gold's threshold, sees the
what-if numbers before saving, saves, runs the recalculation, and sees the result on the dashboard
and in the tier history. Screenshots at desktop and phone widths (artifacts/screenshots/)."""

import time
from datetime import datetime, timezone

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from members.loyalty.ledger import post_points
from members.loyalty.tiers import recalculate_tiers, today
from members.models import Member, Tier, TierChange
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, MemberFactory, activate_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# What migrations 0002/0006/0010 grant the group; a transactional test before this one may have flushed them.
MANAGER_PERMISSIONS = ("wagtailadmin.access_admin", "members.view_tier", "members.change_tier", "members.view_tierchange",
                       "members.view_tierhistory", "members.view_customervalue")


def loyalty_manager(email="priya@example.com"):
    """Priya, in the Loyalty managers group (made again if flushed), with a TOTP authenticator; returns (her, secret)."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name="Loyalty managers")
    for label in MANAGER_PERMISSIONS:
        app_label, codename = label.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    manager = MemberFactory(email=email, first_name="Priya", is_staff=True, second_factor=False)
    manager.groups.add(group)
    return manager, activate_totp(manager)


def enter_code(page, secret):
    page.locator("main input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def members_with_points(*points):
    day = today()
    for n, p in enumerate(points):
        m = MemberFactory(email=f"flyer{n}@example.com", first_name=f"Flyer{n}")
        post_points(member=m, source_key="partner", kind="partner", miles=p, loyalty_points=p,
                    occurred_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def test_a_loyalty_manager_lowers_gold_previews_saves_and_recalculates(page, screenshot, eager_tasks):
    manager, secret = loyalty_manager()
    members_with_points(36_000, 39_000, 41_000)
    recalculate_tiers(notify=False)  # flyer2 is Gold already
    gold = Tier.objects.get(code="gold")

    sign_in(page, manager.email, TEST_PASSWORD)
    enter_code(page, secret)

    page.goto(reverse("tiers:edit", args=[gold.pk]))
    page.locator("input[name=qualifying_points]").fill("35000")
    page.get_by_role("button", name="Preview impact").click()
    impact = page.locator("#impact")
    impact.wait_for()
    assert page.get_by_role("heading", name="Impact of the proposed thresholds (not saved yet)").is_visible()
    assert impact.locator('[data-up="gold"]').inner_text() == "2"  # 36,000 and 39,000 would move up into Gold
    assert Tier.objects.get(code="gold").qualifying_points == 40_000  # nothing saved yet
    screenshot(page, "what-if")

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert Tier.objects.get(code="gold").qualifying_points == 35_000
    changes = {c.field: (c.old_value, c.new_value, c.changed_by) for c in TierChange.objects.all()}
    assert changes == {"qualifying_points": ("40000", "35000", manager)}, changes

    page.goto(reverse("loyalty_dashboard"))
    page.get_by_role("button", name="Recalculate tiers now").click()
    page.wait_for_load_state()
    assert "2 members changed tier (2 up, 0 down)" in page.locator("body").inner_text()
    tiers = page.locator("#tier_distribution table")
    assert tiers.get_by_role("row", name="Gold").locator("td").first.inner_text() == "3"
    assert page.get_by_role("heading", name="Members near the next tier").is_visible()
    screenshot(page, "dashboard")
    assert set(Member.objects.filter(tier="gold").values_list("email", flat=True)) == {
        "flyer0@example.com", "flyer1@example.com", "flyer2@example.com"}

    page.goto(reverse("tier_history:index"))
    listing = page.locator("main").inner_text()
    assert listing.count("Gold") >= 3 and "Flyer0" in listing
    screenshot(page, "tier-history")
