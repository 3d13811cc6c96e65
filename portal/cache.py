"""The default cache: Redis, with a decision for every use of it when Redis is gone.

Django's and django-redis's Redis backends raise `ConnectionError` when Redis is down;
allauth keeps its log-in rate limits in the default cache, so one stopped Redis would
turn every log-in into an error page. `ResilientRedisCache` catches the Redis error and
decides per use (docs/operations.md, "When Redis is gone"):

- **memory** (the default): the call is answered by a cache in this process's memory
  (Django's `LocMemCache`). Rate limits (allauth's log-in, sign-up and reset limits,
  the claim and enquiry limits, the API's) keep counting — per process instead of
  site-wide, so a little looser, but never off and never locking everyone out.
  Speed-ups such as the "from" fares simply miss.
- **raise**: the Redis error goes up and the request gets the site's 503 page
  (portal.middleware.ServiceUnavailableMiddleware). For keys whose guarantee a
  per-process memory cannot give: allauth's used-TOTP-code marker (a second factor
  must not be replayable on another process), so staff with an authenticator wait
  for Redis; members without one sign in as usual.

Once a call fails, Redis is left alone for `RETRY_SECONDS` (a circuit breaker: no
page waits for a socket timeout on every cache call); then the next call tries again.
What was written to memory meanwhile is not copied back.

OPTIONS, besides django-redis's own:
    "FALLBACK": {"key prefix": "raise" | "memory"}   longest matching prefix wins
    "RETRY_SECONDS": 5
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionRefusedError, OSError)
MEMORY, RAISE = "memory", "raise"

# Keyed calls (the key is the first argument) and calls on many keys or none.
KEYED = ("get", "set", "add", "delete", "incr", "decr", "has_key", "touch", "get_or_set", "ttl", "expire", "persist")
UNKEYED = ("get_many", "set_many", "delete_many", "clear")
NOT_IN_MEMORY = {"ttl": None, "expire": False, "persist": False}  # LocMemCache has no such methods

_state_lock = threading.Lock()
_down_until: dict[str, float] = {}  # LOCATION → monotonic time of the next try (shared by threads)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.fallback_policy = dict(options.pop("FALLBACK", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        # LocMemCache instances with one name share their store: every thread of this process sees one memory.
        self.memory = LocMemCache(f"redis-fallback:{self._location}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", ""),
            "VERSION": params.get("VERSION", 1), "OPTIONS": {"MAX_ENTRIES": 10_000},
        })

    # --- state ---------------------------------------------------------------------------------

    @property
    def redis_is_down(self):
        """True while the circuit is open (a recent call failed); no call to Redis is made."""
        return _down_until.get(self._location, 0) > time.monotonic()

    def ping(self):
        """Ask Redis itself (circuit or not): True, or raise the Redis error. For /health/."""
        ok = self.client.get_client(write=False).ping()
        with _state_lock:
            _down_until.pop(self._location, None)
        return ok

    def policy_for(self, key):
        key = str(key)
        matches = [prefix for prefix in self.fallback_policy if key.startswith(prefix)]
        return self.fallback_policy[max(matches, key=len)] if matches else MEMORY

    def _mark_down(self, method, error):
        with _state_lock:
            first = not self.redis_is_down
            _down_until[self._location] = time.monotonic() + self.retry_seconds
        if first:
            log.warning("cache: Redis unreachable (%s in %s); answering from process memory for %ss",
                        error.__class__.__name__, method, self.retry_seconds)

    def _call(self, method, key, args, kwargs):
        policy = self.policy_for(key) if key is not None else MEMORY
        if not self.redis_is_down:
            try:
                return getattr(super(), method)(*args, **kwargs)
            except REDIS_DOWN as error:
                self._mark_down(method, error)
                if policy == RAISE:
                    raise
        elif policy == RAISE:
            raise RedisConnectionError(f"Redis at {self._location} is down (circuit open); key {key!r} needs it")
        if method in NOT_IN_MEMORY:
            return NOT_IN_MEMORY[method]
        return getattr(self.memory, method)(*args, **kwargs)


def _keyed(method):
    def call(self, *args, **kwargs):
        key = args[0] if args else kwargs.get("key")
        return self._call(method, key, args, kwargs)

    call.__name__ = method
    return call


def _unkeyed(method):
    def call(self, *args, **kwargs):
        return self._call(method, None, args, kwargs)

    call.__name__ = method
    return call


def _delete_pattern(self, pattern, *args, **kwargs):
    """django-redis's delete by pattern; the memory is emptied too (it holds only stop-gap entries)."""
    self.memory.clear()
    if self.redis_is_down:
        return 0
    try:
        return RedisCache.delete_pattern(self, pattern, *args, **kwargs)
    except REDIS_DOWN as error:
        self._mark_down("delete_pattern", error)
        return 0


ResilientRedisCache.delete_pattern = _delete_pattern
for _name in KEYED:
    setattr(ResilientRedisCache, _name, _keyed(_name))
for _name in UNKEYED:
    setattr(ResilientRedisCache, _name, _unkeyed(_name))


def redis_circuit_reset():
    """Forget every open circuit (tests that stop and start Redis)."""
    with _state_lock:
        _down_until.clear()
