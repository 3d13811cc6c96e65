"""The member's journeys end to end in Chromium: sign up → verify → dashboard → search → save → claim → timeline,
and a Gold member from their dashboard's offer (through the tracked link) to the claim on their timeline."""

import re

import pytest
from django.core import mail

from members.models import Member, Tier
from offers.demo.airports import load_airports
from offers.demo.return_legs import load_return_legs
from offers.demo.timetable import load_timetable
from offers.models import Offer
from recommendations.models import Click
from tests.browser.conftest import ensure_home_page, sign_in
from tests.factories import TEST_PASSWORD, MemberFactory, customer_service_group
from tests.offers.test_flight_search import a_monday_in_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def an_offer(slug, title, tiers=()):
    offer = Offer.objects.create(title=title, slug=slug, summary=f"{title}: members only.", category="miles_bonus",
                                 live=True, claim_limit=1)
    offer.tiers.set(Tier.objects.filter(code__in=tiers))
    return offer


def test_a_new_member_signs_up_verifies_searches_saves_claims_and_sees_it_all_on_their_timeline(page, screenshot, eager_tasks):
    ensure_home_page()
    load_airports()
    load_timetable()
    load_return_legs()
    an_offer("double-miles-la", "Double miles to Los Angeles")
    mail.outbox.clear()

    page.goto("/accounts/signup/")
    page.locator("main input[name=email]").fill("lin@example.com")
    page.locator("main input[name=password1]").fill(TEST_PASSWORD)
    page.locator("main input[name=password2]").fill(TEST_PASSWORD)
    page.get_by_label("Record how I use Wayfare").check()
    page.get_by_label("Send me offers by e-mail").check()
    screenshot(page, "sign-up")
    page.locator("main form").get_by_role("button", name=re.compile("Sign up|Join|Create", re.I)).click()
    assert "lin@example.com" in page.locator("main").inner_text()  # "we sent a link to …"

    [message] = [m for m in mail.outbox if m.to == ["lin@example.com"]]
    page.goto(re.search(r"/accounts/confirm-email/[^\s]+", message.body).group(0))
    page.get_by_role("button", name="Confirm").click()
    sign_in(page, "lin@example.com", TEST_PASSWORD)

    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome back")
    assert page.get_by_role("heading", name="Offers for you").is_visible()
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Find a flight").click()
    page.locator("#id_origin").fill("New York (JFK)")
    page.locator("#id_destination").fill("Los Angeles (LAX)")
    page.locator("#id_date").fill(a_monday_in_season().isoformat())
    page.get_by_role("button", name="Search flights").click()
    page.locator(".flight-card").first.wait_for()
    page.get_by_role("link", name="Save as trip AA1", exact=True).click()
    page.get_by_label("Trip name").fill("Pitch in LA")
    page.get_by_role("button", name="Save trip").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pitch in LA"

    page.goto("/offers/double-miles-la/")
    page.get_by_role("button", name=re.compile("Claim this offer")).click()
    assert "You have claimed this offer." in page.locator("main").inner_text()

    page.goto("/me/")
    page.get_by_role("link", name="My activity").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My activity"
    timeline = page.locator(".timeline").inner_text()
    assert "Claimed the offer “Double miles to Los Angeles”" in timeline
    assert "Saved the trip “Pitch in LA”" in timeline
    assert "Searched flights JFK → LAX" in timeline and "Signed in" in timeline
    screenshot(page, "timeline")

    page.get_by_label("Offer claims").check()
    page.get_by_role("button", name="Show", exact=True).click()
    filtered = page.locator(".timeline").inner_text()
    assert "Double miles to Los Angeles" in filtered and "Pitch in LA" not in filtered
    assert Member.objects.get(email="lin@example.com").offer_claims.count() == 1


