"""A member who uses only a keyboard: sign in, search a flight, save the trip, claim an offer.

Only Tab, Shift+Tab, the arrow keys, Enter and Escape move and act (and typing into a
field); nothing is clicked. `tab_to` presses Tab until focus reaches the element — so
each step also proves the element is in the tab order — and after each error the test
asserts where focus landed (the error summary, then the field its link names).
"""

import pytest

from members.models import Trip
from offers.demo.airports import load_airports
from offers.demo.return_legs import load_return_legs
from offers.demo.timetable import load_timetable
from offers.models import Offer, OfferClaim
from tests.browser.conftest import ensure_home_page
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.offers.test_flight_search import a_monday_in_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => { const e = document.activeElement; return [e.tagName, e.id, e.getAttribute('name'), e.textContent.trim()].join('|'); }"


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, selector, most=80, backwards=False):
    """Press Tab (Shift+Tab) until `selector` has focus; fail when it never does."""
    target = page.locator(selector).first
    for _ in range(most):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key (focus ended on {focused(page)})")


def test_a_keyboard_only_member_signs_in_searches_saves_a_trip_and_claims_an_offer(page, screenshot):
    ensure_home_page()
    load_airports()
    load_timetable()
    load_return_legs()
    member = MemberFactory(email="kai@example.com", home_airport="JFK")
    Offer.objects.create(title="Double miles to Los Angeles", slug="double-miles-lax", summary="Twice the miles on LAX flights.",
                         category=Offer.Category.MILES_BONUS, destinations="LAX", live=True)

    # Sign in: a wrong password first. Focus goes to the error summary, whose link leads to the form.
    page.goto("/accounts/login/")
    tab_to(page, "main input[name=login]")
    page.keyboard.type(member.email)
    tab_to(page, "main input[name=password]")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").evaluate("e => e === document.activeElement"), focused(page)
    tab_to(page, "main input[name=password]")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url

    # Flight search with the destination left out: focus on the summary; its link takes focus to the field.
    page.goto("/flights/")
    tab_to(page, "#id_origin")
    page.keyboard.type("new y")
    page.locator("#id_origin-listbox [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the second suggestion: New York's other airport
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert page.locator("#id_origin").input_value().startswith("New York (")
    assert page.locator("#id_origin").get_attribute("aria-expanded") == "false"
    tab_to(page, "#id_date")
    page.keyboard.type(a_monday_in_season().strftime("%m%d%Y"))  # Chromium's date field takes the digits in order
    page.locator("#id_date").press("Enter")
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("e => e === document.activeElement"), focused(page)
    assert "To" in summary.inner_text()
    tab_to(page, "[data-error-summary] a")
    page.keyboard.press("Enter")
    assert page.locator("#id_destination").evaluate("e => e === document.activeElement"), focused(page)
    assert page.locator("#id_destination").get_attribute("aria-invalid") == "true"

    page.keyboard.type("los ang")
    page.get_by_role("option", name="Los Angeles (LAX)").wait_for()
    page.keyboard.press("Escape")  # Escape closes the list and keeps what was typed
    assert page.locator("#id_destination").get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # the arrow opens it again (APG: without choosing) …
    page.get_by_role("option", name="Los Angeles (LAX)").wait_for()
    page.keyboard.press("ArrowDown")  # … and the next one moves to the first suggestion
    page.keyboard.press("Enter")
    assert page.locator("#id_destination").input_value() == "Los Angeles (LAX)"
    page.locator("#id_destination").press("Enter")
    page.locator(".flight-card").first.wait_for()
    screenshot(page, "results")

    # Save the first flight as a trip.
    tab_to(page, ".flight-card a[href*='outbound=']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tab_to(page, "input[name=name]")
    page.keyboard.type("Keyboard to LA")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Keyboard to LA").wait_for()
    assert Trip.objects.get(member=member).name == "Keyboard to LA"

    # Claim the offer from its page with Enter on the button.
    page.goto("/offers/double-miles-lax/")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("You have claimed this offer.").wait_for()
    screenshot(page, "claimed")
    assert OfferClaim.objects.filter(member=member, offer__slug="double-miles-lax").count() == 1
