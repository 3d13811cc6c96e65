"""Schedule and fare look-up on the real 2013 AA timetable."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from members.models import ActivityEvent, Cabin
from offers import fares
from offers.demo.timetable import source_flights
from offers.models import Airport, RouteSearchCount
from offers.search import flights_on, order_for_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def next_weekday(iso_weekday, weeks_ahead=3):
    today = timezone.localdate() + dt.timedelta(weeks=weeks_ahead)
    return today + dt.timedelta(days=(iso_weekday - today.isoweekday()) % 7)


def a_monday_in_season():
    """A Monday on sale away from the year's edges, where the 2013 data has no season changes."""
    day = next_weekday(1, weeks_ahead=1)
    while day.month in (12, 1):
        day += dt.timedelta(weeks=1)
    return day


def real_monday_flights(origin, destination, around):
    """Flight numbers that flew the route on Mondays within ten days of `around`'s day of 2013, from the package."""
    df = source_flights()
    df = df[(df.carrier == "AA") & (df.origin == origin) & (df.dest == destination)]
    centre = dt.date(2013, around.month, min(around.day, 28))
    dates = [dt.date(y, m, d) for y, m, d in zip(df.year, df.month, df.day)]
    near_mondays = [d.isoweekday() == 1 and abs((d - centre).days) <= 10 for d in dates]
    return set(int(n) for n in df[near_mondays].flight)


def search(client, **params):
    return client.get("/flights/", params)


def test_jfk_to_lax_on_a_monday_lists_the_real_aa_flights(timetable):
    monday = a_monday_in_season()
    options = flights_on(origin=Airport.objects.get(iata="JFK"), destination=Airport.objects.get(iata="LAX"), travel_date=monday)
    numbers = [o.flight.flight_number for o in options]
    assert sorted(numbers) == sorted(set(numbers)), "each flight once, in the season it is flown"
    assert set(numbers) == real_monday_flights("JFK", "LAX", around=monday) == {1, 3, 19, 21, 33, 117, 133, 181, 185}


def test_times_are_local_at_each_airport(timetable):
    monday = next_weekday(1)
    options = flights_on(origin=Airport.objects.get(iata="JFK"), destination=Airport.objects.get(iata="LAX"), travel_date=monday)
    aa1 = next(o for o in options if o.flight.flight_number == 1)
    assert str(aa1.departs.tzinfo) == "America/New_York"
    assert str(aa1.arrives.tzinfo) == "America/Los_Angeles"
    assert aa1.departs.strftime("%H:%M") == "09:00"
    # 09:00 in New York to ~12:2x in Los Angeles is about six hours of flying, not three.
    assert 5 * 60 < aa1.duration_minutes < 7 * 60


def test_on_time_share_matches_the_package_data(timetable):
    monday = next_weekday(1)
    options = flights_on(origin=Airport.objects.get(iata="JFK"), destination=Airport.objects.get(iata="LAX"), travel_date=monday)
    line = next(o.flight for o in options if o.flight.flight_number == 1)
    df = source_flights()
    hhmm_dep = line.departure_time.hour * 100 + line.departure_time.minute
    hhmm_arr = line.arrival_time.hour * 100 + line.arrival_time.minute
    rows = df[(df.carrier == "AA") & (df.flight == 1) & (df.origin == "JFK") & (df.dest == "LAX")
              & (df.sched_dep_time == hhmm_dep) & (df.sched_arr_time == hhmm_arr)]
    expected = (rows.arr_delay <= 15).sum() / len(rows)
    assert float(line.on_time_share) == pytest.approx(expected, abs=0.0005)


def test_fares_are_deterministic_and_ordered_by_cabin():
    kwargs = dict(route_ref="JFK-LAX", distance_miles=2475, travel_date=dt.date(2027, 3, 15), departure_hour=9,
                  booked_on=dt.date(2027, 1, 10))
    first, again = fares.quote_all_cabins(**kwargs), fares.quote_all_cabins(**kwargs)
    assert first == again
    assert first[Cabin.FIRST].total > first[Cabin.BUSINESS].total > first[Cabin.PREMIUM_ECONOMY].total > first[Cabin.ECONOMY].total
    assert first[Cabin.ECONOMY].taxes > 0 and first[Cabin.ECONOMY].base == first[Cabin.ECONOMY].base.to_integral()


def test_booking_late_costs_more_than_booking_early():
    common = dict(route_ref="JFK-MIA", distance_miles=1089, travel_date=dt.date(2027, 5, 5), departure_hour=13, cabin="economy")
    late = fares.quote(booked_on=dt.date(2027, 5, 4), **common)
    early = fares.quote(booked_on=dt.date(2027, 3, 1), **common)
    assert late.base > early.base


def test_a_visitor_sees_flights_in_departure_order(client, timetable):
    page = search(client, origin="JFK", destination="LAX", date=next_weekday(1).isoformat(), cabin="economy", passengers=1)
    assert page.status_code == 200
    times = re.findall(r'<time datetime="[^"]+T(\d\d:\d\d)[^"]*">\d\d:\d\d</time> <abbr title="[^"]+">JFK', page.content.decode())
    assert times and times == sorted(times)


def test_a_member_who_flies_evenings_sees_evening_flights_first(client, timetable):
    member = MemberFactory()
    jfk, lax = Airport.objects.get(iata="JFK"), Airport.objects.get(iata="LAX")
    monday = next_weekday(1)
    options = flights_on(origin=jfk, destination=lax, travel_date=monday)
    evening = [o for o in options if o.departs.hour >= 17]
    assert evening, "the real data has evening JFK→LAX departures"
    from offers.trips import save_trip

    for option in evening[:2]:
        save_trip(member=member, name="LA", outbound=option.flight, outbound_date=monday, cabin="economy")
    client.force_login(member)
    page = search(client, origin="JFK", destination="LAX", date=monday.isoformat(), cabin="economy", passengers=1)
    html = page.content.decode()
    first_time = re.search(r'<time datetime="[^"]+T(\d\d):\d\d', html).group(1)
    assert int(first_time) >= 17
    assert "You usually fly evenings" in html
    ordered = order_for_member(flights_on(origin=jfk, destination=lax, travel_date=monday), departure_hours=[18, 19, 20])
    assert ordered[0].departs.hour >= 17


