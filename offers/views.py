import datetime as dt

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from members.models import ActivityEvent, Cabin, TripLeg
from members.services import record_activity
from offers import airports, search
from offers.forms import FlightSearchForm
from offers.models import RouteSearchCount


def member_departure_hours(member):
    """Local departure hours of the flights the member saved before (their habit)."""
    return list(TripLeg.objects.filter(trip__member=member).values_list("departure_hour", flat=True))


@require_GET
def flight_search(request):
    member = request.user if request.user.is_authenticated else None
    form = FlightSearchForm(request.GET or None, preferred_cabin=member.preferred_cabin if member else None)
    context = {"form": form, "options": None, "preferred_cabin": member.preferred_cabin if member else None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        options = search.flights_on(origin=data["origin"], destination=data["destination"], travel_date=data["date"],
                                    discount_percent=member.tier.fare_discount_percent if member else 0)
        if member:
            record_activity(member=member, kind="route", ref=form.route.ref, event=ActivityEvent.Event.SEARCH, defer=True)
            options = search.order_for_member(options, departure_hours=member_departure_hours(member))
        else:
            RouteSearchCount.count(form.route, timezone.localdate())
        context.update(options=options, cabin=data["cabin"], passengers=data["passengers"], route=form.route,
                       calendar=fare_calendar(data, request.GET) if data["flex"] else None,
                       cabin_labels=dict(Cabin.choices))
    return render(request, "offers/flight_search.html", context)


def fare_calendar(data, request_query, spread=3):
    """The lowest fare in the chosen cabin for each day around the chosen date that is on sale."""
    today = timezone.localdate()
    last_on_sale = today + dt.timedelta(days=search.BOOKING_HORIZON_DAYS)
    first_day = max(data["date"] - dt.timedelta(days=spread), today)
    days = [d for d in (first_day + dt.timedelta(days=i) for i in range(2 * spread + 1)) if d <= last_on_sale]
    return [(day, search.lowest_fare(origin=data["origin"], destination=data["destination"], travel_date=day,
                                     cabin=data["cabin"]), "?" + query_with(request_query, date=day.isoformat())) for day in days]


def query_with(query, **changes):
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@require_GET
def airport_suggestions(request):
    """Type-ahead for the From/To fields: served airports matching `q`."""
    found = airports.matching(request.GET.get("q", "")[:64])
    return JsonResponse({"airports": [{"iata": a.iata, "city": a.local_city, "name": a.local_name,
                                       "label": f"{a.local_city} ({a.iata}) – {a.local_name}"} for a in found]})
