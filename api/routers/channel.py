"""Other channels (call centre, mobile app) send what members did there, in batches.

Each event is checked on its own: a bad one is reported in its result and the others
are recorded. `event_id` (a UUID the sender chooses) makes a retry safe: an event that
was recorded before is answered `duplicate` and not recorded twice
(members.services.record_activity is idempotent on it).
"""

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import pydantic
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import WithJsonSchema

from api.auth import ingest_auth
from api.errors import ErrorItem, error_responses
from members.models import ActivityEvent, Member
from members.services import record_activity

router = Router(tags=["channels"], auth=ingest_auth)
MAX_EVENTS = 500
FUTURE_TOLERANCE = dt.timedelta(minutes=5)  # senders' clocks drift a little


class ActivityEventIn(pydantic.BaseModel):
    """One event. Name the member by `member_number` or by `email` (one of the two)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    member_number: str | None = Field(None, pattern=r"^[A-Za-z0-9]{1,16}$")
    email: str | None = Field(None, max_length=254)
    kind: str = Field(..., pattern=r"^[a-z_]{1,16}$", description="The item's kind: route, offer, news …")
    ref: str = Field(..., min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$", description="e.g. JFK-LAX or an offer's slug.")
    event: Literal[tuple(ActivityEvent.Event.values)]  # type: ignore[valid-type]
    occurred_at: pydantic.AwareDatetime
    event_id: uuid.UUID = Field(..., description="Chosen by the sender, once per event: a retry sends the same id.")
    channel: Literal["mobile", "call_centre", "web"]

    @pydantic.model_validator(mode="after")
    def one_member_reference(self):
        if (self.member_number is None) == (self.email is None):
            raise ValueError("Give exactly one of member_number and email.")
        return self


EVENT_SCHEMA = ActivityEventIn.model_json_schema()
EVENT_SCHEMA.pop("title", None)


class ActivityBatchIn(Schema):
    # Items are validated one by one (a bad item must not reject the batch), so the body
    # takes any objects; the OpenAPI document still shows what each one must look like.
    events: Annotated[
        list[Any],
        WithJsonSchema({"type": "array", "minItems": 1, "maxItems": MAX_EVENTS, "items": EVENT_SCHEMA}),
    ] = Field(..., min_length=1, max_length=MAX_EVENTS)


class EventResult(Schema):
    index: int
    event_id: str | None
    status: Literal["recorded", "duplicate", "rejected"]
    errors: list[ErrorItem]


class ActivityBatchOut(Schema):
    received: int
    recorded: int
    duplicates: int
    rejected: int
    results: list[EventResult]


def _pydantic_errors(error: pydantic.ValidationError):
    return [{"field": ".".join(str(p) for p in e["loc"]) or None, "message": e["msg"]} for e in error.errors()]


@router.post("/channel/activity", response={200: ActivityBatchOut, **error_responses(400, 401, 403, 422, 429)},
             summary="Send a batch of activity events (scope channel:ingest)")
def ingest_activity(request, payload: ActivityBatchIn):
    """Up to 500 events. The answer has one result per event, in order: `recorded`, `duplicate` or `rejected`
    (with the reasons); the batch as a whole is 200 even when some events are rejected."""
    parsed, results = [], []
    for index, raw in enumerate(payload.events):
        if not isinstance(raw, dict):
            results.append({"index": index, "event_id": None, "status": "rejected",
                            "errors": [{"field": None, "message": "An event is a JSON object."}]})
            parsed.append(None)
            continue
        try:
            event = ActivityEventIn.model_validate(raw)
        except pydantic.ValidationError as error:
            raw_id = raw.get("event_id") if isinstance(raw.get("event_id"), str) else None
            results.append({"index": index, "event_id": raw_id, "status": "rejected", "errors": _pydantic_errors(error)})
            parsed.append(None)
            continue
        parsed.append(event)
        results.append(None)

    ok = [e for e in parsed if e is not None]
    numbers = {e.member_number.upper() for e in ok if e.member_number}
    emails = {e.email.strip().lower() for e in ok if e.email}
    members_by_number = {m.member_number: m for m in Member.objects.filter(member_number__in=numbers, is_active=True)}
    members_by_email = {m.email: m for m in Member.objects.filter(email__in=emails, is_active=True)}
    known = {row["event_id"]: row for row in ActivityEvent.objects.filter(event_id__in=[e.event_id for e in ok])
             .values("event_id", "member_id", "kind", "ref", "event")}
    now = timezone.now()

    for index, event in enumerate(parsed):
        if event is None:
            continue
        errors = []
        if event.member_number:
            member = members_by_number.get(event.member_number.upper())
            if member is None:
                errors.append(("member_number", "No member has this number."))
        else:
            member = None
            try:
                validate_email(event.email.strip())
                member = members_by_email.get(event.email.strip().lower())
            except DjangoValidationError:
                errors.append(("email", "Enter a valid e-mail address."))
            if member is None and not errors:
                errors.append(("email", "No member has this e-mail address."))
        if event.occurred_at > now + FUTURE_TOLERANCE:
            errors.append(("occurred_at", "This is in the future."))
        same = None
        if member is not None:
            same = {"member_id": member.pk, "kind": event.kind, "ref": event.ref, "event": event.event}
            first = known.get(event.event_id)
            if first is not None and {k: first[k] for k in same} != same:
                errors.append(("event_id", "This event_id already names a different event."))
        if errors:
            results[index] = {"index": index, "event_id": str(event.event_id), "status": "rejected",
                              "errors": [{"field": f, "message": m} for f, m in errors]}
            continue
        if event.event_id in known:
            status = "duplicate"
        else:
            record_activity(member=member, kind=event.kind, ref=event.ref, event=event.event,
                            occurred_at=event.occurred_at, channel=event.channel, event_id=event.event_id)
            known[event.event_id] = {"event_id": event.event_id, **same}
            status = "recorded"
        results[index] = {"index": index, "event_id": str(event.event_id), "status": status, "errors": []}

    counts = {s: sum(1 for r in results if r["status"] == s) for s in ("recorded", "duplicate", "rejected")}
    return {"received": len(results), "recorded": counts["recorded"], "duplicates": counts["duplicate"],
            "rejected": counts["rejected"], "results": results}
