"""A signed-in member reads their own language (members/language.py); the switcher keeps it."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_member_reads_their_profiles_language_whatever_the_browser_asks(client, member):
    member.language = "zh-hant"
    member.save(update_fields=["language"])
    client.force_login(member)
    response = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hant"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/me/")["Content-Language"] == "zh-hant", "the profile wins over an old cookie"


def test_a_visitor_reads_what_the_browser_asks(client, db):
    assert client.get("/flights/", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9")["Content-Language"] == "zh-hant"
    assert client.get("/flights/", HTTP_ACCEPT_LANGUAGE="xx-YY;q=oops")["Content-Language"] == "en"


def test_the_switcher_changes_a_members_language_for_good(client, member):
    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    member.refresh_from_db()
    assert member.language == "zh-hant"
    assert client.get("/me/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "zh-hant"


def test_the_switcher_refuses_what_it_does_not_know_and_never_follows_off_site(client, member):
    client.force_login(member)
    before = member.language
    response = client.post("/i18n/setlang/", {"language": "klingon", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil.example")
    member.refresh_from_db()
    assert member.language == before
    assert client.get("/i18n/setlang/").status_code == 405
