import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import CorporateLead


class EnquiryForm(forms.ModelForm):
    group_size = forms.IntegerField(label=_("Group size"), min_value=10, max_value=500,
                                    help_text=_("Groups are 10 travellers or more."),
                                    error_messages={"min_value": _("Groups are 10 travellers or more; book smaller parties online.")})

    class Meta:
        model = CorporateLead
        fields = ["company", "contact_name", "email", "phone", "group_size", "routes", "travel_from", "travel_to", "message"]
        widgets = {
            "travel_from": forms.DateInput(attrs={"type": "date"}),
            "travel_to": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def clean_travel_from(self):
        day = self.cleaned_data["travel_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("That date has passed."))
        if day > timezone.localdate() + dt.timedelta(days=365):
            raise forms.ValidationError(_("We take group enquiries up to a year ahead."))
        return day
