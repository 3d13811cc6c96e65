"""A request id on every log line of a request, and on the response.

`RequestIdMiddleware` (first in MIDDLEWARE) takes a sane incoming `X-Request-ID` (from
the load balancer or the caller: 8–64 characters of letters, digits, `-`, `_`, `.`) or
makes one (32 hex digits), keeps it in a context variable for the request, and returns
it in the response's `X-Request-ID` header. `RequestIdFilter` (on the log handlers)
copies it onto every log record as `record.request_id` ("-" outside a request).
Celery tasks log "-" unless a caller passes an id along.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
NO_REQUEST = "-"

current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def incoming_or_new(value):
    """The caller's id when it is sane (no spaces, quotes, markup or newlines to forge log lines), else a new one."""
    if value and SANE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_or_new(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (never drops one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True
