"""Every error is JSON: `{"detail": "<a sentence>", "errors": [{"field": …, "message": …}]}`.

One place turns what the code raises into a status: `DomainError` (portal/errors.py)
keeps its own status (400, 404, 409 …); a request that does not fit the schema is 422
with one entry per field; authentication 401 (with `WWW-Authenticate`), scope 403,
rate limit 429 (with `Retry-After`, set by django-ninja), a cache that is down 503. An
unexpected exception is logged and answered as JSON 500, never as an HTML page.
"""

import logging

from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.errors import DomainError

log = logging.getLogger(__name__)


class InvalidRequest(Exception):
    """The request fits the schema but a form or rule of ours refused it: 422 with one entry per message."""

    def __init__(self, detail, errors=()):
        super().__init__(detail)
        self.detail = str(detail)
        self.errors = list(errors)

    @classmethod
    def from_form(cls, form, detail="The request is not valid; see errors."):
        return cls(detail, [(None if field == "__all__" else field, message)
                            for field, messages in form.errors.items() for message in messages])


class ErrorItem(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


def error_responses(*codes):
    """The `response=` entries for the error statuses an operation can answer (for the OpenAPI document)."""
    return {code: ErrorOut for code in codes}


def body(detail, errors=()):
    return {"detail": str(detail), "errors": [{"field": f, "message": str(m)} for f, m in errors]}


def _field(loc):
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] in {"payload", "data", "params"} and len(parts) > 1:  # ninja's argument name
        parts = parts[1:]
    return ".".join(parts) or None


def install(api):
    def respond(request, status, detail, errors=(), headers=None):
        response = api.create_response(request, body(detail, errors), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return respond(request, exc.status_code, exc.message, [(exc.field, exc.message)] if exc.field else ())

    @api.exception_handler(InvalidRequest)
    def invalid_request(request, exc):
        return respond(request, 422, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        errors = [(_field(e.get("loc", ())), e.get("msg", "Invalid value.")) for e in exc.errors]
        return respond(request, 422, "The request is not valid; see errors.", errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        message = exc.message if exc.message != "Unauthorized" else (
            "Sign in, or send a token: Authorization: Bearer <token>.")
        return respond(request, 401, message, headers={"WWW-Authenticate": 'Bearer realm="wayfare"'})

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return respond(request, 429, "Too many requests: slow down and retry after the time in Retry-After.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, exc.message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "Not found.")

    @api.exception_handler(RedisConnectionError)
    @api.exception_handler(RedisTimeoutError)
    def cache_down(request, exc):
        log.error("api: cache unavailable while serving %s: %s", request.path, exc)
        return respond(request, 503, "A service we depend on is unavailable; try again shortly.", headers={"Retry-After": "30"})

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("api: unexpected error on %s %s", request.method, request.path)
        return respond(request, 500, "Something went wrong on our side; it has been logged.")
