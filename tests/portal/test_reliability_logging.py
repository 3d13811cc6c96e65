"""Structured logging: a request id on every log line of a request, and JSON lines (LOG_FORMAT=json)."""

import io
import json
import logging
import re

import pytest
from django.urls import path
from django.utils.module_loading import import_string

from portal.log_format import JsonLinesFormatter
from portal.request_id import RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db

log = logging.getLogger("wayfare.test.request")


def view_that_logs(request):
    from django.http import HttpResponse

    log.warning("looking at %s", request.path)
    return HttpResponse("ok")


urlpatterns = [path("logs/", view_that_logs)]


@pytest.fixture
def captured():
    """A handler like the site's console handler (the request-id filter), writing to a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonLinesFormatter())
    log.addHandler(handler)
    yield stream
    log.removeHandler(handler)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_emitted_during_a_request_carries_the_request_id(client, captured, settings):
    settings.ROOT_URLCONF = __name__

    response = client.get("/logs/")

    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = lines(captured)
    assert line["request_id"] == request_id and line["message"] == "looking at /logs/"
    assert current_request_id.get() == "-"  # nothing leaks into the next request or task


def test_each_request_gets_its_own_id(client):
    assert client.get("/health/")["X-Request-ID"] != client.get("/health/")["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept(client, captured, settings):
    settings.ROOT_URLCONF = __name__

    response = client.get("/logs/", HTTP_X_REQUEST_ID="lb-7f3a9c01.abc_DEF")

    assert response["X-Request-ID"] == "lb-7f3a9c01.abc_DEF"
    assert lines(captured)[0]["request_id"] == "lb-7f3a9c01.abc_DEF"


@pytest.mark.parametrize("forged", ["short", "x" * 65, "abc def ghij", "abcdefgh\nINFO fake line", '"><script>x</script>',
                                    "ａｂｃｄｅｆｇｈ"])
def test_an_insane_incoming_request_id_is_replaced(client, forged):
    response = client.get("/health/", HTTP_X_REQUEST_ID=forged)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_json_formatter_writes_one_valid_object_per_line():
    record = logging.LogRecord("wayfare.test", logging.ERROR, __file__, 1, 'quote " and\nnewline %s', ("中文",), None)
    record.request_id = "abc12345"
    record.member_id = 42
    record.request = object()  # not JSON: written as its repr
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()

    text = JsonLinesFormatter().format(record)

    assert "\n" not in text
    entry = json.loads(text)
    assert entry["level"] == "ERROR" and entry["logger"] == "wayfare.test"
    assert entry["message"] == 'quote " and\nnewline 中文'
    assert entry["request_id"] == "abc12345" and entry["member_id"] == 42
    assert entry["request"].startswith("<object") and "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_log_format_json_configures_the_console_handler(monkeypatch):
    """LOG_FORMAT=json, read by the settings module, gives JSON lines with the request id."""
    import importlib

    import portal.settings

    monkeypatch.setenv("LOG_FORMAT", "json")
    fresh = importlib.reload(portal.settings)
    try:
        config = fresh.LOGGING
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        importlib.reload(portal.settings)
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["handlers"]["console"]["filters"] == ["request_id"]
    # Build the handler from the configuration (dictConfig here would reset the whole run's logging).
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(import_string(config["filters"]["request_id"]["()"])())
    handler.setFormatter(import_string(config["formatters"]["json"]["()"])())
    logger = logging.getLogger("wayfare.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    token = current_request_id.set("req-12345678")
    try:
        logger.info("hello")
    finally:
        current_request_id.reset(token)
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry == {**entry, "level": "INFO", "logger": "wayfare.json", "message": "hello", "request_id": "req-12345678"}
