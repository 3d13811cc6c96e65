"""The privacy pages: members only, a strict CSP, and no script of their own inline."""

import pytest

from tests.portal.test_security import script_sources

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/me/privacy/", "/me/privacy/delete/"])
def test_privacy_pages_are_for_signed_in_members_only(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_privacy_page_has_a_csp_without_inline_script(member_client):
    response = member_client.get("/me/privacy/")

    assert response.status_code == 200
    directives = script_sources(response)
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "onclick=" not in response.content.decode()


def test_the_export_is_not_cached(member_client):
    assert member_client.post("/me/privacy/export/")["Cache-Control"] == "no-store"
