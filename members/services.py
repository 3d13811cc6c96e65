"""Writes with side effects on members. Keyword-only arguments, one transaction each."""

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from members.models import ActivityEvent, Member
from members.privacy.consent import allows
from members.privacy.models import Purpose


def record_activity(
    *,
    member: Member,
    kind: str,
    ref: str,
    event: str,
    occurred_at: datetime | None = None,
    channel: str = ActivityEvent.Channel.WEB,
    event_id: uuid.UUID | str | None = None,
    defer: bool = False,
) -> ActivityEvent | uuid.UUID | None:
    """Record that `member` did `event` with the item `kind:ref` — if they allow analytics.

    A member who has not granted (or has withdrawn) the analytics consent is not
    recorded at all: nothing is written or queued, and None is returned. A deferred
    event is checked again when the worker records it (consent may be withdrawn between).

    `event_id` names the event once and for all: recording the same id a second time
    (a retried request, a redelivered task) changes nothing and returns the first row.
    With `defer=True` the event is handed to the `default` Celery queue after the
    surrounding transaction commits (so the worker sees the member it refers to, and
    nothing is sent if the transaction rolls back); the event's id is returned.
    """
    if event not in ActivityEvent.Event.values:
        raise ValueError(f"unknown activity event {event!r}")
    if not allows(member, Purpose.ANALYTICS):
        return None
    occurred_at = occurred_at or timezone.now()
    event_id = uuid.UUID(str(event_id)) if event_id else uuid.uuid4()

    if defer:
        from members.tasks import record_activity_event

        args = (member.pk, kind, ref, event, occurred_at.isoformat(), channel, str(event_id))
        transaction.on_commit(lambda: record_activity_event.apply_async(args=args))
        return event_id

    row, _created = ActivityEvent.objects.get_or_create(
        event_id=event_id,
        defaults={
            "member": member,
            "kind": kind,
            "ref": ref,
            "event": event,
            "channel": channel,
            "occurred_at": occurred_at,
        },
    )
    return row
