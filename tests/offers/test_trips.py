"""Trip planning: save from the search, owner-only access, calendar export."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from members.models import ActivityEvent, Trip
from offers.models import ScheduledFlight
from offers.trips import save_trip
from tests.factories import MemberFactory
from tests.offers.test_flight_search import next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def aa1(timetable):
    return ScheduledFlight.objects.filter(flight_number=1, route__origin="JFK", route__destination="LAX").order_by("-operations").first()


def a_monday_aa1_flies(flight=None):
    """A Monday at least three weeks ahead on which the test's AA1 line is in its 2013 season (lines change with seasons)."""
    flight = flight or ScheduledFlight.objects.filter(flight_number=1, route__origin="JFK", route__destination="LAX").order_by("-operations").first()
    for week in range(53):
        day = next_weekday(1) + dt.timedelta(weeks=week)
        if ScheduledFlight.objects.operating_on(day).filter(pk=flight.pk).exists():
            return day
    raise AssertionError(f"{flight} flies on no Monday of the coming year")


def test_a_member_saves_a_flight_from_the_search_as_a_trip(client, aa1):
    member = MemberFactory()
    client.force_login(member)
    monday = a_monday_aa1_flies()
    form = client.get("/trips/new/", {"outbound": aa1.pk, "outbound_date": monday.isoformat(), "cabin": "business"})
    assert form.status_code == 200 and "AA1" in form.content.decode()
    saved = client.post("/trips/new/", {"outbound": aa1.pk, "outbound_date": monday.isoformat(), "cabin": "business",
                                        "name": "Pitch in LA", "notes": "Window seat"}, follow=True)
    assert saved.status_code == 200
    trip = Trip.objects.get(member=member)
    assert trip.name == "Pitch in LA" and trip.legs.get().cabin == "business"
    assert "Pitch in LA" in client.get("/trips/").content.decode()
    assert ActivityEvent.objects.filter(member=member, ref="JFK-LAX", event="save").exists()


def test_a_flight_that_does_not_operate_that_day_is_refused(client, aa1):
    member = MemberFactory()
    client.force_login(member)
    aa1.days_of_week = "1"
    aa1.save()
    tuesday = a_monday_aa1_flies() + dt.timedelta(days=1)
    page = client.post("/trips/new/", {"outbound": aa1.pk, "outbound_date": tuesday.isoformat(), "cabin": "economy"})
    assert page.status_code == 400
    assert "does not fly on" in page.content.decode()
    assert not Trip.objects.exists()


def test_another_member_gets_404_for_every_trip_url(client, aa1):
    owner, intruder = MemberFactory(), MemberFactory()
    trip = save_trip(member=owner, name="Mine", outbound=aa1, outbound_date=a_monday_aa1_flies(), cabin="economy")
    client.force_login(intruder)
    for url in (f"/trips/{trip.pk}/", f"/trips/{trip.pk}/trip.ics"):
        assert client.get(url).status_code == 404
    assert client.post(f"/trips/{trip.pk}/", {"name": "Hacked", "notes": ""}).status_code == 404
    assert client.post(f"/trips/{trip.pk}/remove/").status_code == 404
    trip.refresh_from_db()
    assert trip.name == "Mine"
    assert "Mine" not in client.get("/trips/").content.decode()


def test_the_owner_edits_notes_and_removes_a_trip(client, aa1):
    owner = MemberFactory()
    trip = save_trip(member=owner, name="Mine", outbound=aa1, outbound_date=a_monday_aa1_flies(), cabin="economy")
    client.force_login(owner)
    client.post(f"/trips/{trip.pk}/", {"name": "Renamed", "notes": "Aisle"})
    trip.refresh_from_db()
    assert (trip.name, trip.notes) == ("Renamed", "Aisle")
    client.post(f"/trips/{trip.pk}/remove/")
    assert not Trip.objects.filter(pk=trip.pk).exists()
    assert ActivityEvent.objects.filter(member=owner, ref="JFK-LAX", event="unsave").exists()


def test_the_calendar_file_has_the_true_instants(client, aa1):
    owner = MemberFactory()
    monday = a_monday_aa1_flies()
    trip = save_trip(member=owner, name="LA", outbound=aa1, outbound_date=monday, cabin="economy")
    client.force_login(owner)
    response = client.get(f"/trips/{trip.pk}/trip.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    start, end = events[0]["dtstart"].dt, events[0]["dtend"].dt
    new_york, los_angeles = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
    assert start == dt.datetime.combine(monday, aa1.departure_time, tzinfo=new_york)
    assert end == dt.datetime.combine(monday, aa1.arrival_time, tzinfo=los_angeles)
    assert start.utcoffset() == dt.timedelta(0)  # written in UTC, so every calendar shows it right


def test_upcoming_and_past_trips_are_listed_apart(client, aa1):
    owner = MemberFactory()
    client.force_login(owner)
    save_trip(member=owner, name="Soon", outbound=aa1, outbound_date=a_monday_aa1_flies(), cabin="economy")
    past = Trip.objects.create(member=owner, name="Long ago")
    leg = save_trip(member=owner, name="tmp", outbound=aa1, outbound_date=a_monday_aa1_flies(), cabin="economy").legs.get()
    leg.trip, leg.departs_at, leg.arrives_at = past, leg.departs_at - dt.timedelta(days=400), leg.arrives_at - dt.timedelta(days=400)
    leg.save()
    html = client.get("/trips/").content.decode()
    assert html.index("Soon") < html.index("Past") < html.index("Long ago")


def test_a_round_trip_pairs_the_outbound_with_a_derived_return(client, aa1):
    member = MemberFactory()
    client.force_login(member)
    monday, friday = a_monday_aa1_flies(), a_monday_aa1_flies() + dt.timedelta(days=4)
    query = {"outbound": aa1.pk, "outbound_date": monday.isoformat(), "cabin": "economy", "inbound_date": friday.isoformat()}
    page = client.get("/trips/new/", query)
    returns = ScheduledFlight.objects.operating_on(friday).filter(route__origin="LAX", route__destination="JFK")
    assert returns and all(f.is_derived for f in returns)
    back = returns.order_by("departure_time").first()
    assert back.designator in page.content.decode()
    client.post("/trips/new/", {**query, "inbound": back.pk, "name": "LA week"})
    trip = Trip.objects.get(member=member)
    assert [leg.route_ref for leg in trip.legs.all()] == ["JFK-LAX", "LAX-JFK"]


def test_a_return_before_landing_is_refused(client, aa1):
    member = MemberFactory()
    client.force_login(member)
    monday = a_monday_aa1_flies()
    early = ScheduledFlight.objects.operating_on(monday).filter(route__origin="LAX", route__destination="JFK").order_by("departure_time").first()
    page = client.post("/trips/new/", {"outbound": aa1.pk, "outbound_date": monday.isoformat(), "cabin": "economy",
                                       "inbound_date": monday.isoformat(), "inbound": early.pk})
    assert page.status_code == 400 and "before you have landed" in page.content.decode()
    assert not Trip.objects.exists()


def test_opening_a_flight_from_the_results_is_recorded_as_a_view(client, aa1, django_capture_on_commit_callbacks, eager_tasks):
    member = MemberFactory()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/trips/new/", {"outbound": aa1.pk, "outbound_date": a_monday_aa1_flies().isoformat(), "cabin": "economy"})
    assert ActivityEvent.objects.filter(member=member, ref="JFK-LAX", event="view").count() == 1
