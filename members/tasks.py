"""Celery tasks for members: thin, take ids, safe to run twice."""

from celery import shared_task
from django.db import DatabaseError
from django.utils.dateparse import parse_datetime

from members.models import Member
from members.services import record_activity


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5, acks_late=True)
def record_activity_event(member_id, kind, ref, event, occurred_at_iso, channel, event_id):
    """Record one activity event sent from a web process (or another channel).

    Idempotent through `event_id`: a second delivery of the same event adds no row.
    A member erased in the meantime, or who withdrew the analytics consent, is not an
    error; the event is dropped. Returns the recorded event's id, or None when dropped.
    """
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        return None
    row = record_activity(
        member=member,
        kind=kind,
        ref=ref,
        event=event,
        occurred_at=parse_datetime(occurred_at_iso) if occurred_at_iso else None,
        channel=channel,
        event_id=event_id,
    )
    return str(row.event_id) if row is not None else None


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=3, acks_late=True)
def recalculate_member_tiers(on_iso=None, year_end_review=False):
    """Recalculate every member's tier (see members.loyalty.tiers). Safe to run twice.

    Returns a summary: members changed, upgrades and downgrades per tier.
    """
    from datetime import date

    from members.loyalty.tiers import recalculate_tiers

    result = recalculate_tiers(on=date.fromisoformat(on_iso) if on_iso else None, year_end_review=year_end_review)
    return {"on": result.on.isoformat(), "changed": result.changed, "upgrades": dict(result.upgrades),
            "downgrades": dict(result.downgrades)}


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=5, acks_late=True)
def send_tier_upgrade_emails(history_ids):
    """E-mail each upgraded member once (TierHistory.emailed_at marks who was told)."""
    from members.loyalty.emails import send_upgrade_emails

    return send_upgrade_emails(history_ids)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=3, acks_late=True)
def expire_miles(on_iso=None):
    """Daily: warn members whose miles expire within 30 days, expire those due (members.loyalty.expiry). Safe to run twice."""
    from datetime import date

    from members.loyalty.expiry import run_expiry

    run = run_expiry(on=date.fromisoformat(on_iso) if on_iso else None)
    return {"on": run.on.isoformat(), "warned": len(run.warned), "expired_members": len(run.expired),
            "expired_miles": sum(run.expired.values())}


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=5, acks_late=True)
def send_miles_expiry_emails(notification_ids):
    """E-mail the expiry warnings and notices, each once, in the member's language."""
    from members.loyalty.expiry import send_expiry_emails

    return send_expiry_emails(notification_ids)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=3, acks_late=True)
def refresh_customer_value(on_iso=None):
    """Nightly: rewrite the customer-value table (members.value.scoring.refresh). Safe to run twice."""
    from datetime import date

    from members.value.scoring import refresh

    result = refresh(on=date.fromisoformat(on_iso) if on_iso else None)
    return {"on": result.on.isoformat(), "members": result.members, "seconds": round(result.seconds, 2)}
