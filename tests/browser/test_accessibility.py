"""Every member-facing page, in English and Traditional Chinese, at 1280 and 320 px wide.

On each page: axe-core (the copy inside the `axe-playwright-python` wheel, so nothing is
fetched) with the WCAG 2.0/2.1/2.2 A and AA rules and its best practices, plus our own
checks in `A11Y_CHECKS_JS` below: `lang` is the page's language, one h1, no skipped
heading level, one main/banner/contentinfo, a skip link first, a title of its own,
errors tied to their fields and the error summary focused, a visible focus indicator on
every focusable element, no horizontal scrolling at 320 px (WCAG 1.4.10 reflow).

The list of pages is data (`PAGES`): a new page type is one line. A report of every
page with its counts is written to artifacts/a11y/<language>.json, and phone-width
screenshots of the zh-Hant dashboard and flight search beside it.

One browser session for the whole module, one sign-in per language: the module runs in
about 20 s (CI runs it twice).
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import axe_playwright_python
import pytest
from django.urls import reverse

from cms.demo import load_site_content
from cms.models import HomePage, NewsArticlePage, ServicePage

from members.models import Tier, Trip
from members.unsubscribe import unsubscribe_token
from offers.demo.airports import load_airports
from offers.demo.return_legs import load_return_legs
from offers.demo.special_offers import load_offers
from offers.demo.timetable import load_timetable
from offers.models import ScheduledFlight
from offers.selectors import eligible_offers
from offers.trips import save_trip
from tests.browser.conftest import CHROMIUM, ensure_home_page  # noqa: F401 - the `browser` fixture skips/fails without it
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.offers.test_flight_search import a_monday_in_season

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
REPORTS = Path(__file__).resolve().parents[2] / "artifacts" / "a11y"
WIDTHS = (1280, 320)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
AXE_SOURCE = AXE_JS.read_text()
# At 320 px only the rules whose outcome depends on the layout run again (the rest read the same DOM).
AXE_OPTIONS_NARROW = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "target-size", "scrollable-region-focusable",
                                           "meta-viewport", "css-orientation-lock", "region", "landmark-one-main"]},
    "resultTypes": ["violations"],
}
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
# The browser asks for the language the way a member's browser would (Accept-Language).
LANGUAGES = {"en": "en-US", "zh-hant": "zh-TW"}


@dataclass
class Fixture:
    member: object
    trip: Trip
    monday: object
    article: str  # a news article's path
    service: str  # a service page's path
    offer: str  # an offer open to the member


# --- what happens on a page before it is checked -----------------------------------------------


def submit(page):
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def wrong_password(page, fx):
    page.locator("main input[name=login]").fill(fx.member.email)
    page.locator("main input[name=password]").fill("not-the-password")
    submit(page)


def mismatched_sign_up(page, fx):
    page.locator("main input[name=email]").fill("not-an-address")
    page.locator("main input[name=password1]").fill("short")
    page.locator("main input[name=password2]").fill("other")
    submit(page)


def empty_enquiry(page, fx):
    submit(page)


def confirm_password(page, fx):
    """allauth asks for the password again before two-factor changes; answer it, once."""
    if page.locator("main input[name=password]").count():
        page.locator("main input[name=password]").fill(TEST_PASSWORD)
        submit(page)


def unknown_home_airport(page, fx):
    page.locator("main input[name=home_airport]").fill("ZZZ")
    submit(page)


def a_question(fx):
    from members.cases.services import open_case

    return open_case(member=fx.member, category="miles", subject="Miles missing from my March flight",
                     message="I flew JFK to LAX on 3 March and got no miles.")


@dataclass
class Page:
    name: str
    path: str | Callable  # or fn(fixture) -> path
    member: bool = False
    act: Callable | None = None  # fn(page, fixture), run after loading
    errors: bool = False  # the page shows a form in error: summary focused, fields tied to errors
    expect: str | None = None  # a CSS selector that proves the page is in the state meant (results, a form …)
    status: int = 200
    staff: bool = False  # a Wagtail admin page, seen by a loyalty manager (test_admin_pages_pass_axe)


PAGES = [
    Page("home, visitor", "/"),
    Page("log in with errors", "/accounts/login/", act=wrong_password, errors=True, expect="[data-error-summary]"),
    Page("sign up with errors", "/accounts/signup/", act=mismatched_sign_up, errors=True),
    Page("password reset", "/accounts/password/reset/"),
    Page("flight search with errors", "/flights/?origin=Atlantis&destination=JFK&date=2013-01-01", errors=True),
    Page("page not found", "/no-such-page/", status=404),
    Page("news", "/news/"),
    Page("news article", lambda fx: fx.article),
    Page("services", "/services/"),
    Page("a service", lambda fx: fx.service),
    Page("corporate travel with errors", "/corporate/", act=empty_enquiry, errors=True),
    Page("offers, visitor", "/offers/"),
    Page("home, member", "/", member=True),
    Page("account", "/me/", member=True),
    Page("profile with error", "/me/profile/", member=True, act=unknown_home_airport, errors=True),
    Page("e-mail addresses", "/accounts/email/", member=True),
    Page("password change", "/accounts/password/change/", member=True),
    Page("two-factor authentication", "/accounts/2fa/", member=True),
    Page("password again (reauthenticate)", "/accounts/reauthenticate/", member=True, expect="main input[name=password]"),
    Page("authenticator set-up", "/accounts/2fa/totp/activate/", member=True, act=confirm_password,
         expect="main input[name=code]"),
    Page("flight search with results", lambda fx: f"/flights/?origin=JFK&destination=LAX&date={fx.monday}&passengers=1",
         member=True, expect=".flight-card"),
    Page("offers, member", "/offers/", member=True),
    Page("an offer", lambda fx: fx.offer, member=True),
    Page("trips", "/trips/", member=True),
    Page("privacy", "/me/privacy/", member=True),
    # A word in the demo's news in both languages (each page is searched in the reader's language).
    Page("site search with results", "/search/?q=Wi-Fi", expect="main ol, main ul"),
    Page("Gold area, as a Gold member", "/gold/", member=True),
    Page("Executive Platinum area, locked for a Gold member", "/executive-platinum/", member=True, status=403),
    Page("my activity", "/me/activity/", member=True, expect="main .timeline"),
    Page("customer service", "/me/cases/", member=True),
    Page("ask a question with errors", "/me/cases/new/", member=True, act=empty_enquiry, errors=True),
    Page("a question", lambda fx: f"/me/cases/{a_question(fx).pk}/", member=True, expect="main .thread"),
    Page("unsubscribe", lambda fx: f"/me/unsubscribe/{unsubscribe_token(fx.member)}/"),
    Page("trip", lambda fx: reverse("trips:detail", args=[fx.trip.pk]), member=True, expect="main h1:text('Pitch in LA')"),
    Page("loyalty dashboard (admin)", "/admin/loyalty/dashboard/", staff=True, expect="#tier_distribution svg"),
]
SCREENSHOTS = {("zh-hant", "home, member"), ("zh-hant", "flight search with results")}


# Our own checks; they return a list of problems in words.
A11Y_CHECKS_JS = """({lang, width, errors}) => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== "hidden";
  const text = (el) => (el.textContent || "").replace(/\\s+/g, " ").trim();
  const html = document.documentElement;
  if (html.lang !== lang) problems.push(`<html lang="${html.lang}">, expected "${lang}"`);
  if (!document.title.trim()) problems.push("empty <title>");

  const h1s = [...document.querySelectorAll("h1")].filter(visible);
  if (h1s.length !== 1) problems.push(`${h1s.length} visible h1 (expected 1)`);
  h1s.forEach((h) => { if (!text(h)) problems.push("empty h1"); });
  let previous = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    if (!visible(h) && !h.closest(".visually-hidden")) continue;
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) problems.push(`heading jumps from h${previous} to h${level}: "${text(h)}"`);
    previous = level;
  }

  const count = (sel) => document.querySelectorAll(sel).length;
  if (count("main, [role=main]") !== 1) problems.push(`${count("main, [role=main]")} main landmarks`);
  if (count("body > header, [role=banner]") !== 1) problems.push("no single banner (body > header)");
  if (count("body > footer, [role=contentinfo]") !== 1) problems.push("no single contentinfo (body > footer)");
  const navs = [...document.querySelectorAll("nav, [role=navigation]")];
  if (navs.length > 1) navs.forEach((n) => {
    if (!n.getAttribute("aria-label") && !n.getAttribute("aria-labelledby")) problems.push("a nav without a name among several");
  });
  const firstFocusable = document.querySelector("a[href], button, input:not([type=hidden]), select, textarea");
  if (!firstFocusable || !firstFocusable.classList.contains("skip-link")) problems.push("the skip link is not the first focusable element");
  else if (!document.querySelector(firstFocusable.getAttribute("href"))) problems.push("the skip link's target is missing");

  // Reflow: nothing wider than the viewport (WCAG 1.4.10 at 320 CSS px).
  if (html.scrollWidth > window.innerWidth + 1) {
    const wide = [...document.querySelectorAll("body *")].filter((el) => visible(el)
        && el.getBoundingClientRect().right > window.innerWidth + 1
        && !el.closest(".visually-hidden, .skip-link"))
      .slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
    problems.push(`scrolls sideways at ${width}px (${html.scrollWidth}px wide): ${wide.join(", ")}`);
  }

  // Errors: each field in error names its message; the summary is there and has focus.
  for (const field of document.querySelectorAll("[aria-invalid=true]")) {
    const ids = (field.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    const described = ids.map((id) => document.getElementById(id)).filter(Boolean);
    if (!described.some((el) => text(el))) problems.push(`#${field.id} is invalid but no message is tied to it`);
  }
  if (errors) {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) problems.push("no error summary");
    else if (document.activeElement !== summary && width === 1280) problems.push("the error summary does not have focus");
    for (const a of document.querySelectorAll(".error-summary a[href^='#']"))
      if (!document.getElementById(a.getAttribute("href").slice(1))) problems.push(`summary link ${a.getAttribute("href")} goes nowhere`);
  }
  return problems;
}"""

# Every focusable element shows where focus is (WCAG 2.4.7): an outline of at least 2px, or a
# box-shadow ring, while it matches :focus-visible. Run after a Tab press (keyboard modality).
FOCUS_JS = """() => {
  const problems = [];
  const focusables = [...document.querySelectorAll(
      "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, [tabindex='0']")]
    .filter((el) => el.offsetWidth || el.offsetHeight);
  for (const el of focusables) {
    el.focus();
    if (document.activeElement !== el) continue;
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
    const ring = cs.boxShadow && cs.boxShadow !== "none";
    if (!el.matches(":focus-visible") || !(outline || ring))
      problems.push(`no visible focus on ${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.id).trim().slice(0, 30)}"`);
  }
  document.activeElement && document.activeElement.blur();
  return [...new Set(problems)];
}"""


def axe_problems(page, options=AXE_OPTIONS):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("(options) => axe.run(document, options)", options)
    problems, counts = [], {}
    for v in result["violations"]:
        failing = WCAG_TAGS & set(v["tags"]) or v["impact"] in ("serious", "critical")
        counts[v["id"]] = len(v["nodes"])
        if failing:
            where = "; ".join(" ".join(n["target"][0] if isinstance(n["target"][0], str) else n["target"][0][0:1])
                              for n in v["nodes"][:3])
            problems.append(f"axe {v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — {where}")
    return problems, counts


def check_page(page, entry, fx, lang):
    path = entry.path(fx) if callable(entry.path) else entry.path
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(path)
    assert response.status == entry.status, f"{entry.name}: {path} answered {response.status}"
    if entry.act:
        entry.act(page, fx)
    if entry.expect:
        assert page.locator(entry.expect).count(), f"{entry.name}: {page.url} has nothing matching {entry.expect!r}"
    problems, report = [], {"path": path, "title": page.title(), "axe": {}}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found, counts = axe_problems(page, AXE_OPTIONS if width == WIDTHS[0] else AXE_OPTIONS_NARROW)
        found += page.evaluate(A11Y_CHECKS_JS, {"lang": lang, "width": width, "errors": entry.errors})
        if width == WIDTHS[0]:
            page.keyboard.press("Tab")  # keyboard modality, as a member tabbing through the page
            found += page.evaluate(FOCUS_JS)
        if (lang, entry.name) in SCREENSHOTS and width == 320:
            page.screenshot(path=REPORTS / f"{lang}--{entry.name.replace(' ', '-').replace(',', '')}--320.png", full_page=True)
        report["axe"][width] = counts
        problems += [f"{width}px: {p}" for p in found]
    report["problems"] = problems
    return problems, report


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(TEST_PASSWORD)
    submit(page)
    assert "/accounts/login" not in page.url, f"sign-in failed: {page.url}"


@pytest.fixture
def member_with_a_trip():
    ensure_home_page()
    load_airports()
    load_timetable()
    load_return_legs()
    # A Gold member: the Gold area opens for her and the Executive Platinum area shows its locked page.
    member = MemberFactory(email="lin@example.com", first_name="Mei-Ling", tier=Tier.objects.get(code="gold"))
    monday = a_monday_in_season()
    flights = ScheduledFlight.objects.filter(route__origin="JFK", route__destination="LAX").order_by("-operations")
    flight = next(f for f in flights if f.operates_on(monday))
    trip = save_trip(member=member, name="Pitch in LA", outbound=flight, outbound_date=monday, cabin="business")
    load_site_content()
    load_offers()
    article = NewsArticlePage.objects.live().order_by("-date").first()
    service = ServicePage.objects.live().exclude(slug="services").first()
    offer = eligible_offers(member=member)[0]
    return Fixture(member=member, trip=trip, monday=monday.isoformat(), article=article.url, service=service.url,
                   offer=reverse("offer:detail", args=[offer.slug]))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the tiers and home page the migrations made
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_member_page_passes_the_accessibility_checks(browser, live_server, member_with_a_trip, lang):
    REPORTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=LANGUAGES[lang],
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems, reports, titles = [], {}, {}
    try:
        signed_in = False
        for entry in sorted((e for e in PAGES if not e.staff), key=lambda e: e.member):
            if entry.member and not signed_in:
                sign_in(page, member_with_a_trip.member.email)
                signed_in = True
            found, report = check_page(page, entry, member_with_a_trip, lang)
            reports[entry.name] = report
            problems += [f"{lang} · {entry.name} · {p}" for p in found]
            titles.setdefault(report["title"], set()).add(report["path"].split("?")[0])
            parts = report["title"].split(" · ")
            if len(parts) == 2 and parts[0] == parts[1]:
                problems.append(f"{lang} · {entry.name} · the title says the same thing twice: {report['title']!r}")
            if entry.errors and not report["title"].startswith(("Error:", "錯誤：")):
                problems.append(f"{lang} · {entry.name} · the title does not say there is an error: {report['title']!r}")
    finally:
        context.close()
        (REPORTS / f"{lang}.json").write_text(json.dumps(reports, ensure_ascii=False, indent=1, default=str))
    for title, paths in titles.items():
        if len(paths) > 1:
            problems.append(f"{lang} · pages {sorted(paths)} share the title {title!r}")
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def test_the_language_switcher_turns_the_page_into_chinese_and_back(page):
    page.goto("/flights/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Schedules and fares"
    english = page.get_by_role("button", name="English")
    assert english.get_attribute("aria-pressed") == "true"

    page.get_by_role("button", name="繁體中文").click()
    page.wait_for_url("**/flights/")
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    assert page.get_by_role("heading", level=1).inner_text() == "航班時刻與票價"
    assert page.get_by_role("navigation", name="主選單").get_by_role("link", name="登入").is_visible()
    assert page.get_by_role("button", name="查詢航班").is_visible()
    assert page.get_by_role("button", name="繁體中文").get_attribute("aria-pressed") == "true"
    assert page.title() == "查詢航班 · Wayfare"

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/flights/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Schedules and fares"


BROKEN_PAGE = """<!doctype html><html lang="en"><head><title> </title>
<style>.pale { color: #ccc; background: #fff } *:focus-visible { outline: none } .wide { width: 900px }</style></head>
<body><main id="main"><h1>One</h1><h1>Two</h1><h4>Deep</h4>
<p class="pale">Pale text</p><input id="q" aria-invalid="true"><button>Go</button><div class="wide">wide</div>
</main></body></html>"""


def test_the_checks_find_what_they_are_meant_to_find(browser):
    """The checks above can fail: a page that breaks each rule is caught by each."""
    page = browser.new_page(viewport={"width": 320, "height": 600})
    try:
        page.set_content(BROKEN_PAGE)
        axe_found, counts = axe_problems(page)
        ours = page.evaluate(A11Y_CHECKS_JS, {"lang": "zh-hant", "width": 320, "errors": True})
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
    finally:
        page.close()
    assert {"color-contrast", "label"} <= set(counts)
    found = "\n".join(ours)
    for expected in ['lang="en">, expected "zh-hant"', "empty <title>", "2 visible h1", "heading jumps from h1 to h4",
                     "no single banner", "skip link", "scrolls sideways at 320px", "#q is invalid", "no error summary"]:
        assert expected in found, f"{expected!r} not found in:\n{found}"
    assert any("no visible focus" in p for p in focus)


@pytest.mark.django_db(transaction=True)
def test_admin_pages_pass_axe(browser, live_server):
    """The staff pages in PAGES (Wagtail admin), signed in as a loyalty manager with her second factor.

    axe's WCAG A/AA rules and best practices at 1280 px and the layout rules at 320 px; our own
    member-site checks (skip-link class, body > header …) describe our templates, not Wagtail's.
    """
    from members.value.scoring import refresh
    from tests.browser.test_manager_journey import enter_code, loyalty_manager

    manager, secret = loyalty_manager()
    refresh()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    try:
        sign_in(page, manager.email)
        enter_code(page, secret)
        for entry in (e for e in PAGES if e.staff):
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(entry.path)
            assert response.status == entry.status, f"{entry.name}: {entry.path} answered {response.status}"
            assert page.locator(entry.expect).count(), f"{entry.name}: nothing matches {entry.expect!r}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                found, _counts = axe_problems(page, AXE_OPTIONS if width == WIDTHS[0] else AXE_OPTIONS_NARROW)
                problems += [f"{entry.name} · {width}px: {p}" for p in found]
    finally:
        context.close()
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)
