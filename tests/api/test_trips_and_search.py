"""Trips through the API (object-level access for every id) and the flight search's validation."""

import datetime as dt

import pytest

from members.models import ActivityEvent, Trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def adas_trip(member_api, jfk_lax, in_a_week):
    response = member_api.post("/api/v1/trips", {
        "outbound_flight_id": jfk_lax["out"].pk, "outbound_date": in_a_week.isoformat(), "cabin": "business",
        "name": "LA in a week", "inbound_flight_id": jfk_lax["back"].pk,
        "inbound_date": (in_a_week + dt.timedelta(days=3)).isoformat(),
    })
    assert response.status_code == 201, response.json()
    return response.json()


def test_saving_a_return_trip(adas_trip, member, in_a_week):
    assert adas_trip["name"] == "LA in a week"
    out, back = adas_trip["legs"]
    assert (out["flight"], out["route"], out["cabin"]) == ("AA33", "JFK-LAX", "business")
    assert out["departs_at"].startswith(f"{in_a_week.isoformat()}T09:00:00-0")  # New York time, with its offset
    assert back["route"] == "LAX-JFK"
    assert ActivityEvent.objects.filter(member=member, kind="route", event="save").count() == 2


def test_listing_reading_editing_and_removing_my_trip(adas_trip, member_api, member):
    listed = member_api.get("/api/v1/trips").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == adas_trip["id"]
    url = f"/api/v1/trips/{adas_trip['id']}"
    assert member_api.get(url).json()["name"] == "LA in a week"
    edited = member_api.patch(url, {"notes": "Window seat"})
    assert edited.status_code == 200
    assert (edited.json()["name"], edited.json()["notes"]) == ("LA in a week", "Window seat")
    assert member_api.delete(url).status_code == 204
    assert not Trip.objects.filter(member=member).exists()
    assert member_api.get(url).status_code == 404


def test_another_members_trip_is_404_for_every_method(adas_trip, other_member_api):
    url = f"/api/v1/trips/{adas_trip['id']}"
    assert other_member_api.get(url).status_code == 404
    assert other_member_api.patch(url, {"name": "Mine now"}).status_code == 404
    assert other_member_api.delete(url).status_code == 404
    assert other_member_api.get("/api/v1/trips").json()["count"] == 0
    trip = Trip.objects.get(pk=adas_trip["id"])
    assert trip.name == "LA in a week"


def test_a_trip_that_does_not_exist_is_404_and_an_absurd_id_is_422(member_api):
    assert member_api.get("/api/v1/trips/987654").status_code == 404
    assert member_api.get(f"/api/v1/trips/{2**64}").status_code == 422
    assert member_api.get("/api/v1/trips/0").status_code == 422


def test_an_empty_name_is_refused_with_its_field(adas_trip, member_api):
    response = member_api.patch(f"/api/v1/trips/{adas_trip['id']}", {"name": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"outbound_flight_id": 99999}, 422, "outbound_flight_id"),
    ({"inbound_date": "2099-01-01"}, 422, "inbound_flight_id"),
    ({"outbound_date": "2013-01-01"}, 400, "date"),
    ({"cabin": "cargo"}, 422, "cabin"),
    ({"name": "a" * 81}, 422, "name"),
    ({"notes": "nul\x00byte"}, 422, "notes"),
])
def test_a_trip_that_cannot_be_saved_says_why(member_api, jfk_lax, in_a_week, body, status, field):
    payload = {"outbound_flight_id": jfk_lax["out"].pk, "outbound_date": in_a_week.isoformat(), **body}
    response = member_api.post("/api/v1/trips", payload)
    assert response.status_code == status, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert not Trip.objects.exists()


# --- flight search ---------------------------------------------------------------------------


def test_search_returns_flights_with_fares_and_ids_to_save(member_api, jfk_lax, in_a_week, member):
    response = member_api.get("/api/v1/flights/search", {"origin": "JFK", "destination": "Los Angeles",
                                                         "date": in_a_week.isoformat(), "passengers": 2})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["route"] == "JFK-LAX" and body["cabin"] == "economy" and body["passengers"] == 2
    (flight,) = body["flights"]
    assert flight["flight_id"] == jfk_lax["out"].pk and flight["flight"] == "AA33"
    assert set(flight["fares"]) == {"economy", "premium", "business", "first"}
    economy = flight["fares"]["economy"]
    assert float(economy["total_for_passengers"]) == pytest.approx(2 * float(economy["total"]))
    assert flight["on_time_share"] == pytest.approx(0.812)


@pytest.mark.parametrize(("query", "field", "words"), [
    ({"origin": "Atlantis"}, "origin", "We don't know an airport"),
    ({"origin": "LAX", "destination": "LAX"}, "destination", None),
    ({"destination": "JFK"}, "destination", "Choose a destination other"),
    ({"date": "24/12/2026"}, "date", "YYYY-MM-DD"),
    ({"date": "2013-05-01"}, "date", "That date has passed"),
    ({"passengers": 10}, "passengers", None),
])
def test_search_validation_names_the_field(member_api, jfk_lax, in_a_week, query, field, words):
    params = {"origin": "JFK", "destination": "LAX", "date": in_a_week.isoformat(), **query}
    response = member_api.get("/api/v1/flights/search", params)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in {e["field"] for e in errors}
    if words:
        assert any(words in e["message"] for e in errors)


def test_search_needs_its_fields(member_api):
    response = member_api.get("/api/v1/flights/search")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"origin", "destination", "date"}


def test_search_works_for_a_signed_in_browser(member_client, jfk_lax, in_a_week):
    response = member_client.get("/api/v1/flights/search", {"origin": "JFK", "destination": "LAX",
                                                            "date": in_a_week.isoformat(), "cabin": "first"})
    assert response.status_code == 200 and response.json()["cabin"] == "first"
