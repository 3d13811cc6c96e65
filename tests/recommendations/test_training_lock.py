"""One training run at a time, and a run whose worker died never blocks the next for long."""

import time

import pytest
from django.conf import settings
from django.core.cache import caches

from recommendations import tasks
from recommendations.models import ModelVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def lock_cache():
    return caches[settings.RECOMMENDER_CACHE]


@pytest.fixture
def short_lock(monkeypatch):
    monkeypatch.setattr(tasks, "LOCK_SECONDS", 0.6)


def test_a_live_run_keeps_its_lock_and_a_dead_one_lets_go(lock_cache, short_lock):
    lock_cache.add(tasks.LOCK_KEY, "live-run", tasks.LOCK_SECONDS)
    heartbeat = tasks.LockHeartbeat(lock_cache, "live-run")
    heartbeat.start()
    time.sleep(1.5)  # well past LOCK_SECONDS: only the refreshes keep it
    assert lock_cache.get(tasks.LOCK_KEY) == "live-run"

    heartbeat.stop()  # the worker "dies": nobody refreshes it any more
    time.sleep(1.0)
    assert lock_cache.get(tasks.LOCK_KEY) is None


def test_a_dead_runs_lock_expires_and_the_next_run_trains_and_marks_its_version_failed(florida_world, lock_cache, short_lock):
    lock_cache.add(tasks.LOCK_KEY, "a-task-whose-worker-died", tasks.LOCK_SECONDS)
    abandoned = ModelVersion.objects.create(status=ModelVersion.Status.TRAINING)

    assert tasks.train_recommender.apply(kwargs={"tune": False}).get() is None  # held: skipped
    time.sleep(1.0)
    version = tasks.train_recommender.apply(kwargs={"tune": False}).get()

    assert ModelVersion.objects.get(pk=version).is_active
    abandoned.refresh_from_db()
    assert abandoned.status == ModelVersion.Status.FAILED and "abandoned" in abandoned.note
    assert lock_cache.get(tasks.LOCK_KEY) is None  # released after the run
