"""Reliability wiring: a dependency that is down gives a clear 503, never a 500."""

import logging

from django.template.response import TemplateResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    """Sign-in and its rate limits need the cache; when Redis is gone we say so (503).

    Page fragments and recommendations catch cache errors themselves and fall back;
    what reaches this middleware is a request that cannot be served safely.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (RedisConnectionError, RedisTimeoutError)):
            log.error("cache unavailable while serving %s: %s", request.path, exception)
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response.render()
        return None
