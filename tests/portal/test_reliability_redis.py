"""Redis stopped while the site runs: pages render, log-in works, /health/ says "degraded".

A `redis-server` of the test's own is started, the caches (and, when Celery is not
eager, the broker) point at it, the site is used, then the server is SIGKILLed and the
site is used again: home, dashboard, offers, flight search, search, the log-in form
(allauth, its rate limits included), a claim (our rate limit), /health/.
"""

import time

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from members.models import Tier
from offers.models import Offer
from portal.cache import ResilientRedisCache, redis_circuit_reset

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services("redis-server")]

PAGES = ["/", "/offers/", "/offers/double-miles-tokyo/", "/flights/", "/search/?q=tokyo", "/me/", "/trips/",
         "/accounts/login/"]


def caches_at(url):
    return {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "wayfare-reliability",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5,
                        "FALLBACK": {"allauth.mfa.totp.used": "raise"}, "RETRY_SECONDS": 1},
        },
        "recommendations": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "wayfare-reliability-reco",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }


@pytest.fixture
def site_on_throwaway_redis(settings, throwaway_redis, site_tree):
    """Caches and (when it is a real broker) Celery's broker on the throwaway Redis."""
    from portal.celery import app

    settings.CACHES = caches_at(throwaway_redis.url)
    settings.REDIS_URL = throwaway_redis.url  # /health/ pings the broker it names
    redis_circuit_reset()
    conf = app.conf
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_timeout",
                                  "broker_connection_retry", "broker_connection_max_retries")}
    if not conf.task_always_eager:
        conf.broker_url = throwaway_redis.url
        app._pool = None
        app.amqp._producer_pool = None
    yield throwaway_redis
    conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None
    redis_circuit_reset()


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def use_the_site(member, password, offer):
    """What a visitor and a member do; returns the statuses seen and the seconds each page took."""
    seen, slowest = {}, 0.0
    visitor = Client(raise_request_exception=False)
    for path in ("/", "/offers/", "/flights/", "/search/?q=tokyo", "/accounts/login/", "/news/"):
        started = time.perf_counter()
        seen[f"visitor {path}"] = visitor.get(path).status_code
        slowest = max(slowest, time.perf_counter() - started)
    browser = Client(raise_request_exception=False)
    response = log_in(browser, member.email, password)
    seen["log in"] = response.status_code
    seen["signed in"] = str(signed_in_as(browser)) == str(member.pk)
    for path in PAGES:
        started = time.perf_counter()
        seen[f"member {path}"] = browser.get(path).status_code
        slowest = max(slowest, time.perf_counter() - started)
    seen["claim"] = browser.post(reverse("offer:claim", args=[offer.slug])).status_code
    return seen, slowest


@pytest.fixture
def offer(db):
    made = Offer.objects.create(title="Double miles to Tokyo", slug="double-miles-tokyo", summary="Twice the miles.",
                                category="miles_bonus", live=True)
    made.tiers.set(Tier.objects.all())
    return made


def test_the_site_works_on_redis_and_after_redis_is_killed(site_on_throwaway_redis, member, password, offer, client):
    before, _ = use_the_site(member, password, offer)
    assert before["log in"] == 302 and before["member /"] == 200 and before["visitor /"] == 200
    assert client.get("/health/").json()["checks"]["cache"] == "ok"

    site_on_throwaway_redis.kill()

    after, slowest = use_the_site(member, password, offer)

    expected = {key: (True if key == "signed in" else value) for key, value in before.items()}
    assert after == expected, f"before the kill: {before}"
    assert after["log in"] == 302 and after["signed in"] is True
    assert 500 not in after.values() and 503 not in after.values()
    assert slowest < 3, f"a page waited {slowest:.1f}s for the dead Redis"

    response = client.get("/health/")
    assert response.status_code == 200  # degraded: keep this node in the load balancer (docs/operations.md)
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"].startswith("degraded")
    assert body["checks"]["database"] == "ok"


def test_log_in_rate_limit_still_counts_while_redis_is_down(site_on_throwaway_redis, member, password):
    """allauth's `login_failed` limit (5 per key) holds in process memory: the 6th try is refused,
    the right password included."""
    site_on_throwaway_redis.kill()
    browser = Client(raise_request_exception=False)
    locked_out = escape(str(get_adapter().error_messages["too_many_login_attempts"]))

    for _ in range(5):
        response = log_in(browser, member.email, "wrong password")
        assert response.status_code == 200 and locked_out not in response.content.decode()
    response = log_in(browser, member.email, password)

    assert response.status_code in (200, 429) and locked_out in response.content.decode()
    assert signed_in_as(browser) is None


def test_claim_rate_limit_still_counts_while_redis_is_down(site_on_throwaway_redis, member_client, offer, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "offer:claim": ("2/m", "user", "slow down")}
    site_on_throwaway_redis.kill()
    member_client.raise_request_exception = False

    statuses = [member_client.post(reverse("offer:claim", args=[offer.slug])).status_code for _ in range(3)]

    assert statuses[2] == 429 and 429 not in statuses[:2]


def test_a_totp_code_check_needs_redis_and_says_so(site_on_throwaway_redis):
    """The used-code marker is the one use that does not fall back: a 503 page, not a replayable code."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    site_on_throwaway_redis.kill()

    assert cache.add("ordinary", 1, 10) is True  # memory
    with pytest.raises(RedisConnectionError):
        cache.add("allauth.mfa.totp.used?user=1&code=123456", "y", 90)


def test_the_cache_goes_back_to_redis_when_it_returns(site_on_throwaway_redis):
    site_on_throwaway_redis.kill()
    cache.set("written-while-down", 1, 30)
    from django.core.cache import caches

    assert isinstance(caches["default"], ResilientRedisCache)
    assert caches["default"].redis_is_down

    site_on_throwaway_redis.start()
    time.sleep(1.1)  # RETRY_SECONDS
    cache.set("written-after", 2, 30)

    assert not caches["default"].redis_is_down
    assert caches["default"].client.get_client().get(caches["default"].make_key("written-after")) is not None
