"""The cache: a real Redis when configured; when it is gone, each use falls back (docs/operations.md).

Stopping a real Redis mid-run: tests/portal/test_reliability_redis.py."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "KEY_PREFIX": "wayfare-unreachable",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "FALLBACK": {"allauth.mfa.totp.used": "raise"}},
    }
}


@pytest.mark.services("redis")
def test_cache_round_trip_on_the_real_redis():
    from django_redis import get_redis_connection

    cache.set("round-trip", {"tier": "gold", "points": 61200}, 30)

    assert cache.get("round-trip") == {"tier": "gold", "points": 61200}
    assert get_redis_connection("default").ping()
    assert cache.delete("round-trip")
    assert cache.get("round-trip") is None


@pytest.mark.services("redis")
def test_cache_add_is_atomic_on_the_real_redis():
    """allauth remembers used TOTP codes with cache.add: only the first add wins."""
    assert cache.add("used-code", "y", 30) is True
    assert cache.add("used-code", "y", 30) is False


@pytest.fixture
def redis_is_down(settings):
    settings.CACHES = UNREACHABLE_REDIS
    yield
    # leaving the override restores the real cache (pytest-django's settings fixture)


def test_log_in_works_when_redis_is_down(client, member, password, redis_is_down):
    client.raise_request_exception = False  # a 500 must show as a 500 here, not as an exception

    response = client.post(reverse("account_login"), {"login": member.email, "password": password})

    assert response.status_code == 302  # allauth's rate limits counted in process memory


def test_a_use_that_needs_redis_gets_a_clear_503(rf, redis_is_down):
    """The TOTP used-code marker does not fall back: the request gets the site's 503 page."""
    from portal.middleware import ServiceUnavailableMiddleware

    with pytest.raises(Exception) as raised:
        cache.add("allauth.mfa.totp.used?user=1&code=123456", "y", 90)
    response = ServiceUnavailableMiddleware(lambda r: None).process_exception(rf.get("/accounts/2fa/authenticate/"), raised.value)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "<h1" in response.content.decode()  # the site's own error page, not a blank body


def test_health_says_degraded_when_redis_is_down(client, redis_is_down):
    response = client.get("/health/")

    assert response.status_code == 200  # degraded, still serving: stay in the load balancer
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"].startswith("degraded")
    assert body["checks"]["database"] == "ok"


def test_log_in_page_still_shows_when_redis_is_down(client, redis_is_down):
    client.raise_request_exception = False

    response = client.get(reverse("account_login"))

    assert response.status_code in (200, 503)
    assert response.status_code != 500
