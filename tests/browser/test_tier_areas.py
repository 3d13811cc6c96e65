"""A Gold member walks from their dashboard into the Gold area; the Executive Platinum area tells them how far it is."""

import pytest
from django.utils import timezone

from cms.demo import load_tier_areas
from cms.models import HomePage
from members.loyalty.ledger import post_points
from members.models import Tier
from tests.browser.conftest import ensure_home_page, sign_in
from tests.factories import TEST_PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gold_member_enters_the_gold_area_and_is_told_what_opens_the_next(page, screenshot):
    ensure_home_page()
    load_tier_areas(HomePage.objects.get(), timezone.localdate())
    member = MemberFactory(email="goldie@example.com", tier=Tier.objects.get(code="gold"))
    post_points(member=member, source_key="partner-browser", kind="partner", miles=500, loyalty_points=50_000)
    sign_in(page, member.email, TEST_PASSWORD)

    area = page.locator("section.slot--tier_area")
    assert area.get_by_role("heading", level=2).inner_text() == "Your tier area"
    screenshot(page, "dashboard")
    area.get_by_role("link", name="Gold area").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gold area"
    assert "GOLDWINTER" in page.locator("main").inner_text()
    page.get_by_role("link", name="Gold lane at LaGuardia security").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gold lane at LaGuardia security"

    page.goto("/executive-platinum/executive-platinum-chauffeur-at-jfk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Executive Platinum status opens this page"
    text = page.locator("main").inner_text()
    assert "150,000 Loyalty Points away" in text and "Chauffeur" not in text
    screenshot(page, "locked")

    page.goto("/search/")
    page.get_by_label("Search news and pages").fill("GOLDWINTER")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".news-list a").all_inner_texts() == ["Gold area"]
