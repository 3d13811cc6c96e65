"""A request id on every log line of a request, and on the response.

`RequestIdMiddleware` (first in MIDDLEWARE) takes a sane incoming `X-Request-ID` (from
the load balancer or the caller: 8–64 characters of letters, digits, `-`, `_`, `.`) or
makes one (32 hex digits), keeps it in a context variable for the request, and returns
it in the response's `X-Request-ID` header. `RequestIdFilter` (on the log handlers)
copies it onto every log record as `record.request_id` ("-" outside a request).
A task queued during a request carries the id in its message headers and logs under it
in the worker (`carry_into_task`, `adopt_in_task`, connected in portal/celery.py); a task
that beat starts, or that runs eagerly in the caller, logs under whatever the caller had.
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


# --- across Celery: the id travels in the task message's headers -------------------------------

TASK_HEADER = "wayfare_request_id"


def carry_into_task(headers=None, **kwargs):
    """`before_task_publish`: put the current request's id into the message."""
    request_id = current_request_id.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id)


def adopt_in_task(task=None, **kwargs):
    """`task_prerun`: log the task under the id it was queued with (a sane one only)."""
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if request_id and SANE.match(request_id):
        task.request.wayfare_token = current_request_id.set(request_id)


def forget_after_task(task=None, **kwargs):
    """`task_postrun`: the worker's next task must not log under this one's id."""
    token = getattr(task.request, "wayfare_token", None) if task is not None else None
    if token is not None:
        current_request_id.reset(token)
