"""Superusers see API tokens in the Wagtail admin, read-only; the secret is never there."""

import pytest

from api.models import ApiToken, Scope
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_superusers_list_tokens_without_their_secrets(client, member):
    _row, secret = ApiToken.issue(name="Call centre", scopes=[Scope.AGENT_LOOKUP])
    admin = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/api_tokens/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Call centre" in html and secret not in html and ApiToken.objects.get().secret_digest not in html
    assert client.get("/admin/api_tokens/new/").status_code in {302, 403}


def test_editors_do_not_see_tokens(client, editor):
    client.force_login(editor)
    assert client.get("/admin/api_tokens/").status_code in {302, 403}
