"""GET /health/: what a load balancer or an operator sees (docs/operations.md, "Health")."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.celery import app as celery_app
from portal.operations.models import JobRun
from recommendations.models import ModelVersion

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok" if settings.REDIS_URL else "eager"}


@pytest.mark.services("redis")
def test_health_pings_the_real_broker(client, settings):
    assert client.get("/health/").json()["checks"]["broker"] == "ok"

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"].startswith("degraded: ConnectionError")


def test_health_answers_visitors_without_a_session(client):
    response = client.get("/health/")

    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_health_only_answers_get(client):
    assert client.post("/health/").status_code == 405


def test_health_shows_the_active_model_version_and_its_age(client):
    now = timezone.now()
    ModelVersion.objects.create(status="ready", finished_at=now - dt.timedelta(hours=30), is_active=False)
    active = ModelVersion.objects.create(status="ready", finished_at=now - dt.timedelta(hours=6), is_active=True,
                                         serving="blend", artifact="recommender/x.npz")
    ModelVersion.objects.create(status="failed", finished_at=now - dt.timedelta(hours=1))

    facts = client.get("/health/").json()["recommender"]

    assert facts["active_version"] == active.pk
    assert facts["serving"] == "blend"
    assert 5.9 < facts["active_version_age_hours"] < 6.1
    assert 5.9 < facts["hours_since_last_successful_training"] < 6.1  # the failed run does not count


def test_health_without_a_model_says_so(client):
    facts = client.get("/health/").json()["recommender"]

    assert facts["active_version"] is None and facts["last_successful_training"] is None


def test_the_tier_recalculation_task_records_its_last_success(client, eager_tasks, member):
    """members.tasks.recalculate_member_tiers, run as a Celery task, leaves a JobRun that /health/ shows."""
    from members.tasks import recalculate_member_tiers

    assert client.get("/health/").json()["jobs"]["tier_recalculation"]["last_succeeded_at"] is None

    recalculate_member_tiers.delay()

    job = client.get("/health/").json()["jobs"]["tier_recalculation"]
    assert job["task"] == "members.tasks.recalculate_member_tiers"
    assert job["last_succeeded_at"] is not None and job["hours_since_last_success"] < 0.01
    assert JobRun.objects.get(task=job["task"]).last_started_at is not None


def test_a_failing_job_records_its_failure_and_keeps_its_last_success(eager_tasks, monkeypatch, member):
    from members.loyalty import tiers
    from members.tasks import recalculate_member_tiers

    recalculate_member_tiers.delay()
    succeeded = JobRun.objects.get(task="members.tasks.recalculate_member_tiers").last_succeeded_at

    def broken(**kwargs):
        raise RuntimeError("ledger unreadable")

    monkeypatch.setattr(tiers, "recalculate_tiers", broken)
    # As a worker does (and unlike eager mode's default), the failure is handled, not re-raised.
    celery_app.conf.task_eager_propagates = False
    try:
        assert recalculate_member_tiers.delay().failed()
    finally:
        celery_app.conf.task_eager_propagates = True

    row = JobRun.objects.get(task="members.tasks.recalculate_member_tiers")
    assert row.last_succeeded_at == succeeded
    assert row.last_failed_at is not None and "ledger unreadable" in row.last_error


@pytest.mark.services("postgres")  # SQLite's in-memory test database cannot be disconnected and kept
@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_the_database_is_down(client):
    """A real connection failure: the connection is closed and its port changed to one nobody listens on."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        response = client.get("/health/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"].startswith("error: OperationalError")
    assert "recommender" not in body
