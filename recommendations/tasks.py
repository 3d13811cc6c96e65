"""Celery tasks of the recommender; all routed to the `training` queue by settings."""

import logging

from celery import shared_task
from django.core.cache import caches
from django.conf import settings

log = logging.getLogger(__name__)

LOCK_KEY = "training-lock"
LOCK_SECONDS = 6 * 3600  # above any training run; CELERY_VISIBILITY_TIMEOUT must be too


@shared_task(bind=True, acks_late=True, max_retries=2, default_retry_delay=600)
def train_recommender(self, tune=True):
    """Nightly full retrain (Celery beat). One at a time: a second delivery while one runs does nothing."""
    from recommendations.training.pipeline import train

    cache = caches[settings.RECOMMENDER_CACHE]
    try:
        if not cache.add(LOCK_KEY, self.request.id or "eager", LOCK_SECONDS):
            log.info("recommender: a training run is already in progress, skipping")
            return None
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


@shared_task(acks_late=True, max_retries=3, default_retry_delay=30)
def record_impressions(member_id, slot, items, day_iso):
    """Impressions of one slot on one page view; routed to the default queue. Safe to run twice."""
    from datetime import date

    from recommendations.tracking import record_impressions as record

    return record(member_id=member_id, slot=slot, items=[tuple(i) for i in items], day=date.fromisoformat(day_iso))
