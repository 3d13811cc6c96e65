"""The visitor's routes card on the home page, in Chromium: axe and our own checks at both widths.

(In tests/browser so that it shares the session's one Playwright: a second sync Playwright
in the same thread is refused.)"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cms.test_visitor_slot import trained  # noqa: F401 - the timetable, planted members and a model


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the tiers and home page the migrations made
def test_the_visitors_card_passes_the_accessibility_checks(browser, live_server, trained):
    from tests.browser.conftest import ensure_home_page
    from tests.browser.test_accessibility import A11Y_CHECKS_JS, AXE_OPTIONS, AXE_OPTIONS_NARROW, WIDTHS, axe_problems

    ensure_home_page()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    try:
        day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
        page.goto(f"/flights/?origin=JFK&destination=MIA&date={day}&passengers=1")
        page.goto("/")
        assert page.locator(".slot--visitor_routes .slot-item").count() >= 1
        problems = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found, _counts = axe_problems(page, AXE_OPTIONS if width == WIDTHS[0] else AXE_OPTIONS_NARROW)
            problems += found + page.evaluate(A11Y_CHECKS_JS, {"lang": "en", "width": width, "errors": False})
        assert not problems, problems
    finally:
        context.close()
