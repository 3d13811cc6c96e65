"""Rate limits per token (or per signed-in member), counted in Django's cache.

A fixed window per caller: `cache.add` opens the window, `cache.incr` counts (atomic
on Redis, so several web processes share one count). Over the limit → 429 with
`Retry-After` (seconds until the window ends). If the cache is down the request is let
through and a warning logged: tokens are 256-bit random, so the limit guards capacity,
not secrets, and the API keeps serving while Redis is away.
"""

import logging
import math
import threading
import time

from django.core.cache import cache
from ninja.throttling import BaseThrottle

log = logging.getLogger(__name__)

clock = time.time  # tests move it
PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period]


class RateLimit(BaseThrottle):
    def __init__(self):
        self._local = threading.local()  # one instance serves every request: the wait is per thread

    def allow_request(self, request) -> bool:
        caller = getattr(request, "auth", None)
        if caller is None:
            return True
        try:
            limit, seconds = parse_rate(caller.rate_limit)
        except (KeyError, ValueError):
            log.error("api: bad rate limit %r for %s; using 120/m", caller.rate_limit, caller.rate_key)
            limit, seconds = 120, 60
        now = clock()
        window = int(now // seconds)
        key = f"api-rate:{caller.rate_key}:{seconds}:{window}"
        try:
            cache.add(key, 0, seconds + 5)
            count = cache.incr(key)
        except Exception:  # noqa: BLE001 - no cache: serve, and say so in the log
            log.warning("api: rate-limit cache unavailable; not limiting %s", caller.rate_key, exc_info=True)
            return True
        if count > limit:
            self._local.wait = max(1, math.ceil((window + 1) * seconds - now))
            return False
        return True

    def wait(self):
        return getattr(self._local, "wait", None)
