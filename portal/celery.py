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
