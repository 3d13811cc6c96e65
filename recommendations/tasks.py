"""Celery tasks of the recommender; all routed to the `training` queue by settings."""

import logging
import threading

from celery import shared_task
from django.core.cache import caches
from django.conf import settings

log = logging.getLogger(__name__)

LOCK_KEY = "training-lock"
# A live run refreshes the lock every LOCK_SECONDS / 3 (`LockHeartbeat`), so a run whose worker
# died leaves a lock that expires within LOCK_SECONDS, whoever queues the next run.
LOCK_SECONDS = 15 * 60


# acks_late + reject_on_worker_lost: a worker killed mid-training (SIGKILL, out of memory)
# leaves the message unacknowledged, and Celery or Redis (after CELERY_VISIBILITY_TIMEOUT)
# delivers it again; activation is the pipeline's last step, so the old version serves until then.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=2, default_retry_delay=600)
def train_recommender(self, tune=True):
    """Nightly full retrain (Celery beat). One at a time: a second delivery while one runs does nothing.

    A lock held by this very task id is a run of ours that died (the message came back): it is
    taken over. Whoever takes the lock marks the versions a dead run left in "training" failed:
    holding the lock means no other run is alive (a live one keeps refreshing it).
    """
    from recommendations.training.pipeline import train

    cache = caches[settings.RECOMMENDER_CACHE]
    task_id = self.request.id or "eager"
    heartbeat = None
    try:
        if not cache.add(LOCK_KEY, task_id, LOCK_SECONDS):
            if cache.get(LOCK_KEY) != task_id:
                log.info("recommender: a training run is already in progress, skipping")
                return None
            log.warning("recommender: task %s delivered again after its worker was lost; training anew", task_id)
        _mark_abandoned_runs()
        heartbeat = LockHeartbeat(cache, task_id)
        heartbeat.start()
    except Exception:  # noqa: BLE001 - no cache, no lock: train anyway
        log.warning("recommender: training lock unavailable", exc_info=True)
    try:
        return train(tune=tune).pk
    except Exception as error:
        raise self.retry(exc=error) from error
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        try:
            if cache.get(LOCK_KEY) == task_id:
                cache.delete(LOCK_KEY)
        except Exception:  # noqa: BLE001
            pass


class LockHeartbeat(threading.Thread):
    """Keeps the training lock alive while this run trains: it dies with the worker, and so does the lock."""

    def __init__(self, cache, task_id):
        super().__init__(daemon=True, name="training-lock-heartbeat")
        self.cache, self.task_id, self._stopped = cache, task_id, threading.Event()

    def run(self):
        while not self._stopped.wait(LOCK_SECONDS / 3):
            try:
                if self.cache.get(LOCK_KEY) != self.task_id:  # taken over: not ours to refresh
                    return
                self.cache.touch(LOCK_KEY, LOCK_SECONDS)
            except Exception:  # noqa: BLE001 - the next beat tries again; the lock lasts LOCK_SECONDS
                log.warning("recommender: could not refresh the training lock", exc_info=True)

    def stop(self):
        self._stopped.set()
        self.join(timeout=5)


def _mark_abandoned_runs():
    from django.utils import timezone

    from recommendations.models import ModelVersion

    ModelVersion.objects.filter(status=ModelVersion.Status.TRAINING).update(
        status=ModelVersion.Status.FAILED, note="abandoned: the worker was lost mid-training", finished_at=timezone.now())


@shared_task(acks_late=True, max_retries=3, default_retry_delay=30)
def record_impressions(member_id, slot, items, day_iso, by_slot=None):
    """Impressions of one page view; routed to the default queue. Safe to run twice (one row per slot × item × day).

    One slot's (`slot`, `items`), or the whole page's in one message: `by_slot` {slot: items} (the dashboard
    queues one task per page rather than one per slot). Returns how many rows were new.
    """
    from datetime import date

    from recommendations.tracking import record_impressions as record

    day = date.fromisoformat(day_iso)
    pages = dict(by_slot or {})
    if slot is not None:
        pages[slot] = items
    return sum(record(member_id=member_id, slot=name, items=[tuple(i) for i in slot_items], day=day)
               for name, slot_items in pages.items() if slot_items)


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