def test_gold_member_claims_an_offer_from_the_dashboard_and_sees_it_on_the_timeline(page, screenshot, eager_tasks):
    ensure_home_page()
    MemberFactory(email="gold@example.com", first_name="Wei-Ting", tier=Tier.objects.get(code="gold"), home_airport="LGA")
    an_offer("gold-lounge-lga", "Gold lounge day pass", tiers=["gold"])
    an_offer("platinum-upgrade", "Platinum upgrade", tiers=["platinum"])

    sign_in(page, "gold@example.com", TEST_PASSWORD)
    offers = page.locator("section.slot--offers")
    assert offers.get_by_role("heading", level=2).inner_text() == "Offers for you"
    assert "Platinum upgrade" not in offers.inner_text()
    screenshot(page, "dashboard")
    link = offers.get_by_role("link", name="Gold lounge day pass")
    assert link.get_attribute("href").startswith("/r/")  # the tracked link
    link.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Gold lounge day pass"
    assert Click.objects.filter(member__email="gold@example.com", ref="gold-lounge-lga").count() == 1
    page.get_by_role("button", name=re.compile("Claim this offer")).click()
    assert "You have claimed this offer." in page.locator("main").inner_text()

    page.goto("/me/activity/")
    timeline = page.locator(".timeline")
    assert "Claimed the offer “Gold lounge day pass”" in timeline.inner_text()
    assert "Opened the offer gold-lounge-lga from your page" in timeline.inner_text()
    screenshot(page, "timeline")


def test_a_member_asks_customer_service_gets_an_answer_and_unsubscribes_from_offers(page, screenshot, eager_tasks):
    from members.cases.models import ServiceCase
    from members.cases.services import answer_as_staff
    from members.unsubscribe import unsubscribe_token

    ensure_home_page()
    member = MemberFactory(email="ada@example.com", first_name="Ada")
    staff = MemberFactory(email="agent@example.com")
    staff.groups.add(customer_service_group())
    sign_in(page, member.email, TEST_PASSWORD)

    page.goto("/me/cases/")
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_role("button", name="Send question").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()  # the error summary, not a 500
    page.get_by_label("Topic").select_option("miles")
    page.get_by_label("Subject").fill("Miles missing from my March flight")
    page.get_by_label("Your message").fill("I flew JFK to LAX on 3 March and got no miles.")
    screenshot(page, "new-case")
    page.get_by_role("button", name="Send question").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Miles missing from my March flight"
    assert "Waiting for us" in page.locator("main").inner_text()

    answer_as_staff(case=ServiceCase.objects.get(), staff=staff, message="We added 2,475 miles to your account.")
    assert [m.to for m in mail.outbox if "has an answer" in m.subject] == [["ada@example.com"]]
    page.reload()
    thread = page.locator(".thread").inner_text()
    assert "We added 2,475 miles to your account." in thread and "Wayfare customer service" in thread
    assert "Not answered yet" not in page.locator("main").inner_text()
    screenshot(page, "answered-case")
    page.goto("/")
    assert "Miles missing from my March flight" in page.locator("section.slot--cases").inner_text()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"/me/unsubscribe/{unsubscribe_token(member)}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stop offers by e-mail?"
    screenshot(page, "unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"


def test_staff_answer_a_question_in_the_admin_and_its_screens_pass_axe(browser, live_server, screenshot, eager_tasks):
    import time as clock

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from members.cases.services import open_case
    from tests.browser.test_accessibility import AXE_OPTIONS, axe_problems, submit
    from tests.factories import activate_totp

    ensure_home_page()
    member = MemberFactory(email="ada@example.com", first_name="Ada")
    staff = MemberFactory(email="sam@example.com", is_staff=True, is_superuser=True, second_factor=False)
    secret = activate_totp(staff)
    case = open_case(member=member, category="miles", subject="Miles missing", message="I flew AA1 and got no miles.")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, staff.email, TEST_PASSWORD)
        page.locator("main input[name=code]").fill(format_hotp_value(hotp_value(secret, int(clock.time()) // 30)))
        submit(page)
        problems = []
        page.goto("/admin/service_cases/")
        problems += axe_problems(page, AXE_OPTIONS)[0]
        page.get_by_role("link", name="Miles missing").first.click()
        page.goto(f"/admin/service_cases/inspect/{case.pk}/")
        problems += axe_problems(page, AXE_OPTIONS)[0]
        assert "I flew AA1 and got no miles." in page.locator("main").inner_text()
        page.get_by_role("textbox", name="Answer").fill("We added 2,475 miles.")
        page.get_by_label("Close the case with this answer").check()
        page.get_by_role("button", name="Send answer").click()
        page.get_by_text("Your answer is sent; the member is told by e-mail.").wait_for()  # the admin's flash message
        screenshot(page, "admin-case")
        page.get_by_role("link", name="The member's timeline").click()
        problems += axe_problems(page, AXE_OPTIONS)[0]
        assert "Customer service answered #" in page.locator("main").inner_text()
        screenshot(page, "admin-timeline")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    case.refresh_from_db()
    assert case.status == "closed" and [m.to for m in mail.outbox if "has an answer" in m.subject] == [["ada@example.com"]]
