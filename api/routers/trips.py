"""The member's trips: list, save (from a flight search result), read, rename/annotate, remove.

Another member's trip is a 404, exactly like one that does not exist.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from api.auth import member_auth
from api.errors import InvalidRequest, error_responses
from api.pagination import PageQuery, paginate
from api.schemas import BIGINT_MAX, TripIn, TripOut, TripPage, TripPatch
from members.models import Trip, TripLeg
from offers import trips as trip_services
from offers.models import ScheduledFlight
from offers.trip_forms import TripNotesForm

router = Router(tags=["trips"], auth=member_auth)
TripId = Path(..., ge=1, le=BIGINT_MAX)


def trips_of(member):
    return Trip.objects.filter(member=member).prefetch_related(Prefetch("legs", TripLeg.objects.order_by("sequence")))


def owned_trip(request, trip_id):
    return get_object_or_404(trips_of(request.auth.member), pk=trip_id)


def trip_out(trip):
    return {
        "id": trip.pk, "name": trip.name, "notes": trip.notes, "created_at": trip.created_at,
        "legs": [{
            "sequence": leg.sequence, "flight": leg.flight_designator, "route": leg.route_ref,
            "origin": leg.origin, "origin_name": leg.origin_name, "destination": leg.destination,
            "destination_name": leg.destination_name, "departs_at": leg.local_departure, "arrives_at": leg.local_arrival,
            "cabin": leg.cabin,
        } for leg in trip.legs.all()],
    }


def _flight(flight_id, field):
    flight = ScheduledFlight.objects.select_related("route__origin", "route__destination").filter(pk=flight_id).first()
    if flight is None:
        raise InvalidRequest("There is no such flight.", [(field, "Use a flight_id from GET /flights/search.")])
    return flight


@router.get("/trips", response={200: TripPage, **error_responses(401, 403, 422, 429)}, summary="Your trips, newest first")
def trip_list(request, page: Query[PageQuery]):
    result = paginate(trips_of(request.auth.member).order_by("-created_at", "-pk"), page)
    result["items"] = [trip_out(t) for t in result["items"]]
    return result


@router.post("/trips", response={201: TripOut, **error_responses(400, 401, 403, 422, 429)},
             summary="Save a trip: one flight, or an outbound and a return")
def trip_create(request, payload: TripIn):
    """400 when the flight does not fly that day, the date is not on sale, or the return does not fit the outbound."""
    if (payload.inbound_flight_id is None) != (payload.inbound_date is None):
        field = "inbound_date" if payload.inbound_date is None else "inbound_flight_id"
        raise InvalidRequest("A return needs both inbound_flight_id and inbound_date.", [(field, "This field is required for a return.")])
    outbound = _flight(payload.outbound_flight_id, "outbound_flight_id")
    inbound = _flight(payload.inbound_flight_id, "inbound_flight_id") if payload.inbound_flight_id else None
    trip = trip_services.save_trip(
        member=request.auth.member, name=payload.name, notes=payload.notes, cabin=payload.cabin,
        outbound=outbound, outbound_date=payload.outbound_date, inbound=inbound, inbound_date=payload.inbound_date,
    )
    return Status(201, trip_out(trips_of(request.auth.member).get(pk=trip.pk)))


@router.get("/trips/{trip_id}", response={200: TripOut, **error_responses(401, 403, 404, 422, 429)}, summary="One of your trips")
def trip_detail(request, trip_id: int = TripId):
    return trip_out(owned_trip(request, trip_id))


@router.patch("/trips/{trip_id}", response={200: TripOut, **error_responses(400, 401, 403, 404, 422, 429)},
              summary="Rename a trip or change its notes")
def trip_update(request, payload: TripPatch, trip_id: int = TripId):
    trip = owned_trip(request, trip_id)
    changes = payload.dict(exclude_unset=True)
    form = TripNotesForm({"name": trip.name, "notes": trip.notes, **{k: v or "" for k, v in changes.items()}}, instance=trip)
    if not form.is_valid():
        raise InvalidRequest.from_form(form)
    form.save()
    return trip_out(owned_trip(request, trip_id))


@router.delete("/trips/{trip_id}", response={204: None, **error_responses(401, 403, 404, 422, 429)}, summary="Remove a trip")
def trip_delete(request, trip_id: int = TripId):
    trip_services.remove_trip(member=request.auth.member, trip=owned_trip(request, trip_id))
    return Status(204, None)
