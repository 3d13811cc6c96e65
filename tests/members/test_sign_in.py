"""Signing up, in and out through allauth's real views: what a member sees.

Assertions are on behaviour (status, redirects, e-mails, the session) and on field
names, never on a template's wording: error texts are taken from allauth's adapter.
"""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-Horse-Battery-9"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^/\s]+/)")


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def sign_up(client, email, password=NEW_PASSWORD):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def is_signed_in(client, member=None):
    user_id = client.session.get(SESSION_KEY)
    return user_id is not None and (member is None or str(user_id) == str(member.pk))


def message_shown(response, key):
    """The text allauth uses for `key`, as the page shows it (HTML-escaped)."""
    return escape(str(get_adapter().error_messages[key])) in response.content.decode()


# --- sign-up and e-mail verification ---------------------------------------------------------


def test_sign_up_verify_email_then_log_in(client):
    response = sign_up(client, "Newcomer@Example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)

    (message,) = mail.outbox
    assert message.to == ["newcomer@example.com"]
    confirm_path = CONFIRM_LINK.search(message.body).group(1)

    assert client.get(confirm_path).status_code == 200  # a page that asks to confirm (no change on GET)
    response = client.post(confirm_path)
    assert response.status_code == 302
    member = Member.objects.get(email="newcomer@example.com")
    assert member.emailaddress_set.get().verified

    response = log_in(client, "newcomer@example.com", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client, member)


def test_unverified_member_cannot_log_in(client, password):
    member = MemberFactory(verified=False)

    response = log_in(client, member.email, password)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    assert [m.to for m in mail.outbox] == [[member.email]]  # a fresh verification e-mail


def test_sign_up_with_an_existing_email_answers_like_a_fresh_sign_up(client, member):
    fresh = sign_up(client, "someone-new@example.com")
    mail.outbox.clear()
    client.cookies.clear()

    taken = sign_up(client, member.email.upper())

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert Member.objects.filter(email__iexact=member.email).count() == 1
    (notice,) = mail.outbox  # the owner is told someone tried; no account is made
    assert notice.to == [member.email]
    assert not CONFIRM_LINK.search(notice.body)


# --- log in, log out --------------------------------------------------------------------------


def test_member_logs_in_with_email_in_any_case(client, member, password):
    response = log_in(client, member.email.upper(), password)

    assert response.status_code == 302
    assert is_signed_in(client, member)


def test_wrong_password_is_refused_with_an_error_on_the_form(client, member):
    response = log_in(client, member.email, "not-the-password")

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert 'name="login"' in response.content.decode() and 'name="password"' in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, member, password):
    for _ in range(5):
        response = log_in(client, member.email, "not-the-password")
        assert response.status_code == 200
        assert not message_shown(response, "too_many_login_attempts")

    locked = log_in(client, member.email, password)  # the 6th try, with the right password

    assert not is_signed_in(client)
    assert locked.status_code in (200, 429)
    assert message_shown(locked, "too_many_login_attempts")


def test_log_out(client, member, password):
    log_in(client, member.email, password)
    assert is_signed_in(client, member)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not is_signed_in(client)


def test_log_out_needs_a_post(client, member, password):
    log_in(client, member.email, password)

    response = client.get(reverse("account_logout"))  # a link or an image cannot sign a member out

    assert response.status_code == 200
    assert is_signed_in(client, member)


# --- passwords --------------------------------------------------------------------------------


def test_password_change(client, member, password):
    log_in(client, member.email, password)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_signed_in(client, member)  # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off
    client.post(reverse("account_logout"))
    assert log_in(client, member.email, password).status_code == 200  # the old one no longer works
    assert log_in(client, member.email, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(client, member, password):
    log_in(client, member.email, password)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "a-wrong-guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(password)


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("account_reset_password_done")
    to_member, to_stranger = mail.outbox
    assert to_member.to == [member.email] and RESET_LINK.search(to_member.body)
    # ACCOUNT_PREVENT_ENUMERATION (and EMAIL_UNKNOWN_ACCOUNTS): the address gets an
    # "unknown account" e-mail, with no reset link in it.
    assert to_stranger.to == ["nobody@example.com"] and not RESET_LINK.search(to_stranger.body)
    assert to_stranger.subject != to_member.subject


def test_password_reset_link_sets_a_new_password(client, member, password):
    client.post(reverse("account_reset_password"), {"email": member.email})
    reset_path = RESET_LINK.search(mail.outbox[0].body).group(1)

    form_page = client.get(reset_path, follow=True)  # allauth moves the key into the session
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and not member.check_password(password)
