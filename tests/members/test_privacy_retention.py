"""Retention: raw activity past PRIVACY_ACTIVITY_RETENTION_DAYS goes; the recommender keeps working."""

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from members.models import ActivityEvent
from members.privacy.retention import purge_expired_activity
from tests.factories import ActivityEventFactory

pytestmark = pytest.mark.django_db


def event(member, days_ago):
    return ActivityEventFactory(member=member, occurred_at=timezone.now() - dt.timedelta(days=days_ago))


def test_activity_older_than_the_window_is_deleted_and_the_rest_kept(member, settings):
    settings.PRIVACY_ACTIVITY_RETENTION_DAYS = 730
    event(member, 731), event(member, 2000)
    recent = event(member, 729)

    result = purge_expired_activity(batch=1)

    assert result.deleted == 2
    assert list(ActivityEvent.objects.all()) == [recent]


def test_the_default_window_is_two_years():
    assert settings.PRIVACY_ACTIVITY_RETENTION_DAYS == 730


def test_the_command_purges_and_says_how_many(member):
    event(member, 800)
    event(member, 10)
    out = StringIO()

    call_command("purge_expired_activity", "--days", "30", stdout=out)

    assert "Deleted 1 activity events" in out.getvalue()
    assert ActivityEvent.objects.count() == 1


def test_celery_beat_runs_the_purge_nightly_and_the_task_is_registered(member):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-expired-activity"]
    assert entry["task"] == "members.privacy.tasks.purge_expired_activity"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    event(member, 1000)

    assert app.tasks[entry["task"]].apply().get()["deleted"] == 1


def test_the_recommender_trains_and_serves_after_a_purge(routes_and_world):
    from recommendations import serve
    from recommendations.training import pipeline

    fan = routes_and_world
    purge_expired_activity(days=120, now=dt.datetime(2026, 6, 30, tzinfo=dt.timezone.utc))
    assert ActivityEvent.objects.exists()

    version = pipeline.train(tune=False)

    assert version.is_active
    assert serve(fan, "route", n=3)


@pytest.fixture
def routes_and_world(db, settings):
    """The recommender tests' planted world (Florida fans, business commuters), small and fast."""
    from django.core.cache import caches

    from offers.models import Airport, Route
    from recommendations.eligibility import forget_routes
    from recommendations.serving import forget_models
    from tests.recommendations.conftest import BUSINESS, FLORIDA, _airport, plant

    def forget():
        forget_models()
        forget_routes()
        caches[settings.RECOMMENDER_CACHE].clear()

    settings.RECOMMENDER_ALS = {"factors": 8, "regularization": 1.0, "alpha": 1.0, "iterations": 8}
    settings.RECOMMENDER_THREADS = 1
    forget()
    Airport.objects.bulk_create([_airport(c) for c in ["JFK", *FLORIDA, *BUSINESS]])
    Route.objects.bulk_create([Route(origin_id="JFK", destination_id=d, distance_miles=1000) for d in FLORIDA + BUSINESS])
    rng = np.random.default_rng(5)
    plant(30, FLORIDA, rng=rng, prefix="fl")
    plant(40, BUSINESS, rng=rng, prefix="bz")
    yield plant(1, ["MIA"], rng=rng, prefix="fan")[0]
    forget()
