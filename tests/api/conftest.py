"""API fixtures: tokens by scope, a client that sends them, a one-route timetable."""

import datetime as dt

import pytest
from django.test import Client

from api.models import ApiToken, Scope
from offers.models import Airport, Route, ScheduledFlight


@pytest.fixture(autouse=True)
def _fresh_recommender(settings):
    """The recommender keeps popularity and routes in process memory: each test starts without them."""
    from django.core.cache import caches

    from recommendations.eligibility import forget_routes
    from recommendations.serving import forget_models

    def forget():
        forget_models()
        forget_routes()
        try:
            caches[settings.RECOMMENDER_CACHE].clear()
        except Exception:  # noqa: BLE001
            pass

    forget()
    yield
    forget()


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process, also when REDIS_URL points at a real broker."""
    from portal.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


class ApiClient:
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, token=None, client=None):
        self.client = client or Client()
        self.token = token

    def _headers(self, headers):
        base = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**base, **(headers or {})}

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path, json=None, headers=None):
        return self.client.post(path, json if json is not None else {}, content_type="application/json",
                                headers=self._headers(headers))

    def patch(self, path, json=None, headers=None):
        return self.client.patch(path, json or {}, content_type="application/json", headers=self._headers(headers))

    def delete(self, path, headers=None):
        return self.client.delete(path, headers=self._headers(headers))


@pytest.fixture
def issue_token(db):
    def issue(*scopes, member=None, **fields):
        _row, secret = ApiToken.issue(name=fields.pop("name", "test"), scopes=scopes, member=member, **fields)
        return secret

    return issue


@pytest.fixture
def member_api(member, issue_token):
    """Ada's personal token (scope member)."""
    return ApiClient(issue_token(Scope.MEMBER, member=member))


@pytest.fixture
def other_member_api(other_member, issue_token):
    """Grace's personal token."""
    return ApiClient(issue_token(Scope.MEMBER, member=other_member))


@pytest.fixture
def ingest_api(issue_token):
    """The mobile app's service token (scope channel:ingest)."""
    return ApiClient(issue_token(Scope.CHANNEL_INGEST, name="Mobile app"))


@pytest.fixture
def agent_api(issue_token):
    """The call centre's service token (scope agent:lookup)."""
    return ApiClient(issue_token(Scope.AGENT_LOOKUP, name="Call centre"))


@pytest.fixture
def anonymous_api():
    return ApiClient()


@pytest.fixture
def jfk_lax(db):
    """JFK ⇄ LAX, one flight each way every day of the year (AA33 out at 09:00, AA34 back at 15:00)."""
    jfk = Airport.objects.create(iata="JFK", name="John F Kennedy International Airport", city="New York", country="US",
                                 time_zone="America/New_York", latitude=40.64, longitude=-73.78)
    lax = Airport.objects.create(iata="LAX", name="Los Angeles International Airport", city="Los Angeles", country="US",
                                 time_zone="America/Los_Angeles", latitude=33.94, longitude=-118.41)
    out = Route.objects.create(origin=jfk, destination=lax, distance_miles=2475)
    back = Route.objects.create(origin=lax, destination=jfk, distance_miles=2475)
    year = {"first_operated": dt.date(2013, 1, 1), "last_operated": dt.date(2013, 12, 31), "days_of_week": "1234567",
            "operations": 365, "on_time_share": "0.812"}
    return {
        "out": ScheduledFlight.objects.create(flight_number=33, route=out, departure_time=dt.time(9), arrival_time=dt.time(12, 20),
                                              block_minutes=380, **year),
        "back": ScheduledFlight.objects.create(flight_number=34, route=back, departure_time=dt.time(15),
                                               arrival_time=dt.time(23, 30), block_minutes=330, **year),
    }


@pytest.fixture
def in_a_week():
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=7)
