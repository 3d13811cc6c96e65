"""GET /health/: what a load balancer or an operator sees."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] == ("redis" if settings.REDIS_URL else "eager")


def test_health_answers_visitors_without_a_session(client):
    response = client.get("/health/")

    assert "sessionid" not in response.cookies
