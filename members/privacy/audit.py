"""The staff audit log: who read or changed which member's data, and when.

Written here only: `record(...)` by the views that show or export member data, a
`post_save` receiver for ledger adjustments (so every adjustment is logged, whichever
screen or script made it), Wagtail's user hooks for the admin's member screens, and
portal.middleware.StaffAuditMiddleware for admin list downloads. Shown read-only to
superusers in the Wagtail admin (members/privacy/admin_views.py).
"""

import logging

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.loyalty.models import LedgerEntry
from members.privacy.models import AuditEntry

log = logging.getLogger(__name__)
Action = AuditEntry.Action


def _user(user):
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


def record(*, actor, action, subject=None, detail="") -> AuditEntry:
    return AuditEntry.objects.create(actor=_user(actor), action=action, subject=_user(subject) if subject else None,
                                     detail=str(detail)[:255])


@receiver(post_save, sender=LedgerEntry, dispatch_uid="privacy.audit.ledger_adjustment")
def ledger_adjustment_logged(sender, instance, created, raw=False, **kwargs):
    """Every manual adjustment is an audit entry, in the adjustment's own transaction."""
    if created and not raw and instance.kind == LedgerEntry.Kind.ADJUSTMENT:
        AuditEntry.objects.create(
            actor_id=instance.staff_id, action=Action.LEDGER_ADJUSTMENT, subject_id=instance.member_id,
            detail=f"{instance.miles:+} miles, {instance.loyalty_points:+} LP: {instance.reason}"[:255],
        )
