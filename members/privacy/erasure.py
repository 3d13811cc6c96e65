"""Erasing a member's account (the right to erasure), in one transaction.

What happens (docs/privacy.md, "Erasure"):

- Removed: the member row (name, e-mail, home airport, cabin, interests, password,
  member number), their e-mail addresses, second factors, consents, trips and legs,
  tier history, notifications, service cases and their threads, e-mails sent, sign-ins,
  admin profile (all by CASCADE), corporate enquiries
  sent from their e-mail, and their raw activity events.
- Kept, unlinkable: ledger entries, offer claims, impressions and clicks move to a new
  pseudonymous account made for this erasure alone (inactive, no password, a random
  e-mail under `erased.invalid`, a new random member number, a new id). Nothing records
  which member it was, so totals (miles issued, claims per offer and the offers' caps,
  impressions and clicks per slot) stay right and cannot be traced back to the person.
  Free-text reasons on those ledger rows are replaced.
- Activity is dropped, not re-keyed: a timeline of searches and views is behavioural
  data that can single a person out even under a random id, and the recommender does
  not need it (the serving model keeps serving everyone else; the next training run
  simply does not see this member). Retention drops old activity anyway.
- The audit log keeps staff entries about the member with the member and the details
  removed, plus one "an account was erased" entry that names nobody.

The e-mail address is free again as soon as the transaction commits.
"""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from members.loyalty.models import LedgerEntry
from members.privacy.export import BY_EMAIL, by_email
from members.privacy.models import AuditEntry
from portal.errors import DomainError

PSEUDONYM_DOMAIN = "erased.invalid"
ERASED_REASON = "account erased"


def is_pseudonym(member) -> bool:
    return member.email.endswith("@" + PSEUDONYM_DOMAIN)


def erase_member(*, member) -> None:
    """Erase `member` (see the module docstring). Staff accounts are closed by an administrator instead."""
    from members.models import ActivityEvent, Member

    if member.is_staff or member.is_superuser or member.groups.exists():
        raise DomainError(_("Staff accounts are closed by an administrator, not deleted here."), status_code=403)
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        email = locked.email
        pseudonym = Member.objects.create_user(
            f"erased-{secrets.token_hex(12)}@{PSEUDONYM_DOMAIN}", None, is_active=False, tier_id=locked.tier_id,
        )
        ActivityEvent.objects.filter(member=locked).delete()
        # Append-only rows move as a whole (queryset updates, no save()); free text goes.
        locked.ledger.exclude(kind=LedgerEntry.Kind.FLIGHT).update(reason=ERASED_REASON)
        locked.ledger.update(member=pseudonym)
        locked.offer_claims.update(member=pseudonym)
        locked.impressions.update(member=pseudonym)
        locked.clicks.update(member=pseudonym)
        for label in BY_EMAIL.values():
            by_email(label, email).delete()
        AuditEntry.objects.filter(subject=locked).update(subject=None, detail="")
        AuditEntry.objects.create(action=AuditEntry.Action.ERASURE)
        locked.delete()
