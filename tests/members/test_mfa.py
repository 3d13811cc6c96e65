"""A second factor: TOTP activated through allauth's own pages, then asked for at log-in."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_code(secret):
    """What the member's authenticator app shows now (30-second steps, as allauth checks)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def log_in_and_confirm_password(client, member, password):
    """MFA changes ask for the password again (allauth's reauthentication), log-in or not."""
    assert log_in(client, member.email, password).status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(asked["Location"], {"password": password})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("mfa_activate_totp")


def activate_totp(client, member, password):
    """Sign in for real, confirm the password, and activate TOTP with a code from the secret."""
    log_in_and_confirm_password(client, member, password)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]  # shown to the member as a QR code and as text
    assert secret in page.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_activating_totp_needs_a_correct_code(client, member, password):
    log_in_and_confirm_password(client, member, password)
    secret = (client.get(reverse("mfa_activate_totp")), client.session[SECRET_SESSION_KEY])[1]
    wrong = "000000" if current_code(secret) != "000000" else "111111"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()


def test_after_activating_totp_log_in_asks_for_the_code(client, member, password):
    secret = activate_totp(client, member, password)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))

    response = log_in(client, member.email, password)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # the password alone does not sign in

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456" if current_code(secret) != "123456" else "654321"})
    assert wrong.status_code == 200 and SESSION_KEY not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_a_used_code_cannot_be_used_again(client, member, password):
    secret = activate_totp(client, member, password)
    client.post(reverse("account_logout"))
    code = current_code(secret)
    log_in(client, member.email, password)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))

    log_in(client, member.email, password)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})

    if current_code(secret) != code:
        pytest.skip("the 30-second step turned over during the test; the replay check needs one step")
    assert replay.status_code == 200
    assert SESSION_KEY not in client.session
