"""Schedule and fare look-up over the weekly timetable, and its personal ordering."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers import fares
from offers.models import ScheduledFlight

BOOKING_HORIZON_DAYS = 330  # airlines sell about 11 months ahead

# Parts of the day a traveller recognises; a departure hour falls in exactly one.
DAY_PARTS = [
    ("early", range(0, 7), _("early mornings")),
    ("morning", range(7, 12), _("mornings")),
    ("afternoon", range(12, 17), _("afternoons")),
    ("evening", range(17, 24), _("evenings")),
]


def day_part(hour):
    return next(code for code, hours, _label in DAY_PARTS if hour in hours)


def day_part_label(code):
    return next(label for c, _hours, label in DAY_PARTS if c == code)


@dataclass
class FlightOption:
    flight: ScheduledFlight
    departs: dt.datetime  # aware, in the origin airport's zone
    arrives: dt.datetime  # aware, in the destination airport's zone
    fares: dict  # cabin → fares.Fare
    reasons: list = field(default_factory=list)
    fit: int = 0

    @property
    def duration_minutes(self):
        return int((self.arrives - self.departs).total_seconds() // 60)

    @property
    def day_part(self):
        return day_part(self.departs.hour)


def flights_on(*, origin, destination, travel_date, booked_on=None, discount_percent=0):
    """Every timetable line on the route that operates on `travel_date`'s weekday, by departure."""
    booked_on = booked_on or timezone.localdate()
    lines = (
        ScheduledFlight.objects.operating_on(travel_date)
        .filter(route__origin=origin, route__destination=destination)
        .select_related("route__origin", "route__destination")
        .order_by("departure_time", "flight_number")
    )
    # Where two seasons of a flight overlap by a few days, show the one flown more often.
    busiest = {}
    for line in lines:
        kept = busiest.get(line.flight_number)
        if kept is None or line.operations > kept.operations:
            busiest[line.flight_number] = line
    lines = sorted(busiest.values(), key=lambda line: (line.departure_time, line.flight_number))
    origin_zone, destination_zone = ZoneInfo(origin.time_zone), ZoneInfo(destination.time_zone)
    options = []
    for line in lines:
        departs = dt.datetime.combine(travel_date, line.departure_time, tzinfo=origin_zone)
        arrives = dt.datetime.combine(
            travel_date + dt.timedelta(days=line.arrival_day_offset), line.arrival_time, tzinfo=destination_zone
        )
        quoted = fares.quote_all_cabins(
            route_ref=line.route.ref, distance_miles=line.route.distance_miles, travel_date=travel_date,
            departure_hour=line.departure_time.hour, booked_on=booked_on, discount_percent=discount_percent,
        )
        options.append(FlightOption(flight=line, departs=departs, arrives=arrives, fares=quoted))
    return options


def lowest_fare_in_window(*, route, first_day, days, cabin, booked_on=None):
    """The lowest one-way fare (taxes included) on `route` for a departure in `days` days from `first_day`.

    One query for the route's lines; the days are checked in memory.
    """
    booked_on = booked_on or timezone.localdate()
    lines = list(ScheduledFlight.objects.filter(route=route))
    totals = []
    for day in (first_day + dt.timedelta(days=i) for i in range(days)):
        hours = {line.departure_time.hour for line in lines if line.operates_on(day)}
        if hours:  # the day's cheapest flight is an off-peak one when there is one (the only hour-dependent factor)
            hour = min(hours, key=lambda h: h in fares.PEAK_HOURS)
            totals.append(fares.quote(route_ref=route.ref, distance_miles=route.distance_miles, travel_date=day,
                                      departure_hour=hour, cabin=cabin, booked_on=booked_on).total)
    return min(totals, default=None)


FROM_FARE_SECONDS = 3600


def from_fare(*, route, first_day, days, cabin):
    """`lowest_fare_in_window`, shared by every member for an hour: it depends on no one's data.

    The cache is only a speed-up; when it fails, the fare is computed.
    """
    key = f"from-fare:{route.ref}:{cabin}:{first_day.isoformat()}:{days}:{timezone.localdate().isoformat()}"
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - cache down: compute
        cached = None
    if cached is not None:
        return cached or None
    fare = lowest_fare_in_window(route=route, first_day=first_day, days=days, cabin=cabin)
    try:
        cache.set(key, fare or 0, FROM_FARE_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return fare


def lowest_fare(*, origin, destination, travel_date, cabin, booked_on=None):
    options = flights_on(origin=origin, destination=destination, travel_date=travel_date, booked_on=booked_on)
    return min((o.fares[cabin].total for o in options), default=None)


def usual_day_part(departure_hours):
    """The part of the day a member flies in at least half of their history, if any."""
    if not departure_hours:
        return None
    part, count = Counter(day_part(h) for h in departure_hours).most_common(1)[0]
    return part if count * 2 >= len(departure_hours) else None


def order_for_member(options, *, departure_hours):
    """Flights that fit the member's usual time of day first, each with its reason.

    `departure_hours` are the local departure hours of the flights the member saved or
    booked before. Without a clear habit the order stays by departure time.
    """
    usual = usual_day_part(departure_hours)
    if usual is None:
        return options
    for option in options:
        if option.day_part == usual:
            option.fit = 1
            option.reasons.append(_("You usually fly %(part)s") % {"part": day_part_label(usual)})
    return sorted(options, key=lambda o: -o.fit)  # stable: departure order within each group
