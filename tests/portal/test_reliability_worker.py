"""A Celery worker killed (SIGKILL) mid-training: the task comes back, the old version serves meanwhile.

Real worker processes on the test database and the configured Redis. The worker runs
`tests.portal.slow_training_worker`: the real app, whose first training run pauses
just before activation (the new version is trained and saved), where it is killed.
"""

import os
import time

import numpy as np
import pytest
from django.conf import settings as django_settings

from offers.models import Airport, Route
from recommendations.models import ModelVersion
from recommendations.tasks import train_recommender
from recommendations.training import pipeline
from tests.recommendations.conftest import BUSINESS, FLORIDA, _airport, plant

real_worker = pytest.mark.services("postgres", "redis", "worker")


@pytest.fixture
def trained_world(transactional_db, settings, tmp_path):
    """Planted activity and a first version, trained here and active."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RECOMMENDER_TUNING_GRID = {}
    Airport.objects.bulk_create([_airport(c) for c in ["JFK", *FLORIDA, *BUSINESS]])
    Route.objects.bulk_create([Route(origin_id="JFK", destination_id=d, distance_miles=1000) for d in FLORIDA + BUSINESS])
    rng = np.random.default_rng(7)
    plant(30, FLORIDA, rng=rng, prefix="fl")
    plant(40, BUSINESS, rng=rng, prefix="bz")
    old = pipeline.train(tune=False)
    assert old.is_active
    forget_the_workers_training_lock()
    return old


def forget_the_workers_training_lock():
    """The worker uses the site's own cache prefix (not the test run's): a lock an earlier run's
    killed worker left there would make this run's task skip."""
    import redis

    from recommendations.tasks import LOCK_KEY

    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.delete(f"wayfare-reco:1:{LOCK_KEY}")
    client.close()


def worker_env(tmp_path, **extra):
    return {"MEDIA_ROOT": django_settings.MEDIA_ROOT, "RECOMMENDER_THREADS": "1",
            "WAYFARE_TEST_TRAINING_MARKER": str(tmp_path / "paused-before-activation"), **extra}


def wait_for(path, seconds):
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear within {seconds}s")
        time.sleep(0.1)
    return open(path).read().split()


@real_worker
def test_training_child_killed_before_activation_is_run_again(trained_world, start_worker, tmp_path):
    """Prefork, one child: the child is SIGKILLed; the task is rejected back to the queue and re-run."""
    old = trained_world
    worker = start_worker(app="tests.portal.slow_training_worker", pool="prefork", concurrency=1,
                          env=worker_env(tmp_path))
    result = train_recommender.apply_async(kwargs={"tune": False})

    pid, killed_version = wait_for(tmp_path / "paused-before-activation", 120)
    # Trained and saved, not active: the old version is the one that serves.
    assert ModelVersion.objects.get(pk=killed_version).status == ModelVersion.Status.READY
    assert ModelVersion.objects.active() == old
    os.kill(int(pid), 9)

    new_version = result.get(timeout=180)

    assert new_version not in (None, old.pk, int(killed_version)), worker.log()[-3000:]
    assert list(ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True)) == [new_version]
    assert not ModelVersion.objects.get(pk=killed_version).is_active
    assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()


@real_worker
def test_whole_worker_killed_mid_training_is_redelivered_to_another_worker(trained_world, start_worker, tmp_path):
    """Solo pool, the whole worker SIGKILLed: nothing acknowledged the message, so after the
    visibility timeout (short here: CELERY_VISIBILITY_TIMEOUT) Redis gives it to a second worker."""
    old = trained_world
    env = worker_env(tmp_path, CELERY_VISIBILITY_TIMEOUT="5")
    first = start_worker(app="tests.portal.slow_training_worker", pool="solo", env=env)
    result = train_recommender.apply_async(kwargs={"tune": False})
    _pid, killed_version = wait_for(tmp_path / "paused-before-activation", 120)

    first.kill()
    assert ModelVersion.objects.active() == old  # the old version serves while nobody trains

    start_worker(app="tests.portal.slow_training_worker", pool="solo", env=env)
    new_version = result.get(timeout=180)

    assert new_version not in (None, old.pk, int(killed_version))
    assert list(ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True)) == [new_version]


def test_the_visibility_timeout_outlasts_training():
    """The broker's visibility timeout must be longer than the training lock (and any training run)."""
    from recommendations.tasks import LOCK_SECONDS

    assert django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] >= 2 * 3600
    assert train_recommender.acks_late and train_recommender.reject_on_worker_lost
    assert LOCK_SECONDS > 0
