"""Staff enter the Wagtail admin only with a second factor; the demo staff are exempt only under DEBUG."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import EditorFactory, MemberFactory, activate_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_totp(db):
    """Nora, a new loyalty manager (not a demo account) who has not set up an authenticator yet."""
    nora = MemberFactory(email="nora@example.com", is_staff=True, second_factor=False)
    nora.groups.add(Group.objects.get(name="Loyalty managers"))
    return nora


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff_without_totp):
    client.force_login(staff_without_totp)

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    page = client.get("/accounts/2fa/").content.decode()
    assert "two-factor authentication" in page.lower()


def test_every_admin_page_is_closed_until_then(client, staff_without_totp):
    client.force_login(staff_without_totp)

    for url in ("/admin/", "/admin/pages/", "/admin/snippets/", "/admin/tiers/"):
        assert client.get(url)["Location"] == "/accounts/2fa/", url


def test_after_activating_totp_the_admin_opens(client, staff_without_totp):
    activate_totp(staff_without_totp)
    client.force_login(staff_without_totp)

    assert client.get("/admin/").status_code == 200


def test_an_editor_in_the_editors_group_needs_it_too(client):
    editor = EditorFactory(second_factor=False)
    client.force_login(editor)

    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_wagtails_password_only_log_in_gives_way_to_allauths(client, staff_without_totp, password):
    activate_totp(staff_without_totp)

    response = client.post("/admin/login/", {"username": staff_without_totp.email, "password": password})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session


def test_the_allauth_log_in_asks_staff_with_totp_for_the_code(client, staff_without_totp, password):
    activate_totp(staff_without_totp)

    response = client.post("/accounts/login/?next=/admin/", {"login": staff_without_totp.email, "password": password})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")  # not signed in yet


@pytest.mark.parametrize("debug, opens", [(True, True), (False, False)])
def test_the_demo_staff_are_exempt_only_under_debug(client, settings, debug, opens):
    settings.DEBUG = debug
    demo_editor = EditorFactory(email="editor@example.com", second_factor=False)
    client.force_login(demo_editor)

    response = client.get("/admin/")

    assert (response.status_code == 200) is opens


def test_members_are_still_kept_out_by_wagtail(client, member):
    client.force_login(member)

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
