"""Fast inserts for the big tables: PostgreSQL COPY, `bulk_create` in batches elsewhere."""

from datetime import timezone

import numpy as np
from django.db import connection

from members.models import ActivityEvent

BATCH_SIZE = 5000
KIND = "route"
CHANNEL = ActivityEvent.Channel.DEMO
HAS_EVENT_ID = any(f.name == "event_id" for f in ActivityEvent._meta.concrete_fields)


def insert_route_events(member_ids, refs, events, occurred_at, event_ids):
    """Insert demo route events; arrays of equal length, occurred_at as UTC datetime64,
    event_ids as 32-digit hex UUIDs (used when ActivityEvent has `event_id`). Returns the count.
    """
    if not len(member_ids):
        return 0
    member_ids = np.asarray(member_ids).tolist()
    refs = list(refs)
    events = np.asarray(events).tolist()
    ids = np.asarray(event_ids).tolist()
    if connection.vendor == "postgresql":
        stamps = (np.datetime_as_string(np.asarray(occurred_at, dtype="datetime64[s]")) + "+00:00").tolist()
        columns = "member_id, kind, ref, event, channel, occurred_at" + (", event_id" if HAS_EVENT_ID else "")
        sql = f'COPY "{ActivityEvent._meta.db_table}" ({columns}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            if HAS_EVENT_ID:
                for m, r, e, t, i in zip(member_ids, refs, events, stamps, ids):
                    copy.write_row((m, KIND, r, e, CHANNEL, t, i))
            else:
                for m, r, e, t in zip(member_ids, refs, events, stamps):
                    copy.write_row((m, KIND, r, e, CHANNEL, t))
    else:
        utc = np.asarray(occurred_at, dtype="datetime64[s]").astype(object)
        extra = (lambda i: {"event_id": i}) if HAS_EVENT_ID else (lambda i: {})
        ActivityEvent.objects.bulk_create(
            [
                ActivityEvent(member_id=m, kind=KIND, ref=r, event=e, channel=CHANNEL,
                              occurred_at=t.replace(tzinfo=timezone.utc), **extra(i))
                for m, r, e, t, i in zip(member_ids, refs, events, utc, ids)
            ],
            batch_size=BATCH_SIZE,
        )
    return len(member_ids)
