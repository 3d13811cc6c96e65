"""Browser journeys: Playwright's sync API driving Debian's Chromium against live_server.

Chromium is `/usr/bin/chromium` (`.ci/run` installs it with apt-get). Without it the
journeys skip with the reason on a laptop and fail under CI=true. Screenshots of each
journey, at desktop and phone widths, go to `artifacts/screenshots/` (CI prints the
list at the end of its log).
"""

import os
import shutil
from pathlib import Path

import pytest
from wagtail.models import Locale, Site
from wagtail.models import Page as WagtailPage

from cms.models import HomePage

from tests.conftest import IN_CI

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}
# Chromium as the machine allows it: no sandbox as root, no calls home on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS["desktop"])), locale="en-GB",
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "step") saves the page at desktop and phone widths under artifacts/screenshots/."""

    def take(page, step):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=SCREENSHOTS / f"{request.node.name}--{step}--{name}.png", full_page=True)
        page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["desktop"])))

    return take


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form").get_by_role("button", name="Log in").click()


def ensure_home_page():
    """The CMS home page the migrations make; a transactional test run before this one may have flushed it."""
    if HomePage.objects.exists():
        return
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="en")
    root = WagtailPage.get_first_root_node() or WagtailPage.add_root(
        instance=WagtailPage(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=HomePage(
        title="Wayfare", slug="home", locale=locale, headline="Fly further with Wayfare",
        introduction="<p>Your miles, your status and the fares that matter to you, in one place.</p>"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "port": 80,
                                                                  "site_name": "Wayfare", "root_page": home})
