"""One-click unsubscribe from marketing e-mail: a signed token per member, no log-in needed.

The token is the member id signed by `django.core.signing.Signer` with its own salt (so no
other signed value of the portal can stand in for it). It has no timestamp and does not
expire: a link in a months-old e-mail must still work (RFC 8058); the same member always
gets the same link. It only ever withdraws the marketing-email consent,
through members.privacy.consent, with the source `unsubscribe_link`.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from members.privacy.consent import allows, record_consents
from members.privacy.models import ConsentRecord, Purpose

SALT = "wayfare.members.unsubscribe.marketing_email"


def unsubscribe_token(member) -> str:
    return signing.Signer(salt=SALT).sign_object({"m": member.pk}, compress=True)


def unsubscribe_url(member) -> str:
    return settings.SITE_URL + reverse("members:unsubscribe", args=[unsubscribe_token(member)])


def member_of_token(token):
    """The member a token names, or None when it is forged, altered or the member is gone."""
    from members.models import Member

    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return Member.objects.filter(pk=data.get("m"), is_active=True).first() if isinstance(data, dict) else None


def unsubscribe(member) -> bool:
    """Withdraw the marketing-email consent; False when it was not granted (nothing to do)."""
    if not allows(member, Purpose.MARKETING_EMAIL):
        return False
    record_consents(member=member, choices={Purpose.MARKETING_EMAIL: False}, source=ConsentRecord.Source.UNSUBSCRIBE_LINK)
    return True
