from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Cabin, Trip
from offers.models import ScheduledFlight


class TripForm(forms.Form):
    """What the member confirms when saving a trip picked from the search results."""

    outbound = forms.ModelChoiceField(queryset=ScheduledFlight.objects.select_related("route__origin", "route__destination"),
                                      widget=forms.HiddenInput)
    outbound_date = forms.DateField(widget=forms.HiddenInput)
    cabin = forms.ChoiceField(choices=Cabin.choices, widget=forms.HiddenInput)
    inbound_date = forms.DateField(label=_("Return date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Leave empty for a one-way trip."))
    inbound = forms.ModelChoiceField(label=_("Return flight"), required=False, queryset=ScheduledFlight.objects.none(),
                                     widget=forms.RadioSelect, empty_label=None)
    name = forms.CharField(label=_("Trip name"), max_length=80, required=False, help_text=_("For example “Thanksgiving in LA”."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, return_flights=None, **kwargs):
        super().__init__(*args, **kwargs)
        if return_flights is not None:
            self.fields["inbound"].queryset = return_flights
            self.fields["inbound"].label_from_instance = lambda f: f"{f.designator} · {f.departure_time:%H:%M} → {f.arrival_time:%H:%M}"

    def clean(self):
        data = super().clean()
        if data.get("inbound") and not data.get("inbound_date"):
            self.add_error("inbound_date", _("Choose the date of the return flight."))
        return data


class TripNotesForm(forms.ModelForm):
    class Meta:
        model = Trip
        fields = ["name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
