"""Celery tasks of the recommender; all routed to the `training` queue by settings."""

import logging

from celery import shared_task
from django.core.cache import caches
from django.conf import settings

log = logging.getLogger(__name__)

LOCK_KEY = "training-lock"
LOCK_SECONDS = 6 * 3600  # above any training run; CELERY_VISIBILITY_TIMEOUT must be too


# acks_late + reject_on_worker_lost: a worker killed mid-training (SIGKILL, out of memory)
# leaves the message unacknowledged, and Celery or Redis (after CELERY_VISIBILITY_TIMEOUT)
# delivers it again; activation is the pipeline's last step, so the old version serves until then.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=2, default_retry_delay=600)
def train_recommender(self, tune=True):
    """Nightly full retrain (Celery beat). One at a time: a second delivery while one runs does nothing.

    A lock held by this very task id is a run of ours that died (the message came back):
    it is taken over, and the version that run left in "training" is marked failed.
    """
    from recommendations.training.pipeline import train

    cache = caches[settings.RECOMMENDER_CACHE]
    task_id = self.request.id or "eager"
    try:
        if not cache.add(LOCK_KEY, task_id, LOCK_SECONDS):
            if cache.get(LOCK_KEY) != task_id:
                log.info("recommender: a training run is already in progress, skipping")
                return None
            log.warning("recommender: task %s delivered again after its worker was lost; training anew", task_id)
            _mark_abandoned_runs()
    except Exception:  # noqa: BLE001 - no cache, no lock: train anyway
        log.warning("recommender: training lock unavailable", exc_info=True)
    try:
        return train(tune=tune).pk
    except Exception as error:
        raise self.retry(exc=error) from error
    finally:
        try:
            cache.delete(LOCK_KEY)
        except Exception:  # noqa: BLE001
            pass


def _mark_abandoned_runs():
    from django.utils import timezone

    from recommendations.models import ModelVersion

    ModelVersion.objects.filter(status=ModelVersion.Status.TRAINING).update(
        status=ModelVersion.Status.FAILED, note="abandoned: the worker was lost mid-training", finished_at=timezone.now())


@shared_task(acks_late=True, max_retries=3, default_retry_delay=30)
def record_impressions(member_id, slot, items, day_iso):
    """Impressions of one slot on one page view; routed to the default queue. Safe to run twice."""
    from datetime import date

    from recommendations.tracking import record_impressions as record

    return record(member_id=member_id, slot=slot, items=[tuple(i) for i in items], day=date.fromisoformat(day_iso))


@shared_task(ignore_result=True)
def refresh_recommendations(member_ids):
    """Fold the members' new activity into their cached lists (recommendations/freshness.py); never raises.

    Routed to the default queue (settings): a long training run must not delay it. Safe to run twice.
    """
    from recommendations.freshness import run_refresh

    return run_refresh(member_ids)


@shared_task(ignore_result=True)
def refresh_recent_recommendations():
    """Celery beat, every few minutes: members with new events since the last pass (freshness safety net)."""
    from recommendations.freshness import refresh_recently_active

    return refresh_recently_active()
