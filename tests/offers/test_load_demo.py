"""`manage.py load_demo`: the real timetable, the seeded members, the demo accounts."""

from datetime import time
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group

from members.models import ActivityEvent, Member
from offers.demo.members import EMAIL_DOMAIN
from offers.demo.timetable import source_flights
from offers.models import Airport, Route, ScheduledFlight

pytestmark = pytest.mark.django_db

GENERATED = {"email__endswith": "@" + EMAIL_DOMAIN}


def counts():
    return {
        "airports": Airport.objects.count(),
        "routes": Route.objects.count(),
        "timetable lines": ScheduledFlight.objects.count(),
        "members": Member.objects.count(),
        "e-mail addresses": EmailAddress.objects.count(),
        "activity events": ActivityEvent.objects.count(),
        "group memberships": Member.groups.through.objects.count(),
    }


def line(number, route, departure, arrival):
    origin, destination = route.split("-")
    return ScheduledFlight.objects.get(
        flight_number=number, route__origin=origin, route__destination=destination,
        departure_time=departure, arrival_time=arrival,
    )


def test_jfk_to_lax_is_flown_by_the_nine_flights_of_2013(timetable_2013):
    numbers = set(ScheduledFlight.objects.filter(route__origin="JFK", route__destination="LAX").values_list("flight_number", flat=True))
    assert numbers == {1, 3, 19, 21, 33, 117, 133, 181, 185}


def test_timetable_covers_the_25_routes_and_every_american_flight_from_new_york(timetable_2013):
    assert Route.objects.count() == 25
    assert not Route.objects.filter(is_derived=True).exists()
    assert sum(ScheduledFlight.objects.values_list("operations", flat=True)) == 32_729
    assert set(Route.objects.values_list("origin", flat=True)) == {"JFK", "LGA", "EWR"}


def test_a_daily_flight_operates_every_day_of_the_week(timetable_2013):
    aa1 = line(1, "JFK-LAX", time(9, 0), time(12, 25))
    assert aa1.days_of_week == "1234567"
    assert aa1.operations == 112


def test_block_time_counts_the_time_zones_and_a_late_flight_arrives_next_day(timetable_2013):
    # 09:00 New York → 12:25 Los Angeles (UTC-7 in summer, like New York's UTC-4 shift): 6 h 25 min.
    assert line(1, "JFK-LAX", time(9, 0), time(12, 25)).block_minutes == 385
    red_eye = line(185, "JFK-LAX", time(21, 35), time(0, 50))
    assert red_eye.arrival_day_offset == 1
    assert red_eye.block_minutes == 6 * 60 + 15


def test_on_time_share_is_the_hand_counted_share_of_2013_flights(timetable_2013):
    flights = source_flights()
    mine = flights[(flights.carrier == "AA") & (flights.flight == 1) & (flights.origin == "JFK") & (flights.dest == "LAX")
                   & (flights.sched_dep_time == 900) & (flights.sched_arr_time == 1220)]
    on_time = sum(1 for delay in mine.arr_delay if delay == delay and delay <= 15)  # NaN != NaN: cancelled is late
    share = line(1, "JFK-LAX", time(9, 0), time(12, 20)).on_time_share
    assert share == Decimal(on_time / len(mine)).quantize(Decimal("0.001"))
    assert all(Decimal(0) <= s <= Decimal(1) for s in ScheduledFlight.objects.values_list("on_time_share", flat=True))


def test_running_load_demo_twice_changes_no_count(load_demo):
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    assert first["members"] == 50 + 7
    assert first["group memberships"] == 3


def test_the_same_seed_gives_the_same_members_in_a_fresh_database(load_demo):
    def history():
        return sorted(ActivityEvent.objects.filter(member__email__endswith=EMAIL_DOMAIN).values_list(
            "member__email", "ref", "event", "occurred_at", "event_id"))

    load_demo(seed=7)
    numbers = list(Member.objects.filter(**GENERATED).order_by("email").values_list("email", "member_number", "home_airport"))
    events = history()
    Member.objects.all().delete()  # members, their events, addresses and groups: as before the first run
    load_demo(seed=7)
    assert list(Member.objects.filter(**GENERATED).order_by("email").values_list("email", "member_number", "home_airport")) == numbers
    assert history() == events
    Member.objects.filter(**GENERATED).delete()
    load_demo(seed=8)
    assert list(Member.objects.filter(**GENERATED).values_list("member_number", flat=True)) != [n for _, n, _ in numbers]


def test_a_larger_n_adds_exactly_the_members_a_fresh_run_would_have(load_demo):
    load_demo(members=20)
    load_demo(members=40)
    grown = list(Member.objects.filter(**GENERATED).order_by("email").values_list("email", "member_number"))
    Member.objects.filter(**GENERATED).delete()
    load_demo(members=40)
    assert list(Member.objects.filter(**GENERATED).order_by("email").values_list("email", "member_number")) == grown
    load_demo(members=10)  # N only grows
    assert Member.objects.filter(**GENERATED).count() == 40


def test_demo_accounts_sign_in_and_generated_members_cannot(load_demo):
    load_demo()
    for email in ["member@example.com", "gold@example.com", "platinum@example.com", "executive@example.com",
                  "editor@example.com", "manager@example.com", "service@example.com"]:
        assert authenticate(email=email, password=settings.DEMO_PASSWORD) is not None, email
        assert EmailAddress.objects.get(email=email).verified
    generated = Member.objects.filter(**GENERATED).first()
    assert not generated.has_usable_password()
    assert authenticate(email=generated.email, password=settings.DEMO_PASSWORD) is None
    assert not EmailAddress.objects.filter(email=generated.email).exists()


def test_staff_accounts_are_in_their_own_group_only(load_demo):
    load_demo()
    editor, manager = Member.objects.get(email="editor@example.com"), Member.objects.get(email="manager@example.com")
    assert editor.is_staff and manager.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert list(manager.groups.values_list("name", flat=True)) == ["Loyalty managers"]
    agent = Member.objects.get(email="service@example.com")
    assert list(agent.groups.values_list("name", flat=True)) == ["Customer service"] and not agent.is_staff
    assert not Group.objects.get(name="Moderators").user_set.exists()


def test_demo_members_have_a_history_and_it_only_uses_routes_from_their_home(load_demo):
    load_demo()
    routes = {r.ref for r in Route.objects.all()}
    events = ActivityEvent.objects.filter(channel="demo").values_list("member__home_airport", "ref", "event", "kind")
    assert events
    for home, ref, _, kind in events:
        assert kind == "route" and ref in routes and ref.startswith(home + "-"), (home, ref)
    kinds = [e for _, _, e, _ in events]
    assert kinds.count("search") > kinds.count("save") and kinds.count("view") > kinds.count("book") > 0
    assert ActivityEvent.objects.filter(member__email="member@example.com").exists()
    assert 15 * 56 <= len(events) <= 45 * 56
