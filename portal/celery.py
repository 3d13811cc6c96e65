"""The Celery app: tasks are autodiscovered in every app's tasks.py.

Two queues: `default` for short work (e-mail, tracking) and `training` for the
recommender, so training can run on its own (bigger) worker. Without REDIS_URL the
settings make every task run eagerly in the caller.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("wayfare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("training"))
app.autodiscover_tasks()


from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun, task_success  # noqa: E402

from portal.request_id import adopt_in_task, carry_into_task, forget_after_task  # noqa: E402

# --- a task queued during a request logs under that request's id (portal/request_id.py) -------

before_task_publish.connect(carry_into_task, weak=False)
task_prerun.connect(adopt_in_task, weak=False)
task_postrun.connect(forget_after_task, weak=False)


# --- when the scheduled jobs last ran (portal.operations.JobRun, shown by /health/) -----------


def _recorded(sender):
    from django.conf import settings

    name = getattr(sender, "name", None)
    return name if name in getattr(settings, "OPERATIONS_RECORDED_TASKS", {}) else None


@task_prerun.connect
def _job_started(sender=None, **kwargs):
    if name := _recorded(sender):
        from portal.operations.models import record_start

        record_start(name)


@task_success.connect
def _job_succeeded(sender=None, **kwargs):
    if name := _recorded(sender):
        from portal.operations.models import record_outcome

        record_outcome(name)


@task_failure.connect
def _job_failed(sender=None, exception=None, **kwargs):
    if name := _recorded(sender):
        from portal.operations.models import record_outcome

        record_outcome(name, error=exception)
