"""Writes with side effects on members. Keyword-only arguments, one transaction each."""

import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from members.models import ActivityEvent, Member
from members.privacy.consent import allows
from members.privacy.models import Purpose

log = logging.getLogger(__name__)


# Known bots and crawlers, by User-Agent (case-insensitive): what they request is never a
# member's activity. Self-declared crawlers ("…bot/", "…Bot-…", crawler, spider), search and
# social-preview fetchers, SEO tools, uptime monitors, page-speed and archive tools. Not listed
# on purpose: HTTP libraries (curl, python-requests, okhttp — partners' integrations and the
# mobile app use them) and headless browsers (our own browser tests). docs/recommender.md.
KNOWN_BOTS = re.compile(
    r"(?<!cu)bot\b|bot[/_-]|crawl|spider|slurp|facebookexternalhit|facebookcatalog|mediapartners-google|"
    r"bingpreview|google-inspectiontool|googleother|embedly|quora link preview|whatsapp|ia_archiver|"
    r"archive\.org|httrack|scrapy|wget|lighthouse|pagespeed|gtmetrix|pingdom|uptimerobot|statuscake|"
    r"site24x7|ahrefs|semrush|mj12|dotbot|petalbot|bytespider|gptbot|ccbot|claudebot|amazonbot",
    re.IGNORECASE,
)
# The User-Agent of the request being served, set by the web layer (a middleware) so that
# record_activity can leave bots out without every view passing it along.
request_user_agent: ContextVar[str] = ContextVar("request_user_agent", default="")


def is_known_bot(user_agent: str | None) -> bool:
    return bool(user_agent) and KNOWN_BOTS.search(user_agent) is not None


@contextmanager
def request_context(*, user_agent: str):
    """Within this block, record_activity knows the request's User-Agent (bots are not recorded)."""
    token = request_user_agent.set(user_agent or "")
    try:
        yield
    finally:
        request_user_agent.reset(token)


def record_activity(
    *,
    member: Member,
    kind: str,
    ref: str,
    event: str,
    occurred_at: datetime | None = None,
    channel: str = ActivityEvent.Channel.WEB,
    event_id: uuid.UUID | str | None = None,
    defer: bool = False,
) -> ActivityEvent | uuid.UUID | None:
    """Record that `member` did `event` with the item `kind:ref` — if they allow analytics.

    Nothing is recorded for a request from a known bot or crawler (`KNOWN_BOTS`, read from
    `request_context`). A member who has not granted (or has withdrawn) the analytics consent is not
    recorded at all: nothing is written or queued, and None is returned. A deferred
    event is checked again when the worker records it (consent may be withdrawn between).

    `event_id` names the event once and for all: recording the same id a second time
    (a retried request, a redelivered task) changes nothing and returns the first row.
    With `defer=True` the event is handed to the `default` Celery queue after the
    surrounding transaction commits (so the worker sees the member it refers to, and
    nothing is sent if the transaction rolls back); the event's id is returned.
    """
    if event not in ActivityEvent.Event.values:
        raise ValueError(f"unknown activity event {event!r}")
    if is_known_bot(request_user_agent.get()):
        return None  # a crawler on a member's session (or cookies): not activity
    if not allows(member, Purpose.ANALYTICS):
        return None
    occurred_at = occurred_at or timezone.now()
    event_id = uuid.UUID(str(event_id)) if event_id else uuid.uuid4()

    if defer:
        from members.tasks import record_activity_event

        args = (member.pk, kind, ref, event, occurred_at.isoformat(), channel, str(event_id))
        transaction.on_commit(lambda: _enqueue_activity(record_activity_event, args))
        return event_id

    row, _created = ActivityEvent.objects.get_or_create(
        event_id=event_id,
        defaults={
            "member": member,
            "kind": kind,
            "ref": ref,
            "event": event,
            "channel": channel,
            "occurred_at": occurred_at,
        },
    )
    return row


def _enqueue_activity(task, args):
    """A broker that is down costs the event, never the page (docs/operations.md)."""
    try:
        task.apply_async(args=args)
    except Exception:  # noqa: BLE001
        log.warning("activity event %s not queued: broker unavailable", args[-1], exc_info=True)
