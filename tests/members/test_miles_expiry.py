"""Miles expire after 24 months without activity: a warning 30 days before, then one expiry entry."""

from datetime import date, datetime, timezone

import pytest
from django.core import mail

from members.loyalty.expiry import add_months, expires_on, latest_activity_expiring_by, run_expiry
from members.models import LedgerEntry, Notification
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def posting(member, key, miles, when, kind="partner"):
    return LedgerEntry.objects.create(member=member, kind=kind, miles=miles, loyalty_points=max(miles, 0),
                                      source_key=key, occurred_at=when, reason="test" if kind == "adjustment" else "")


@pytest.fixture
def ada(db):
    """Ada earned 3,000 + 2,000 miles; her last activity is 15 March 2024, 22:30 UTC: they expire on 15 March 2026."""
    member = MemberFactory(email="ada@example.com", first_name="Ada", language="zh-hant")
    posting(member, "p1", 3_000, at(2023, 6, 1))
    posting(member, "p2", 2_000, at(2024, 3, 15, 22, 30))
    return member


@pytest.mark.parametrize("day, months, expected", [
    (date(2024, 3, 15), 24, date(2026, 3, 15)),
    (date(2024, 2, 29), 24, date(2026, 2, 28)),  # leap day: clamped to the month's end
    (date(2024, 3, 31), 24, date(2026, 3, 31)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 3, 15), -24, date(2024, 3, 15)),
])
def test_add_months_keeps_the_calendar_day_or_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_the_latest_activity_that_has_expired_by_a_day_respects_month_ends():
    assert latest_activity_expiring_by(date(2026, 3, 15)) == date(2024, 3, 15)
    assert latest_activity_expiring_by(date(2026, 2, 28)) == date(2024, 2, 29)
    assert expires_on(date(2024, 2, 29)) == date(2026, 2, 28)


def test_no_warning_31_days_before_and_one_warning_30_days_before(ada, django_capture_on_commit_callbacks, eager_tasks):
    assert run_expiry(on=date(2026, 2, 12)).warned == []

    with django_capture_on_commit_callbacks(execute=True):
        run = run_expiry(on=date(2026, 2, 13))

    notice = Notification.objects.get(member=ada)
    assert run.warned == [notice.pk] and not run.expired
    assert (notice.kind, notice.data) == ("miles_expiry_warn", {"miles": 5_000, "expires_on": "2026-03-15"})
    assert "5,000 of your miles expire on 2026-03-15" in notice.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.com"]
    assert ada.emails_sent.get().language == "zh-hant"  # written in her language


def test_warning_twice_warns_once_and_mails_once(ada, django_capture_on_commit_callbacks, eager_tasks):
    for day in (date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 14)):
        with django_capture_on_commit_callbacks(execute=True):
            run_expiry(on=day)
    assert Notification.objects.filter(member=ada).count() == 1
    assert len(mail.outbox) == 1


def test_the_miles_stay_the_day_before_and_go_on_the_day_as_one_entry(ada, django_capture_on_commit_callbacks, eager_tasks):
    assert run_expiry(on=date(2026, 3, 14)).expired == {}
    assert ada.miles_balance() == 5_000

    with django_capture_on_commit_callbacks(execute=True):
        run = run_expiry(on=date(2026, 3, 15))

    assert run.expired == {ada.pk: 5_000}
    entry = LedgerEntry.objects.get(member=ada, kind="expiry")
    assert (entry.miles, entry.source_key, entry.occurred_at) == (-5_000, "expiry:2026-03-15", at(2026, 3, 15))
    assert ada.miles_balance() == 0
    assert Notification.objects.get(member=ada, kind="miles_expired").data["miles"] == 5_000
    assert len(mail.outbox) == 1


def test_running_the_expiry_twice_changes_nothing_more(ada, django_capture_on_commit_callbacks, eager_tasks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run_expiry(on=date(2026, 4, 1))
    assert LedgerEntry.objects.filter(member=ada, kind="expiry").count() == 1
    assert ada.miles_balance() == 0
    assert Notification.objects.filter(member=ada, kind="miles_expired").count() == 1
    assert len(mail.outbox) == 1


def test_any_activity_restarts_the_24_months(ada):
    posting(ada, "small", 10, at(2025, 1, 2))  # a partner posting of 10 miles counts as activity
    assert run_expiry(on=date(2026, 3, 15)).expired == {}
    assert run_expiry(on=date(2027, 1, 2)).expired == {ada.pk: 5_010}


def test_a_negative_adjustment_is_activity_but_an_empty_balance_never_expires_or_warns(db):
    member = MemberFactory(email="zero@example.com")
    posting(member, "p", 1_000, at(2023, 1, 1))
    posting(member, "a", -1_000, at(2023, 2, 1), kind="adjustment")
    assert run_expiry(on=date(2025, 1, 15)).warned == []
    assert run_expiry(on=date(2025, 3, 1)).expired == {}
    assert not LedgerEntry.objects.filter(kind="expiry").exists()


def test_the_beat_schedule_runs_the_expiry_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["loyalty-daily-miles-expiry"]
    assert entry["task"] == "members.tasks.expire_miles"
