"""Consent per purpose, versioned: what the member was asked, what they chose, when and how.

The texts below are what a member reads at sign-up and on /me/privacy/. Changing the
meaning of a text means a new `version`: records keep the version the member agreed
to, so it is always known which wording a consent refers to.

Current state = the latest record per purpose; no record = not granted (opt-in).
"""

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.privacy.models import ConsentRecord, Purpose


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    label: str
    text: str


CONSENT_TEXTS = {
    Purpose.PERSONALIZATION: ConsentText(
        Purpose.PERSONALIZATION, "2026-01",
        _("Personalise my portal"),
        _("Use what I search, view, save and claim to choose fares, offers and news for me. "
          "Without it you see what is popular at your home airport."),
    ),
    Purpose.MARKETING_EMAIL: ConsentText(
        Purpose.MARKETING_EMAIL, "2026-01",
        _("Send me offers by e-mail"),
        _("Occasional e-mails about fares and offers. Service e-mails about your account come either way."),
    ),
    Purpose.ANALYTICS: ConsentText(
        Purpose.ANALYTICS, "2026-01",
        _("Record how I use Wayfare"),
        _("Keep a record of the pages, flights and offers I look at, to measure and improve the portal. "
          "Without it nothing you do is recorded."),
    ),
}
PURPOSES = tuple(CONSENT_TEXTS)


def current_consents(member) -> dict:
    """{purpose: latest ConsentRecord or None} for every purpose."""
    latest = {}
    for record in ConsentRecord.objects.filter(member=member).order_by("purpose", "-recorded_at", "-pk"):
        latest.setdefault(record.purpose, record)
    return {purpose: latest.get(purpose) for purpose in PURPOSES}


def choices_of(member) -> dict:
    """{purpose: bool}: what the member allows now."""
    return {purpose: bool(record and record.granted) for purpose, record in current_consents(member).items()}


def allows(member, purpose) -> bool:
    """Does `member` allow `purpose` now? (Their latest record for it grants it.)"""
    return allows_id(getattr(member, "pk", None), purpose)


def allows_id(member_id, purpose) -> bool:
    if not member_id:
        return False
    granted = (ConsentRecord.objects.filter(member_id=member_id, purpose=purpose)
               .order_by("-recorded_at", "-pk").values_list("granted", flat=True).first())
    return bool(granted)


consent_recorded = Signal()
"""Sent (member_id=, purposes=) after `record_consents` writes: `bulk_create` sends no post_save,
and the recommender caches each member's consent (recommendations/member_state.py) until told."""


def record_consents(*, member, choices: dict, source: str, at=None) -> list:
    """Record the member's decisions `{purpose: bool}`; only purposes whose state changes
    (or that were never decided) get a new record. Returns the records written."""
    unknown = set(choices) - set(PURPOSES)
    if unknown:
        raise ValueError(f"unknown consent purposes: {sorted(unknown)}")
    at = at or timezone.now()
    with transaction.atomic():
        current = current_consents(member)
        records = [
            ConsentRecord(member=member, purpose=purpose, granted=bool(granted), source=source,
                          text_version=CONSENT_TEXTS[purpose].version, recorded_at=at)
            for purpose, granted in choices.items()
            if current[purpose] is None or current[purpose].granted != bool(granted)
        ]
        ConsentRecord.objects.bulk_create(records)
    if records:
        consent_recorded.send(sender=ConsentRecord, member_id=member.pk, purposes=[r.purpose for r in records])
    return records


def members_allowing(members, purpose):
    """The members of the queryset `members` whose latest record for `purpose` grants it (one query)."""
    latest = (ConsentRecord.objects.filter(member=OuterRef("pk"), purpose=purpose)
              .order_by("-recorded_at", "-pk").values("granted")[:1])
    return members.alias(_consent_granted=Subquery(latest)).filter(_consent_granted=True)


def members_allowing_personalization(members):
    """RECOMMENDER_CONSENT_FILTER (recommendations/consent.py): who may be personalised and trained on."""
    return members_allowing(members, Purpose.PERSONALIZATION)
