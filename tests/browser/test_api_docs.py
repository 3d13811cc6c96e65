"""The API's interactive docs (/api/v1/docs, docs/api.md) render in Chromium under the
member pages' strict Content-Security-Policy, from our own static files."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_runs_under_the_content_security_policy(page, live_server):
    violations, requested = [], []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="Wayfare API").wait_for()
    assert page.locator(".opblock-summary-path").filter(has_text="/api/v1/me").count() == 1
    assert violations == []
    assert [url for url in requested if not url.startswith((live_server.url, "data:"))] == []  # no CDN
