"""Celery tasks of cms (autodiscovered; the `default` queue). Thin: they call cms/weekly_email.py."""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_date

from cms import weekly_email


@shared_task(acks_late=True)
def send_weekly_email(today=None):
    """Celery beat, Mondays: plan this week's e-mail and fan it out in batches. Safe to run twice."""
    day = parse_date(today) if today else timezone.localdate()
    week = weekly_email.week_key(day)
    ids = weekly_email.pending_member_ids(week)
    size = weekly_email.BATCH_SIZE
    batches = [ids[i:i + size] for i in range(0, len(ids), size)]
    for batch in batches:
        send_weekly_email_batch.delay(batch, week, day.isoformat())
    return {"week": week, "members": len(ids), "batches": len(batches)}


@shared_task(autoretry_for=(DatabaseError, OSError, SMTPException), retry_backoff=60, max_retries=5, acks_late=True)
def send_weekly_email_batch(member_ids, week, today):
    """One batch; a retry sends only to those the failed try had not reached (EmailSent is per member and week)."""
    return weekly_email.send_weekly_batch(member_ids, week=week, today=parse_date(today))
