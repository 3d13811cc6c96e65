"""Derived return flights, so a member can plan a round trip.

The 2013 data has only departures from New York. For every real line X→Y we derive
the return Y→X, marked `is_derived=True` (route and line) and shown as "derived
schedule" in the search:

- flight number: American's habit of pairing odd and even numbers (AA1 out, AA2 back);
- departure: the outbound's scheduled arrival plus `TURNAROUND_MINUTES`, rounded up
  to five minutes, local at Y;
- block time: the outbound's (no wind model); arrival local at X from the zones;
- days of operation and season: the outbound's, moved by the days the turnaround
  crosses midnight;
- operations: the outbound's; on-time share: unknown (None), as nothing was flown.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from offers.models import Route, ScheduledFlight

TURNAROUND_MINUTES = 75


def return_number(number):
    return number + 1 if number % 2 else number - 1


def shift_days(days_of_week, by):
    return "".join(sorted(str((int(d) - 1 + by) % 7 + 1) for d in days_of_week))


def derived_return(line, origin_zone, destination_zone, route_id):
    """The return of `line` (an outbound ScheduledFlight), unsaved."""
    day = line.first_operated
    landed = dt.datetime.combine(day + dt.timedelta(days=line.arrival_day_offset), line.arrival_time, tzinfo=destination_zone)
    departs = landed + dt.timedelta(minutes=TURNAROUND_MINUTES)
    departs += dt.timedelta(minutes=-departs.minute % 5)
    arrives = (departs + dt.timedelta(minutes=line.block_minutes)).astimezone(origin_zone)
    day_shift = (departs.date() - day).days
    return ScheduledFlight(
        carrier=line.carrier, flight_number=return_number(line.flight_number), route_id=route_id,
        days_of_week=shift_days(line.days_of_week, day_shift),
        departure_time=departs.time().replace(tzinfo=None), arrival_time=arrives.time().replace(tzinfo=None),
        arrival_day_offset=(arrives.date() - departs.date()).days, block_minutes=line.block_minutes,
        operations=line.operations, on_time_share=None, is_derived=True,
        first_operated=min(line.first_operated + dt.timedelta(days=day_shift), dt.date(2013, 12, 31)),
        last_operated=min(line.last_operated + dt.timedelta(days=day_shift), dt.date(2013, 12, 31)),
    )


def load_return_legs():
    """Create or refresh the derived return routes and lines; returns how many lines."""
    real = list(ScheduledFlight.objects.filter(is_derived=False).select_related("route__origin", "route__destination"))
    Route.objects.bulk_create(
        [Route(origin=r.destination, destination=r.origin, distance_miles=r.distance_miles, is_derived=True)
         for r in {line.route for line in real}],
        ignore_conflicts=True,
    )
    route_ids = {(o, d): pk for pk, o, d in Route.objects.values_list("pk", "origin_id", "destination_id")}
    rows = {}
    for line in sorted(real, key=lambda line: line.operations):
        back = derived_return(line, ZoneInfo(line.route.origin.time_zone), ZoneInfo(line.route.destination.time_zone),
                              route_ids[line.route.destination_id, line.route.origin_id])
        # Two seasons of a flight can turn into the same return; the busier season's wins.
        rows[back.flight_number, back.route_id, back.departure_time, back.arrival_time] = back
    rows = list(rows.values())
    ScheduledFlight.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True,
        unique_fields=["carrier", "flight_number", "route", "departure_time", "arrival_time"],
        update_fields=["days_of_week", "arrival_day_offset", "block_minutes", "operations", "first_operated", "last_operated"],
    )
    keep = {(r.flight_number, r.route_id, r.departure_time, r.arrival_time) for r in rows}
    stale = [pk for pk, *key in ScheduledFlight.objects.filter(is_derived=True).values_list(
        "pk", "flight_number", "route_id", "departure_time", "arrival_time") if tuple(key) not in keep]
    ScheduledFlight.objects.filter(pk__in=stale).delete()
    return len(rows)
