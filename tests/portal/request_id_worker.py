"""The Celery app plus one task that only logs, for the request-id test's worker.

`celery -A tests.portal.request_id_worker worker …`: everything else is the real app.
"""

import logging

from portal.celery import app

__all__ = ["app"]

log = logging.getLogger("wayfare.test.task")


@app.task(name="tests.log_a_line")
def log_a_line(text):
    log.warning("task says %s", text)
    return text
