"""A member plans a trip with a keyboard: type a city, pick it, search, save."""

import pytest

from members.models import Trip
from offers.demo.airports import load_airports
from offers.demo.return_legs import load_return_legs
from offers.demo.timetable import load_timetable
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.offers.test_flight_search import a_monday_in_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_finds_a_flight_by_city_name_and_saves_it_as_a_trip(page, screenshot):
    load_airports()
    load_timetable()
    load_return_legs()
    member = MemberFactory(email="mei@example.com")
    sign_in(page, member.email, TEST_PASSWORD)
    page.goto("/flights/")

    origin = page.locator("#id_origin")
    assert origin.get_attribute("role") == "combobox"
    origin.press_sequentially("new y")
    page.locator("#id_origin-listbox [role=option]").first.wait_for()
    origin.press("ArrowDown")
    origin.press("Enter")
    assert origin.input_value().startswith("New York (")
    destination = page.locator("#id_destination")
    destination.press_sequentially("los ang")
    page.get_by_role("option", name="Los Angeles (LAX)").wait_for()
    screenshot(page, "suggestions")
    destination.press("ArrowDown")
    destination.press("Escape")
    assert destination.get_attribute("aria-expanded") == "false"
    destination.fill("Los Angeles (LAX)")
    origin.fill("New York (JFK)")
    page.locator("#id_date").fill(a_monday_in_season().isoformat())
    page.get_by_role("button", name="Search flights").click()

    results = page.locator(".flight-card")
    results.first.wait_for()
    assert results.count() == 9
    assert "AA1" in page.locator(".flight-list").inner_text()
    screenshot(page, "results")

    page.get_by_role("link", name="Save as trip AA1", exact=True).click()
    page.get_by_label("Trip name").fill("Pitch in LA")
    page.get_by_role("button", name="Save trip").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pitch in LA"
    screenshot(page, "trip")
    assert Trip.objects.get(member=member).legs.get().flight_designator == "AA1"
