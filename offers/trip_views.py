"""Trip planning at /trips/: save from the search, list, edit notes, remove, export .ics."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import ActivityEvent, Trip
from members.services import record_activity
from offers import trips
from offers.models import ScheduledFlight
from offers.trip_forms import TripForm, TripNotesForm
from portal.errors import DomainError


def owned_trip(request, pk):
    """The member's own trip; anybody else's is a 404, never a 403."""
    return get_object_or_404(Trip.objects.prefetch_related("legs"), pk=pk, member=request.user)


@login_required
def trip_list(request):
    now = timezone.now()
    mine = request.user.trips.prefetch_related("legs").annotate(starts=Min("legs__departs_at"), ends=Max("legs__arrives_at"))
    return render(request, "offers/trip_list.html", {
        "upcoming": mine.filter(ends__gte=now).order_by("starts"),
        "past": mine.filter(ends__lt=now).order_by("-starts"),
    })


def return_flights_for(outbound, inbound_date):
    if not outbound or not inbound_date:
        return ScheduledFlight.objects.none()
    return ScheduledFlight.objects.operating_on(inbound_date).filter(
        route__origin=outbound.route.destination, route__destination=outbound.route.origin,
    ).select_related("route").order_by("departure_time")


@login_required
def trip_new(request):
    source = request.POST if request.method == "POST" else request.GET
    probe = TripForm(source)
    probe.is_valid()  # only to read outbound and the return date the member asked for
    outbound, inbound_date = probe.cleaned_data.get("outbound"), probe.cleaned_data.get("inbound_date")
    form = TripForm(source, return_flights=return_flights_for(outbound, inbound_date))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trip = trips.save_trip(member=request.user, name=data["name"], notes=data["notes"], cabin=data["cabin"],
                                   outbound=data["outbound"], outbound_date=data["outbound_date"],
                                   inbound=data["inbound"], inbound_date=data["inbound_date"] if data["inbound"] else None)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Trip “%(name)s” is saved.") % {"name": trip.name})
            return redirect("trips:detail", pk=trip.pk)
    preview = trips.leg_for(outbound, probe.cleaned_data["outbound_date"]) if outbound and probe.cleaned_data.get("outbound_date") else None
    if preview and request.method == "GET":  # the member opened one flight of the results
        record_activity(member=request.user, kind="route", ref=outbound.route.ref, event=ActivityEvent.Event.VIEW, defer=True)
    return render(request, "offers/trip_new.html", {"form": form, "outbound": outbound, "preview": preview},
                  status=400 if request.method == "POST" else 200)


@login_required
def trip_detail(request, pk):
    trip = owned_trip(request, pk)
    form = TripNotesForm(request.POST or None, instance=trip)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Trip details saved."))
        return redirect("trips:detail", pk=trip.pk)
    return render(request, "offers/trip_detail.html", {"trip": trip, "form": form})


@login_required
@require_POST
def trip_remove(request, pk):
    trip = owned_trip(request, pk)
    trips.remove_trip(member=request.user, trip=trip)
    messages.success(request, _("Trip “%(name)s” is removed.") % {"name": trip.name})
    return redirect("trips:list")


@login_required
def trip_ics(request, pk):
    trip = owned_trip(request, pk)
    response = HttpResponse(trips.trip_calendar(trip, site_url=settings.SITE_URL), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wayfare-trip-{trip.pk}.ics"'
    return response
