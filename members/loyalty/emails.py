"""The tier-upgrade e-mail, in each member's language. Sent by a task after the recalculation committed."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.loyalty.models import TierHistory


def upgrade_message(history: TierHistory) -> EmailMessage:
    """The e-mail in the active language (the tier's name too)."""
    member, tier = history.member, history.new_tier
    benefits = "\n".join(f"- {b}" for b in tier.benefit_list)
    body = _(
        "Dear %(name)s,\n\nyou are now %(tier)s in Wayfare. Your new benefits apply from today:\n\n%(benefits)s\n\n"
        "See your status at %(url)s\n"
    ) % {"name": member.get_short_name(), "tier": tier.display_name, "benefits": benefits, "url": f"{settings.SITE_URL}/me/"}
    return EmailMessage(_("Welcome to %(tier)s") % {"tier": tier.display_name}, body, to=[member.email])


def send_upgrade_emails(history_ids) -> int:
    """Send the e-mails not sent yet; returns how many were sent. Safe to run twice."""
    with transaction.atomic():
        pending = list(
            TierHistory.objects.select_for_update(of=("self",)).select_related("member", "new_tier")
            .filter(pk__in=history_ids, emailed_at__isnull=True)
        )
        if not pending:
            return 0
        messages = []
        for h in pending:
            with translation.override(h.member.email_language()):
                messages.append(upgrade_message(h))
        get_connection().send_messages(messages)
        TierHistory.objects.filter(pk__in=[h.pk for h in pending]).update(emailed_at=timezone.now())
    return len(pending)
