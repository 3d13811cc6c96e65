"""Other channels: batch activity ingest (per-item results, idempotent) and the agent's look-up."""

import uuid

import pytest
from django.utils import timezone

from members.models import ActivityEvent
from tests.factories import ActivityEventFactory

pytestmark = pytest.mark.django_db


def event(member=None, **fields):
    base = {"kind": "route", "ref": "JFK-MIA", "event": "search", "channel": "call_centre",
            "occurred_at": "2026-05-01T10:00:00+00:00", "event_id": str(uuid.uuid4())}
    if member is not None:
        base["member_number"] = member.member_number
    return {**base, **fields}


def test_a_batch_with_bad_items_records_the_good_ones(ingest_api, member, other_member):
    good = event(member)
    by_email = event(email="GRACE@example.com", event="book", channel="mobile")
    unknown_member = event(member_number="ZZZZZZZ")
    missing_kind = {k: v for k, v in event(member).items() if k != "kind"}
    both_names = event(member, email="ada@example.com")
    future = event(member, occurred_at="2999-01-01T00:00:00Z")
    naive = event(member, occurred_at="2026-05-01T10:00:00")
    response = ingest_api.post("/api/v1/channel/activity", {"events": [
        good, by_email, unknown_member, missing_kind, both_names, future, naive, "not an object",
    ]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["received"], body["recorded"], body["duplicates"], body["rejected"]) == (8, 2, 0, 6)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [(0, "recorded"), (1, "recorded")] + [(i, "rejected") for i in range(2, 8)]
    fields = {r["index"]: {e["field"] for e in r["errors"]} for r in body["results"]}
    assert fields[2] == {"member_number"} and fields[3] == {"kind"} and fields[5] == {"occurred_at"}
    assert fields[6] == {"occurred_at"}
    recorded = ActivityEvent.objects.get(event_id=good["event_id"])
    assert (recorded.member, recorded.channel, recorded.event) == (member, "call_centre", "search")
    assert ActivityEvent.objects.get(event_id=by_email["event_id"]).member == other_member
    assert ActivityEvent.objects.count() == 2


def test_sending_a_batch_again_records_nothing_twice(ingest_api, member):
    batch = {"events": [event(member), event(member, event="view")]}
    first = ingest_api.post("/api/v1/channel/activity", batch).json()
    again = ingest_api.post("/api/v1/channel/activity", batch).json()
    assert first["recorded"] == 2
    assert (again["recorded"], again["duplicates"]) == (0, 2)
    assert ActivityEvent.objects.count() == 2


def test_the_same_event_twice_in_one_batch_is_one_event(ingest_api, member):
    twice = event(member)
    body = ingest_api.post("/api/v1/channel/activity", {"events": [twice, twice]}).json()
    assert [r["status"] for r in body["results"]] == ["recorded", "duplicate"]


def test_an_event_id_reused_for_another_event_is_rejected(ingest_api, member):
    first = event(member)
    ingest_api.post("/api/v1/channel/activity", {"events": [first]})
    reused = {**first, "ref": "JFK-LAX"}
    result = ingest_api.post("/api/v1/channel/activity", {"events": [reused]}).json()["results"][0]
    assert result["status"] == "rejected" and result["errors"][0]["field"] == "event_id"
    assert ActivityEvent.objects.get(event_id=first["event_id"]).ref == "JFK-MIA"


@pytest.mark.parametrize("body", [{}, {"events": []}, {"events": "many"}])
def test_a_malformed_batch_is_422(ingest_api, body):
    response = ingest_api.post("/api/v1/channel/activity", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events"


def test_a_batch_has_a_size_limit(ingest_api, member):
    response = ingest_api.post("/api/v1/channel/activity", {"events": [event(member) for _ in range(501)]})
    assert response.status_code == 422
    assert not ActivityEvent.objects.exists()


# --- the agent's look-up ---------------------------------------------------------------------


def test_an_agent_finds_a_member_by_number(agent_api, member):
    ActivityEventFactory(member=member, ref="JFK-SFO", event="book", channel="mobile", occurred_at=timezone.now())
    response = agent_api.get(f"/api/v1/agent/members/{member.member_number.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert (body["member_number"], body["name"], body["tier"]["code"]) == (member.member_number, "Ada Lovelace", "member")
    assert body["recent_activity"][0]["ref"] == "JFK-SFO" and body["recent_activity"][0]["channel"] == "mobile"
    assert body["miles_balance"] == 0 and body["upcoming_trips"] == 0


def test_an_unknown_member_number_is_404(agent_api):
    response = agent_api.get("/api/v1/agent/members/ZZZZZZZ")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert agent_api.get("/api/v1/agent/members/bad-number!").status_code == 422
