"""One row per Celery task name: its last start, success and failure.

Written by Celery's task signals (portal/celery.py → `record_start`, `record_outcome`) for
the tasks named in `OPERATIONS_RECORDED_TASKS`; read by /health/. Nothing else writes it,
and it holds no personal data.
"""

import logging

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class JobRun(models.Model):
    task = models.CharField(_("task"), max_length=200, unique=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        ordering = ["task"]

    def __str__(self):
        return self.task


def record(task, **fields):
    """Update `task`'s row; a database that is down costs the record, never the task."""
    try:
        JobRun.objects.update_or_create(task=task, defaults=fields)
    except Exception:  # noqa: BLE001
        log.warning("operations: could not record %s for %s", sorted(fields), task, exc_info=True)


def record_start(task):
    record(task, last_started_at=timezone.now())


def record_outcome(task, error=None):
    if error is None:
        record(task, last_succeeded_at=timezone.now())
    else:
        record(task, last_failed_at=timezone.now(), last_error=f"{type(error).__name__}: {error}"[:2000])


def last_success(task):
    return JobRun.objects.filter(task=task).values_list("last_succeeded_at", flat=True).first()