def test_a_member_search_is_recorded_as_activity(client, timetable, django_capture_on_commit_callbacks, eager_tasks):
    member = MemberFactory()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        search(client, origin="LGA", destination="ORD", date=next_weekday(2).isoformat(), cabin="economy", passengers=2)
        client.logout()
    search(client, origin="LGA", destination="ORD", date=next_weekday(2).isoformat(), cabin="economy", passengers=2)
    assert ActivityEvent.objects.filter(member=member, kind="route", ref="LGA-ORD", event="search").count() == 1


def test_visitor_searches_are_counted_in_aggregate_only(client, timetable):
    for _ in range(3):
        search(client, origin="LGA", destination="ORD", date=next_weekday(2).isoformat(), cabin="economy", passengers=1)
    assert not ActivityEvent.objects.exists()
    count = RouteSearchCount.objects.get(route__origin="LGA", route__destination="ORD")
    assert (count.day, count.searches) == (timezone.localdate(), 3)


def test_a_city_name_finds_its_airport(client, timetable):
    suggestions = client.get("/flights/airports/", {"q": "los ang"}).json()["airports"]
    assert [a["iata"] for a in suggestions] == ["LAX"]
    page = search(client, origin="New York (JFK)", destination="Los Angeles", date=next_weekday(1).isoformat(), cabin="first", passengers=1)
    assert page.status_code == 200 and "AA1" in page.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"origin": "XQZ"}, "origin", "know an airport"),
        ({"origin": "Nowhere-ville"}, "origin", "know an airport"),
        ({"destination": "JFK"}, "destination", "other than where you leave from"),
        ({"date": "2013-01-01"}, "date", "has passed"),
        ({"date": "2099-01-01"}, "date", "up to 330 days ahead"),
        ({"date": "24/12/2026"}, "date", "YYYY-MM-DD"),
        ({"passengers": "0"}, "passengers", "1 to 9"),
        ({"passengers": "10"}, "passengers", "1 to 9"),
        ({"destination": "SEA", "origin": "LGA"}, "destination", "From New York (LGA) we fly to"),
    ],
)
def test_bad_input_is_a_form_error_next_to_its_field(client, timetable, params, field, message):
    query = {"origin": "JFK", "destination": "LAX", "date": next_weekday(1).isoformat(), "cabin": "economy", "passengers": "1"}
    query.update(params)
    page = search(client, **query)
    assert page.status_code == 200
    html = page.content.decode()
    error = re.search(rf'<div class="field__errors" id="id_{field}-error">(.*?)</div>', html, re.S)
    assert error, f"no error next to {field}"
    assert message in error.group(1).replace("&#39;", "'")
    assert f'aria-invalid="true"' in html


def test_markup_in_the_query_is_escaped(client, timetable):
    page = search(client, origin="<script>alert(1)</script>", destination="LAX", date=next_weekday(1).isoformat(), passengers=1)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()


def test_flex_shows_a_fare_calendar(client, timetable):
    day = next_weekday(3, weeks_ahead=5)
    page = search(client, origin="JFK", destination="MIA", date=day.isoformat(), cabin="economy", passengers=1, flex=3)
    html = page.content.decode()
    assert html.count('class="fare-calendar__fare"') == 7
    assert 'aria-current="date"' in html


def test_a_member_sees_their_preferred_cabin_chosen_and_labelled(client, timetable):
    member = MemberFactory(preferred_cabin=Cabin.BUSINESS)
    client.force_login(member)
    page = search(client, origin="JFK", destination="LAX", date=next_weekday(1).isoformat(), passengers=1)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="business" selected>' in html
    chosen = re.findall(r'<tr class="fare-table__chosen"><th scope="row">([^<]+)', html)
    assert chosen and set(chosen) == {"Business "}
    assert "Your usual cabin" in html
    client.logout()
    assert "Your usual cabin" not in search(client, origin="JFK", destination="LAX", date=next_weekday(1).isoformat(), passengers=1).content.decode()


def test_the_results_page_does_not_query_per_flight(client, timetable, django_assert_max_num_queries):
    query = {"origin": "JFK", "destination": "LAX", "date": next_weekday(1).isoformat(), "cabin": "economy", "passengers": 1}
    search(client, **query)
    with django_assert_max_num_queries(8):  # airports, route, timetable lines, visitor count: not one per flight
        assert search(client, **query).status_code == 200


def test_a_tier_that_grants_a_fare_discount_sees_lower_fares(client, timetable):
    from members.models import Tier

    gold = Tier.objects.get(code="gold")
    gold.fare_discount_percent = 10
    gold.save()
    query = {"origin": "JFK", "destination": "LAX", "date": next_weekday(1).isoformat(), "cabin": "economy", "passengers": 1}
    visitor = re.findall(r"<td>\$([\d,]+)</td>", search(client, **query).content.decode())
    client.force_login(MemberFactory(tier=gold, preferred_cabin=Cabin.ECONOMY))
    member = re.findall(r"<td>\$([\d,]+)</td>", search(client, **query).content.decode())
    to_int = lambda s: int(s.replace(",", ""))  # noqa: E731
    assert len(member) == len(visitor) > 0
    assert all(to_int(m) < to_int(v) for m, v in zip(member, visitor))
