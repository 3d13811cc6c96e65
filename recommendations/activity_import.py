"""Importing member activity from a CSV file (`manage.py import_activity`), as a service.

Columns: `member,item_kind,item_ref,event,timestamp` (a header line, any order; an
optional `event_id` column names each event). Every line is checked before anything is
written; a bad line is reported with its line number (the header is line 1) and the
reason. Without `skip_invalid` one bad line means nothing is imported; with it, the good
lines are. The import is one transaction (all or nothing).

- member: an e-mail address (any case) or a member number;
- item_kind: lower-case letters, digits or `_` (route, offer, news …); item_ref: 1–64
  characters without spaces at either end;
- event: one of `members.models.ActivityEvent.Event`;
- timestamp: ISO 8601 (`2026-05-01T09:30:00+08:00`); without an offset it is UTC; not
  more than five minutes in the future.

Idempotent: an event's id is the file's `event_id`, or else a UUID derived from the
line's content (member, kind, ref, event, timestamp), so importing the same file twice
adds nothing the second time. Consent is honoured like `members.services.record_activity`:
lines of members who do not allow analytics are not recorded (counted, not errors).
"""

import csv
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta, timezone as dt_timezone

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

COLUMNS = ("member", "item_kind", "item_ref", "event", "timestamp")
KIND = re.compile(r"^[a-z0-9_]{1,16}$")
NAMESPACE = uuid.UUID("6f1d7c1e-52a4-4c1e-9a57-3c2f0b7e2a61")  # event ids derived from a line's content
FUTURE_SLACK = timedelta(minutes=5)
BATCH = 5000


@dataclass
class ImportReport:
    lines: int = 0
    errors: list = field(default_factory=list)  # (line number, reason)
    imported: int = 0
    already_there: int = 0
    without_consent: int = 0
    members: set = field(default_factory=set)  # ids of members who got new events

    @property
    def valid(self):
        return self.lines - len(self.errors)


def _member_lookup(identifiers):
    """{identifier as written: member id} for e-mails (any case) and member numbers, two queries."""
    from members.models import Member

    emails = {i.lower() for i in identifiers if "@" in i}
    numbers = {i.upper() for i in identifiers if "@" not in i}
    by_email = dict(Member.objects.annotate(low=Lower("email")).filter(low__in=emails).values_list("low", "pk")) if emails else {}
    by_number = dict(Member.objects.filter(member_number__in=numbers).values_list("member_number", "pk")) if numbers else {}
    return {i: (by_email.get(i.lower()) if "@" in i else by_number.get(i.upper())) for i in identifiers}


def _timestamp(text, now):
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(_("timestamp %(value)r is not an ISO 8601 date and time") % {"value": text})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt_timezone.utc)
    if value > now + FUTURE_SLACK:
        raise ValueError(_("timestamp %(value)s is in the future") % {"value": text})
    return value


def read_activity(handle):
    """Parse and check every line; returns (ImportReport, [event dicts of the good lines])."""
    from members.models import ActivityEvent

    report = ImportReport()
    reader = csv.DictReader(handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        report.errors.append((1, _("missing columns: %(columns)s (expected %(expected)s)") % {
            "columns": ", ".join(missing), "expected": ",".join(COLUMNS)}))
        return report, []
    reader.fieldnames = header
    raw = [(reader.line_num, line) for line in reader]
    members = _member_lookup({(line.get("member") or "").strip() for _n, line in raw} - {""})
    events, now = [], timezone.now()
    for number, line in raw:
        report.lines += 1
        try:
            if None in line or any(line.get(c) is None for c in COLUMNS):
                raise ValueError(_("expected %(count)d columns") % {"count": len(header)})
            member, kind, ref, event = (line[c].strip() for c in ("member", "item_kind", "item_ref", "event"))
            if not member:
                raise ValueError(_("member is empty"))
            if members.get(member) is None:
                raise ValueError(_("no member with e-mail or number %(member)r") % {"member": member})
            if not KIND.match(kind):
                raise ValueError(_("item_kind %(kind)r must be 1–16 lower-case letters, digits or _") % {"kind": kind})
            if not ref or len(ref) > 64:
                raise ValueError(_("item_ref must be 1–64 characters"))
            if event not in ActivityEvent.Event.values:
                raise ValueError(_("unknown event %(event)r (one of %(known)s)") % {
                    "event": event, "known": ", ".join(ActivityEvent.Event.values)})
            occurred_at = _timestamp(line["timestamp"].strip(), now)
            given = (line.get("event_id") or "").strip()
            try:
                event_id = uuid.UUID(given) if given else uuid.uuid5(
                    NAMESPACE, f"{members[member]}|{kind}|{ref}|{event}|{occurred_at.isoformat()}")
            except ValueError:
                raise ValueError(_("event_id %(value)r is not a UUID") % {"value": given}) from None
        except ValueError as error:
            report.errors.append((number, str(error)))
            continue
        events.append({"member_id": members[member], "kind": kind, "ref": ref, "event": event,
                       "occurred_at": occurred_at, "event_id": event_id, "line": number})
    seen = {}
    for item in events:  # the same event id twice in one file: the second line is a mistake
        if item["event_id"] in seen:
            report.errors.append((item["line"], _("the same event as line %(line)d") % {"line": seen[item["event_id"]]}))
        seen.setdefault(item["event_id"], item["line"])
    bad = {number for number, _reason in report.errors}
    report.errors.sort()
    return report, [e for e in events if e["line"] not in bad]


def import_activity(*, handle, skip_invalid=False, channel="web", dry_run=False):
    """Check every line, then import the good ones in one transaction (none if a line is bad, unless `skip_invalid`)."""
    from members.models import ActivityEvent, Member
    from members.privacy.consent import members_allowing
    from members.privacy.models import Purpose

    if channel not in ActivityEvent.Channel.values:
        raise ValueError(_("unknown channel %(channel)r") % {"channel": channel})
    report, events = read_activity(handle)
    if (report.errors and not skip_invalid) or dry_run or not events:
        return report
    member_ids = {e["member_id"] for e in events}
    allowed = set(members_allowing(Member.objects.filter(pk__in=member_ids), Purpose.ANALYTICS).values_list("pk", flat=True))
    kept = [e for e in events if e["member_id"] in allowed]
    report.without_consent = len(events) - len(kept)
    with transaction.atomic():
        ids = [e["event_id"] for e in kept]
        existing = set()
        for start in range(0, len(ids), BATCH):
            existing |= set(ActivityEvent.objects.filter(event_id__in=ids[start:start + BATCH]).values_list("event_id", flat=True))
        new = [e for e in kept if e["event_id"] not in existing]
        ActivityEvent.objects.bulk_create(
            [ActivityEvent(member_id=e["member_id"], kind=e["kind"], ref=e["ref"], event=e["event"], channel=channel,
                           occurred_at=e["occurred_at"], event_id=e["event_id"]) for e in new],
            batch_size=BATCH, ignore_conflicts=True,
        )
        report.imported, report.already_there = len(new), len(kept) - len(new)
        report.members = {e["member_id"] for e in new}
        if report.members:
            from recommendations.freshness import refresh_members_later

            transaction.on_commit(lambda: refresh_members_later(report.members))
    return report
