"""Schedule and fare search: the same form, rules and messages as /flights/ on the site."""

from django.http import QueryDict
from ninja import Query, Router

from api.auth import member_auth
from api.errors import InvalidRequest, error_responses
from api.schemas import FlightSearchOut, FlightSearchQuery
from members.models import ActivityEvent, TripLeg
from members.services import record_activity
from offers import search
from offers.forms import FlightSearchForm

router = Router(tags=["flights"], auth=member_auth)


def airport_out(airport):
    return {"iata": airport.iata, "city": airport.city, "name": airport.name, "time_zone": airport.time_zone}


def money(amount):
    return f"{amount:.2f}"


@router.get("/flights/search", response={200: FlightSearchOut, **error_responses(401, 403, 422, 429)},
            summary="Flights and fares on one day")
def flight_search(request, query: Query[FlightSearchQuery]):
    """Flights that fit your usual time of day come first, with the reason. 422 names each field that is wrong."""
    member = request.auth.member
    data = QueryDict(mutable=True)
    data.update({k: "" if v is None else str(v) for k, v in query.dict().items()})
    form = FlightSearchForm(data, preferred_cabin=member.preferred_cabin)
    if not form.is_valid():
        raise InvalidRequest.from_form(form, "The search is not valid; see errors.")
    found = form.cleaned_data
    options = search.flights_on(origin=found["origin"], destination=found["destination"], travel_date=found["date"])
    record_activity(member=member, kind="route", ref=form.route.ref, event=ActivityEvent.Event.SEARCH, defer=True)
    habits = list(TripLeg.objects.filter(trip__member=member).values_list("departure_hour", flat=True))
    options = search.order_for_member(options, departure_hours=habits)
    passengers = found["passengers"]
    return {
        "route": form.route.ref, "origin": airport_out(found["origin"]), "destination": airport_out(found["destination"]),
        "date": found["date"], "cabin": found["cabin"], "passengers": passengers,
        "flights": [{
            "flight_id": o.flight.pk, "flight": o.flight.designator, "departs_at": o.departs, "arrives_at": o.arrives,
            "duration_minutes": o.duration_minutes,
            "on_time_share": float(o.flight.on_time_share) if o.flight.on_time_share is not None else None,
            "fares": {str(cabin): {"base": money(f.base), "taxes": money(f.taxes), "total": money(f.total),
                              "total_for_passengers": money(f.total * passengers), "currency": search.fares.CURRENCY}
                      for cabin, f in o.fares.items()},
            "fits_your_habit": bool(o.fit), "reasons": [str(r) for r in o.reasons],
        } for o in options],
    }
