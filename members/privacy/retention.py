"""Retention: raw activity older than PRIVACY_ACTIVITY_RETENTION_DAYS (default 730) is deleted.

Run nightly by Celery beat (`members.privacy.tasks.purge_expired_activity`) and by hand
with `manage.py purge_expired_activity`. Deletes in batches, so a first run on a large
table does not hold one huge transaction. The recommender keeps working: training reads
what is left (its half-life already gives old events little weight) and its
database fallback counts the last 365 days only.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

BATCH = 20_000


@dataclass
class Purge:
    cutoff: object
    deleted: int


def purge_expired_activity(*, days=None, now=None, batch=BATCH, progress=None) -> Purge:
    from members.models import ActivityEvent

    days = settings.PRIVACY_ACTIVITY_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("the retention window must be at least one day")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    expired = ActivityEvent.objects.filter(occurred_at__lt=cutoff).order_by()
    while True:
        ids = list(expired.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        deleted += ActivityEvent.objects.filter(pk__in=ids).delete()[0]
        if progress:
            progress(deleted)
    return Purge(cutoff=cutoff, deleted=deleted)
