"""A task queued during a request logs, in the worker, under that request's id."""

import time

import pytest

from portal.request_id import current_request_id
from tests.portal.request_id_worker import log_a_line

pytestmark = pytest.mark.services("postgres", "redis", "worker")


def wait_for_line(worker, text, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = [line for line in worker.log().splitlines() if text in line]
        if lines:
            return lines[0]
        time.sleep(0.2)
    raise AssertionError(f"no log line with {text!r}:\n{worker.log()[-3000:]}")


def test_the_worker_logs_a_queued_task_under_the_request_id_and_forgets_it_after(start_worker):
    worker = start_worker(app="tests.portal.request_id_worker", pool="solo")

    token = current_request_id.set("checkout-7f3a9c2e")
    try:
        log_a_line.delay("first").get(timeout=30)
    finally:
        current_request_id.reset(token)
    log_a_line.delay("second").get(timeout=30)  # queued outside any request
    forged = log_a_line.apply_async(("third",), headers={"wayfare_request_id": "bad id\nFAKE LINE"})
    forged.get(timeout=30)

    assert "[checkout-7f3a9c2e] task says first" in wait_for_line(worker, "task says first")
    assert "[-] task says second" in wait_for_line(worker, "task says second")
    assert "[-] task says third" in wait_for_line(worker, "task says third")
