import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Cabin
from offers import airports
from offers.search import BOOKING_HORIZON_DAYS


def airport_list(queryset):
    return ", ".join(str(a) for a in queryset)


class FlightSearchForm(forms.Form):
    origin = forms.CharField(label=_("From"), max_length=64, help_text=_("City, airport or three-letter code"))
    destination = forms.CharField(label=_("To"), max_length=64, help_text=_("City, airport or three-letter code"))
    date = forms.DateField(label=_("Departure date"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-12-24.")})
    cabin = forms.ChoiceField(label=_("Cabin"), choices=Cabin.choices, initial=Cabin.ECONOMY, required=False,
                              help_text=_("Fares for every cabin are shown; this one is highlighted."))
    passengers = forms.IntegerField(label=_("Passengers"), min_value=1, max_value=9, initial=1,
                                    error_messages={"min_value": _("Book for 1 to 9 passengers."),
                                                    "max_value": _("Book for 1 to 9 passengers; for 10 or more, ask our group desk.")})
    flex = forms.TypedChoiceField(label=_("Flexible dates"), required=False, coerce=int, empty_value=0,
                                  choices=[(0, _("Exact date")), (3, _("± 3 days"))])

    def __init__(self, data=None, *, preferred_cabin=None, **kwargs):
        preferred_cabin = preferred_cabin or Cabin.ECONOMY
        if data is not None and not data.get("cabin"):
            data = data.copy()
            data["cabin"] = preferred_cabin  # a member's search starts in their usual cabin
        super().__init__(data, **kwargs)
        self.fields["cabin"].initial = preferred_cabin
        self.route = None

    def _airport(self, name):
        text = self.cleaned_data[name]
        try:
            return airports.resolve(text)
        except airports.AmbiguousAirport as many:
            raise forms.ValidationError(_("Several airports match “%(text)s”: %(choices)s. Choose one."),
                                        params={"text": text, "choices": airport_list(many.choices)})
        except airports.UnknownAirport as unknown:
            if unknown.known_elsewhere:
                raise forms.ValidationError(_("We don't fly to or from %(city)s (%(code)s)."),
                                            params={"city": unknown.known_elsewhere["city"], "code": unknown.known_elsewhere["iata"]})
            raise forms.ValidationError(_("We don't know an airport called “%(text)s”. Type a city or a three-letter code."),
                                        params={"text": text})

    def clean_origin(self):
        origin = self._airport("origin")
        if not airports.origins().filter(pk=origin.pk).exists():
            raise forms.ValidationError(_("We don't fly from %(airport)s. Our flights leave from %(origins)s."),
                                        params={"airport": origin, "origins": airport_list(airports.origins())})
        return origin

    def clean_destination(self):
        return self._airport("destination")

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if date < today:
            raise forms.ValidationError(_("That date has passed. Choose today or a later date."))
        if date > today + dt.timedelta(days=BOOKING_HORIZON_DAYS):
            raise forms.ValidationError(_("Flights are on sale up to %(days)s days ahead, until %(last)s."),
                                        params={"days": BOOKING_HORIZON_DAYS, "last": today + dt.timedelta(days=BOOKING_HORIZON_DAYS)})
        return date

    def clean(self):
        data = super().clean()
        origin, destination = data.get("origin"), data.get("destination")
        if origin and destination:
            if origin == destination:
                self.add_error("destination", _("Choose a destination other than where you leave from."))
            elif not (route := airports.route_between(origin, destination)):
                self.add_error("destination", forms.ValidationError(
                    _("We don't fly from %(origin)s to %(destination)s. From %(origin)s we fly to %(served)s."),
                    params={"origin": origin, "destination": destination,
                            "served": airport_list(airports.destinations_from(origin))}))
            else:
                self.route = route
        return data
