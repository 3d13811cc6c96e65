"""Saving a trip: the flights a member picked in the search become their trip's legs."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ActivityEvent, Trip, TripLeg
from members.services import record_activity
from offers.search import BOOKING_HORIZON_DAYS
from portal.errors import DomainError


def leg_for(flight, travel_date):
    """A TripLeg (unsaved) for `flight` on `travel_date`, in each airport's own zone."""
    origin, destination = flight.route.origin, flight.route.destination
    departs = dt.datetime.combine(travel_date, flight.departure_time, tzinfo=ZoneInfo(origin.time_zone))
    arrives = dt.datetime.combine(travel_date + dt.timedelta(days=flight.arrival_day_offset), flight.arrival_time,
                                  tzinfo=ZoneInfo(destination.time_zone))
    return TripLeg(
        flight_designator=flight.designator, route_ref=flight.route.ref,
        origin=origin.iata, origin_name=str(origin), origin_time_zone=origin.time_zone,
        destination=destination.iata, destination_name=str(destination), destination_time_zone=destination.time_zone,
        departs_at=departs, arrives_at=arrives, departure_hour=flight.departure_time.hour,
    )


def check_bookable(flight, travel_date):
    today = timezone.localdate()
    if not flight.operates_on(travel_date):
        raise DomainError(_("%(flight)s does not fly on %(date)s.") % {"flight": flight.designator, "date": travel_date},
                          field="date")
    if not today <= travel_date <= today + dt.timedelta(days=BOOKING_HORIZON_DAYS):
        raise DomainError(_("%(date)s is not a date on sale.") % {"date": travel_date}, field="date")


def save_trip(*, member, name, outbound, outbound_date, cabin, notes="", inbound=None, inbound_date=None):
    """Save a one-way trip, or an outbound + return pair, and record it as activity."""
    check_bookable(outbound, outbound_date)
    legs = [leg_for(outbound, outbound_date)]
    if inbound is not None:
        check_bookable(inbound, inbound_date)
        if (inbound.route.origin_id, inbound.route.destination_id) != (outbound.route.destination_id, outbound.route.origin_id):
            raise DomainError(_("The return flight must fly back from %(dest)s to %(origin)s.")
                              % {"dest": outbound.route.destination_id, "origin": outbound.route.origin_id}, field="inbound")
        legs.append(leg_for(inbound, inbound_date))
        if legs[1].departs_at < legs[0].arrives_at + dt.timedelta(hours=1):
            raise DomainError(_("The return flight leaves before you have landed."), field="inbound")
    with transaction.atomic():
        trip = Trip.objects.create(member=member, name=name.strip() or legs[0].route_ref, notes=notes)
        for sequence, leg in enumerate(legs):
            leg.trip, leg.sequence, leg.cabin = trip, sequence, cabin
        TripLeg.objects.bulk_create(legs)
        for leg in legs:
            record_activity(member=member, kind="route", ref=leg.route_ref, event=ActivityEvent.Event.SAVE)
    return trip


def remove_trip(*, member, trip):
    with transaction.atomic():
        refs = list(trip.legs.values_list("route_ref", flat=True))
        trip.delete()
        for ref in refs:
            record_activity(member=member, kind="route", ref=ref, event=ActivityEvent.Event.UNSAVE)



def trip_calendar(trip, *, site_url):
    """The trip as an iCalendar file: one event per flight, at its true UTC instants."""
    from icalendar import Calendar, Event  # only the export needs it

    calendar = Calendar()
    calendar.add("prodid", "-//Wayfare//Trips//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", trip.name)
    for leg in trip.legs.all():
        event = Event()
        event.add("uid", f"trip-{trip.pk}-leg-{leg.sequence}@wayfare")
        event.add("summary", f"{leg.flight_designator} {leg.origin} → {leg.destination}")
        event.add("dtstart", leg.departs_at.astimezone(dt.timezone.utc))
        event.add("dtend", leg.arrives_at.astimezone(dt.timezone.utc))
        event.add("dtstamp", timezone.now())
        event.add("location", leg.origin_name)
        event.add("description", _("Departs %(dep)s local time, arrives %(arr)s local time.") % {
            "dep": f"{leg.local_departure:%Y-%m-%d %H:%M} {leg.origin}", "arr": f"{leg.local_arrival:%Y-%m-%d %H:%M} {leg.destination}"})
        event.add("url", f"{site_url}/trips/{trip.pk}/")
        calendar.add_component(event)
    return calendar.to_ical()
