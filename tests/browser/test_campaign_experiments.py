"""A loyalty manager reads an A/B test's report and a bandit's report in the admin (screenshots under artifacts/)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from offers.models import Campaign, Offer
from tests.factories import MemberFactory
from tests.offers.test_experiments import seed_ab, seed_slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server):
    """Priya, a loyalty manager, with a session made server-side (the second factor is tested elsewhere)."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name="Loyalty managers")
    for codename in ("access_admin", "view_campaign", "add_campaign", "change_campaign"):
        group.permissions.add(Permission.objects.get(codename=codename))
    manager = MemberFactory(email="priya@example.com", first_name="Priya", is_staff=True)
    manager.groups.add(group)
    client = Client()
    client.force_login(manager)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def make_offer(slug, title):
    return Offer.objects.create(title=title, slug=slug, summary="x", category="lounge", live=True)


def test_a_manager_reads_the_ab_and_bandit_reports(page, live_server, screenshot):
    today = timezone.localdate()
    ab = Campaign.objects.create(name="Lounge copy test", slug="lounge-copy", kind="ab_test", slot="offers",
                                 starts_on=today - dt.timedelta(days=14), baseline_ctr_percent=4, minimum_detectable_effect_percent=4,
                                 variant_a=make_offer("lounge-plain", "Lounge day pass"), variant_b=make_offer("lounge-bold", "Relax before you fly"))
    seed_ab(ab, per_variant=150, days=10, clicks_a=60, clicks_b=120)
    bandit = Campaign.objects.create(name="Summer bandit", slug="summer-bandit", kind="bandit", slot="offers",
                                     starts_on=today - dt.timedelta(days=14))
    bandit.arms.set([make_offer("summer-good", "Double miles to Honolulu"), make_offer("summer-poor", "Extra bag to Denver")])
    seed_slot("summer-good", list(range(100_001, 100_101)), days=5, clicks=50)
    seed_slot("summer-poor", list(range(100_001, 100_021)), days=2, clicks=1)
    signed_in(page, live_server)

    page.goto(reverse("campaign_report", args=[ab.pk]))
    assert page.get_by_role("table", name="The two variants").is_visible()
    assert "Variant B (Relax before you fly) has the higher click-through" in page.locator("#verdict").inner_text()
    screenshot(page, "ab-report")

    page.goto(reverse("campaign_report", args=[bandit.pk]))
    assert page.get_by_role("table", name="Allocation and posterior click-through per offer").is_visible()
    screenshot(page, "bandit-report")

    page.goto(reverse("campaigns:edit", args=[bandit.pk]))
    assert page.get_by_label("Kind").input_value() == "bandit"
    screenshot(page, "campaign-form")
