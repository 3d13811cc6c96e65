"""Who may enter the Wagtail admin: editors yes, members no."""

import pytest

pytestmark = pytest.mark.django_db


def test_editor_enters_the_wagtail_admin(client, editor):
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


def test_member_is_kept_out_of_the_wagtail_admin(client, member, other_member):
    client.force_login(member)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "login" in response["Location"]
