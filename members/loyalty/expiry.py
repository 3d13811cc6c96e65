"""Miles expiry: miles expire after 24 months without activity (docs/loyalty.md, "Miles expiry").

- **Activity** is any ledger posting that is not itself an expiry: a flight, partner
  activity, an offer bonus, an adjustment. Its day (UTC) is the member's *last activity*.
- Miles **expire on** the same calendar day 24 months after the last activity (clamped
  to the month's end: 31 March → 31 March, 29 Feb 2024 → 28 Feb 2026). On that day the
  whole positive balance goes, as ONE `expiry` ledger entry of −balance whose source key
  is `expiry:<that day>`; the unique (member, source key) constraint makes a second run,
  or two workers at once, post it once.
- **Warning**: on any day within the 30 days before that day, a member with miles gets an
  on-site `Notification` and an e-mail in their language, once per expiry day (a later
  activity moves the day, and a new warning follows in time).

`run_expiry(on=)` does both for one day; Celery beat runs it daily (portal/settings.py).
Members are found by one aggregate query per step (last activity and balance per member,
with a HAVING on the window), not by a loop over members.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone as django_timezone

from members.loyalty.models import LedgerEntry, Notification

EXPIRY_MONTHS = 24
WARNING_DAYS = 30
EMAIL_KIND = "miles_expiry"
CHUNK = 2000


def add_months(day: date, months: int) -> date:
    """The same calendar day `months` later (or earlier), clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def expires_on(last_activity: date) -> date:
    return add_months(last_activity, EXPIRY_MONTHS)


def latest_activity_expiring_by(day: date) -> date:
    """The latest last-activity day whose miles have expired by `day` (expires_on(L) <= day)."""
    latest = add_months(day, -EXPIRY_MONTHS)
    while expires_on(latest + timedelta(days=1)) <= day:  # month-end clamping: at most a few steps
        latest += timedelta(days=1)
    return latest


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def members_by_last_activity(*, after: date | None, up_to: date):
    """(member id, last activity instant, balance) of members with a positive balance whose
    last activity day is in (after, up_to] — one aggregate query."""
    from members.models import Member

    activity = ~Q(ledger__kind=LedgerEntry.Kind.EXPIRY)
    rows = (
        Member.objects.order_by()
        .annotate(last=Max("ledger__occurred_at", filter=activity), balance=Coalesce(Sum("ledger__miles"), 0))
        .filter(balance__gt=0, last__lt=_start(up_to + timedelta(days=1)))
    )
    if after is not None:
        rows = rows.filter(last__gte=_start(after + timedelta(days=1)))
    return rows.values_list("pk", "last", "balance")


@dataclass
class ExpiryRun:
    on: date
    warned: list = field(default_factory=list)  # notification ids
    expired: dict = field(default_factory=dict)  # member id → miles expired
    expiry_notices: list = field(default_factory=list)  # notification ids


def run_expiry(*, on: date | None = None) -> ExpiryRun:
    """Warn the members whose miles expire within 30 days, expire those due on or before `on`. Idempotent."""
    from members.loyalty.tiers import today

    on = on or today()
    run = ExpiryRun(on=on)
    due = latest_activity_expiring_by(on)
    with transaction.atomic():
        warn_rows = list(members_by_last_activity(after=due, up_to=latest_activity_expiring_by(on + timedelta(days=WARNING_DAYS))))
        run.warned = _warn(warn_rows)
        run.expired, run.expiry_notices = _expire(list(members_by_last_activity(after=None, up_to=due)))
        ids = run.warned + run.expiry_notices
        if ids:
            transaction.on_commit(lambda: _enqueue_emails(ids))
    return run


def _warn(rows) -> list[int]:
    wanted = {pk: (expires_on(last.astimezone(timezone.utc).date()), balance) for pk, last, balance in rows}
    already = {
        (member_id, data.get("expires_on"))
        for member_id, data in Notification.objects.filter(
            member_id__in=list(wanted), kind=Notification.Kind.MILES_EXPIRY_WARNING).values_list("member_id", "data")
    }
    now = django_timezone.now()
    new = [
        Notification(member_id=pk, kind=Notification.Kind.MILES_EXPIRY_WARNING, created_at=now,
                     data={"miles": balance, "expires_on": day.isoformat()})
        for pk, (day, balance) in wanted.items() if (pk, day.isoformat()) not in already
    ]
    return [n.pk for n in Notification.objects.bulk_create(new, batch_size=CHUNK)]


def _expire(rows) -> tuple[dict, list[int]]:
    expired, notice_ids = {}, []
    now = django_timezone.now()
    for i in range(0, len(rows), CHUNK):
        entries, notices = [], []
        for pk, last, balance in rows[i:i + CHUNK]:
            day = expires_on(last.astimezone(timezone.utc).date())
            entries.append(LedgerEntry(member_id=pk, kind=LedgerEntry.Kind.EXPIRY, miles=-balance,
                                       source_key=f"expiry:{day.isoformat()}", occurred_at=_start(day),
                                       reason=f"{balance} miles: no activity since {last.date().isoformat()}"))
            notices.append(Notification(member_id=pk, kind=Notification.Kind.MILES_EXPIRED, created_at=now,
                                        data={"miles": balance, "expires_on": day.isoformat()}))
            expired[pk] = balance
        LedgerEntry.objects.bulk_create(entries)
        notice_ids += [n.pk for n in Notification.objects.bulk_create(notices)]
    return expired, notice_ids


def _enqueue_emails(notification_ids):
    from members.tasks import send_miles_expiry_emails

    for i in range(0, len(notification_ids), 500):
        send_miles_expiry_emails.delay(notification_ids[i:i + 500])


def _render(notification):
    from django.conf import settings
    from django.utils.translation import gettext as _

    def render():
        if notification.kind == Notification.Kind.MILES_EXPIRY_WARNING:
            subject = _("Your miles expire on %(date)s") % {"date": notification.data["expires_on"]}
        else:
            subject = _("Your miles have expired")
        body = _("Dear %(name)s,\n\n%(message)s\n\nSee your account at %(url)s\n") % {
            "name": notification.member.get_short_name(), "message": notification.message,
            "url": f"{settings.SITE_URL}/me/"}
        return subject, body, None

    return render


def send_expiry_emails(notification_ids) -> int:
    """E-mail each notice once, in the member's language (members.emails.send_to_member). Safe to run twice."""
    from members.emails import send_to_member

    sent = 0
    for notice in Notification.objects.select_related("member").filter(pk__in=notification_ids).order_by("pk"):
        key = f"{notice.kind}:{notice.data.get('expires_on')}"
        if send_to_member(member=notice.member, kind=EMAIL_KIND, key=key, render=_render(notice)):
            sent += 1
    return sent
