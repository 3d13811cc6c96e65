"""Celery tasks of members.privacy (listed in CELERY_IMPORTS: not an app's tasks.py)."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3, acks_late=True)
def purge_expired_activity():
    """Nightly (Celery beat): delete raw activity past the retention window. Safe to run twice."""
    from members.privacy.retention import purge_expired_activity as purge

    result = purge()
    return {"cutoff": result.cutoff.isoformat(), "deleted": result.deleted}
