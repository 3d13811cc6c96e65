"""The airline's catalogue: airports, routes and the weekly timetable."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "1234567"  # ISO weekdays, Monday = 1
TIMETABLE_YEAR_START = dt.date(2013, 1, 1)  # the year the timetable was flown


class Airport(models.Model):
    """An airport from `airportsdata` (names, cities, time zones)."""

    iata = models.CharField(_("IATA code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    city = models.CharField(_("city"), max_length=64)
    country = models.CharField(_("country"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=64)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["iata"]

    def __str__(self):
        return f"{self.local_city} ({self.iata})"

    @property
    def local_city(self):
        """The city in the active language (offers/airport_names.py), else as airportsdata has it."""
        from offers.airport_names import city

        return city(self.iata, self.city)

    @property
    def local_name(self):
        from offers.airport_names import airport

        return airport(self.iata, self.name)


class Route(models.Model):
    """An origin → destination pair the airline flies; the recommender's `route` item (`JFK-LAX`)."""

    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="departures")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="arrivals")
    distance_miles = models.PositiveIntegerField(_("distance (miles)"))
    is_derived = models.BooleanField(
        _("derived"), default=False, help_text=_("True when the route is not in the source data but derived from it.")
    )

    class Meta:
        ordering = ["origin_id", "destination_id"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="route_unique_pair"),
            models.CheckConstraint(condition=~models.Q(origin=models.F("destination")), name="route_not_circular"),
        ]

    def __str__(self):
        return self.ref

    @property
    def ref(self):
        return f"{self.origin_id}-{self.destination_id}"


def timetable_day(travel_date):
    """The day of the 2013 timetable that a travel date falls on (same month and day)."""
    return TIMETABLE_YEAR_START.replace(month=travel_date.month, day=min(travel_date.day, 28 if travel_date.month == 2 else 31))


class ScheduledFlightQuerySet(models.QuerySet):
    def operating_on(self, travel_date):
        """Lines that fly on the date's weekday and are in effect in that season."""
        day = timetable_day(travel_date)
        return self.filter(days_of_week__contains=str(travel_date.isoweekday()),
                           first_operated__lte=day, last_operated__gte=day)


class ScheduledFlight(models.Model):
    """One line of the weekly timetable, derived from the flights actually flown in 2013.

    Times are local to each airport (the source records local clock times).
    `on_time_share` is the real share of operations that arrived at most 15 minutes
    late; `operations` is how many flights of 2013 the line summarises.
    """

    carrier = models.CharField(max_length=2, default="AA")
    flight_number = models.PositiveIntegerField(_("flight number"))
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="flights")
    days_of_week = models.CharField(_("days of operation"), max_length=7, help_text=_("ISO weekdays it operates, e.g. 12345"))
    departure_time = models.TimeField(_("scheduled departure (local)"))
    arrival_time = models.TimeField(_("scheduled arrival (local)"))
    arrival_day_offset = models.PositiveSmallIntegerField(default=0, help_text=_("1 when it arrives the next day"))
    block_minutes = models.PositiveIntegerField(_("block time (minutes)"))
    operations = models.PositiveIntegerField(_("flights operated in 2013"))
    on_time_share = models.DecimalField(_("on-time share"), max_digits=4, decimal_places=3, null=True)
    is_derived = models.BooleanField(_("derived"), default=False)
    first_operated = models.DateField(_("first flight in 2013"))
    last_operated = models.DateField(_("last flight in 2013"))

    objects = ScheduledFlightQuerySet.as_manager()

    class Meta:
        ordering = ["route", "departure_time"]
        constraints = [
            # A flight number retimed between seasons is one line per (departure, arrival) pair.
            models.UniqueConstraint(
                fields=["carrier", "flight_number", "route", "departure_time", "arrival_time"],
                name="scheduled_flight_unique_line",
            )
        ]

    def __str__(self):
        return f"{self.designator} {self.route.ref} {self.departure_time:%H:%M}"

    @property
    def designator(self):
        return f"{self.carrier}{self.flight_number}"

    def operates_on(self, travel_date):
        day = timetable_day(travel_date)
        return str(travel_date.isoweekday()) in self.days_of_week and self.first_operated <= day <= self.last_operated


class RouteSearchCount(models.Model):
    """How often visitors who are not signed in searched a route on a day.

    Anonymous searches are kept in aggregate only: no session, no IP, no member.
    """

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="search_counts")
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["route", "day"], name="route_search_count_unique_day")]

    @classmethod
    def count(cls, route, day):
        """Add one search, atomically (an upsert that increments)."""
        updated = cls.objects.filter(route=route, day=day).update(searches=models.F("searches") + 1)
        if not updated:
            _row, created = cls.objects.get_or_create(route=route, day=day, defaults={"searches": 1})
            if not created:
                cls.objects.filter(route=route, day=day).update(searches=models.F("searches") + 1)
