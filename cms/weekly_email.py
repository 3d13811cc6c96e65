"""The weekly personal e-mail: each consenting member's offers and fares, from the dashboard's own slots.

- **Who**: active members whose latest marketing-email consent grants it
  (`members.privacy.consent.members_allowing`) and whose e-mail address is verified;
  checked again for each member at the moment of sending.
- **What**: the slots `offers` and `fares` of cms/slots.py (the same code as the dashboard,
  hold-out groups included), rendered in the member's language into HTML and text
  (templates/emails/weekly.html, .txt). Links are tracked links of the slot `email`, so a
  click from the e-mail is measured like a click on the dashboard. A member with nothing
  to show gets no e-mail that week.
- **Once per member and week**: `members.emails.send_to_member` with the key
  `YYYY-Www` (ISO week): a rerun, a redelivered batch or two beat runs send nothing twice.
- **Unsubscribe**: a signed link (members/unsubscribe.py) in the body and in the
  `List-Unsubscribe` / `List-Unsubscribe-Post: List-Unsubscribe=One-Click` headers (RFC 8058).
- **Batches**: cms.tasks.send_weekly_email (Celery beat, Mondays) splits the recipients
  into batches of `BATCH_SIZE` member ids, one task each, on the `default` queue; each
  batch sends through one SMTP connection.
"""

import datetime as dt
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.slots import fill_slots, offers_for_you, route_destinations
from members.emails import send_to_member
from members.models import EmailSent, Member
from members.privacy.consent import allows, members_allowing
from members.privacy.models import Purpose
from members.unsubscribe import unsubscribe_url
from recommendations.tracking import tracked_url

log = logging.getLogger(__name__)

BATCH_SIZE = 200
WEEKLY_SLOTS = {"offers": offers_for_you, "fares": route_destinations}
EMAIL_SLOT = "email"  # the slot name tracked clicks from the e-mail are counted under


def week_key(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def recipients():
    """Members the weekly e-mail may go to: active, marketing consent granted, a verified e-mail."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
    return members_allowing(Member.objects.filter(is_active=True), Purpose.MARKETING_EMAIL).filter(Exists(verified))


def pending_member_ids(week: str) -> list:
    """Recipients who have not had this week's e-mail yet, by id."""
    sent = EmailSent.objects.filter(member=OuterRef("pk"), kind=EmailSent.Kind.WEEKLY, key=week)
    return list(recipients().exclude(Exists(sent)).order_by("pk").values_list("pk", flat=True))


def _absolute(member, item):
    return settings.SITE_URL + tracked_url(member=member, slot=EMAIL_SLOT, kind=item.kind, ref=item.ref, target=item.url)


def weekly_message(member, today):
    """(subject, text, html) of the member's e-mail, in the active language; None when there is nothing to show."""
    slots = fill_slots(member, today, slots=WEEKLY_SLOTS)
    offers = [(item, _absolute(member, item)) for item in slots["offers"].items]
    fares = [(item, _absolute(member, item)) for item in slots["fares"].items]
    if not offers and not fares:
        return None
    context = {"member": member, "offers": offers, "fares": fares, "site_url": settings.SITE_URL,
               "unsubscribe_url": unsubscribe_url(member), "week": week_key(today), "today": today}
    subject = _("Your week with Wayfare: offers and fares picked for you")
    return subject, render_to_string("emails/weekly.txt", context), render_to_string("emails/weekly.html", context)


def unsubscribe_headers(member):
    return {"List-Unsubscribe": f"<{unsubscribe_url(member)}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_weekly_batch(member_ids, *, week: str, today: dt.date | None = None) -> int:
    """Send this week's e-mail to the members of one batch who still consent and have not had it. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    connection = get_connection()
    with connection:
        for member in Member.objects.filter(pk__in=member_ids, is_active=True).select_related("tier").order_by("pk"):
            if not allows(member, Purpose.MARKETING_EMAIL):  # withdrawn since the batch was planned
                continue
            row = send_to_member(member=member, kind=EmailSent.Kind.WEEKLY, key=week, connection=connection,
                                 render=lambda m=member: weekly_message(m, today), headers=unsubscribe_headers(member))
            sent += row is not None
    log.info("weekly e-mail %s: %s sent in a batch of %s", week, sent, len(member_ids))
    return sent
