"""Activity events: recorded once, however often they are delivered."""

import uuid
from datetime import datetime, timezone

import pytest
from django.conf import settings

from members.models import ActivityEvent
from members.services import record_activity
from members.tasks import record_activity_event

pytestmark = pytest.mark.django_db


def task_args(member, event_id, **overrides):
    args = {
        "member_id": member.pk,
        "kind": "route",
        "ref": "JFK-LAX",
        "event": "view",
        "occurred_at_iso": "2026-03-01T09:30:00+00:00",
        "channel": "web",
        "event_id": str(event_id),
    }
    return {**args, **overrides}


def test_recording_an_event_adds_it_to_the_members_timeline(member):
    record_activity(member=member, kind="offer", ref="spring-sale", event="click")

    (event,) = member.activity.all()
    assert (event.kind, event.ref, event.event, event.channel) == ("offer", "spring-sale", "click", "web")


def test_second_delivery_of_the_same_event_is_ignored(member):
    event_id = uuid.uuid4()

    first = record_activity_event.run(**task_args(member, event_id))
    second = record_activity_event.run(**task_args(member, event_id))

    assert first == second == str(event_id)
    assert ActivityEvent.objects.filter(event_id=event_id).count() == 1
    event = ActivityEvent.objects.get(event_id=event_id)
    assert event.occurred_at == datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def test_task_through_celery_twice_creates_one_row(member):
    """Through Celery's own call path (eager here, or on the worker under services)."""
    event_id = uuid.uuid4()
    record_activity_event.apply(kwargs=task_args(member, event_id)).get()
    record_activity_event.apply(kwargs=task_args(member, event_id)).get()

    assert member.activity.count() == 1


def test_different_events_are_both_kept(member):
    record_activity_event.run(**task_args(member, uuid.uuid4()))
    record_activity_event.run(**task_args(member, uuid.uuid4(), event="save"))

    assert sorted(member.activity.values_list("event", flat=True)) == ["save", "view"]


def test_event_for_an_erased_member_is_dropped(member):
    args = task_args(member, uuid.uuid4())
    member.delete()

    assert record_activity_event.run(**args) is None
    assert not ActivityEvent.objects.exists()


def test_unknown_event_is_refused(member):
    with pytest.raises(ValueError):
        record_activity(member=member, kind="route", ref="JFK-LAX", event="teleport")


def test_deferred_event_is_sent_only_after_commit(member, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(record_activity_event, "apply_async", lambda args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event_id = record_activity(member=member, kind="route", ref="JFK-SFO", event="search", defer=True)
    assert sent == [] and not member.activity.exists()  # the transaction has not committed yet

    callbacks[0]()
    (args,) = sent
    assert args[0] == member.pk  # ids, not objects, cross the broker
    record_activity_event.apply(args=args).get()
    assert member.activity.get().event_id == event_id


def test_deferred_event_is_not_sent_when_the_transaction_rolls_back(member, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                record_activity(member=member, kind="route", ref="JFK-SFO", event="search", defer=True)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not member.activity.exists()


@pytest.mark.services("redis")
def test_a_broker_means_tasks_are_not_run_eagerly():
    from portal.celery import app

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.REDIS_URL


@pytest.mark.services("worker")
@pytest.mark.django_db(transaction=True)
def test_real_worker_records_the_event_once(member, celery_worker_process):
    event_id = uuid.uuid4()

    first = record_activity_event.apply_async(kwargs=task_args(member, event_id))
    assert first.get(timeout=30) == str(event_id)
    second = record_activity_event.apply_async(kwargs=task_args(member, event_id))  # redelivered
    assert second.get(timeout=30) == str(event_id)

    assert ActivityEvent.objects.filter(member=member, event_id=event_id).count() == 1


@pytest.mark.services("worker")
@pytest.mark.django_db(transaction=True)
def test_real_worker_receives_deferred_event_after_commit(member, celery_worker_process):
    import time

    event_id = record_activity(member=member, kind="offer", ref="gold-lounge", event="claim", defer=True)

    deadline = time.monotonic() + 30
    while not ActivityEvent.objects.filter(event_id=event_id).exists():
        assert time.monotonic() < deadline, "the worker never recorded the deferred event"
        time.sleep(0.2)
    assert ActivityEvent.objects.get(event_id=event_id).member == member
