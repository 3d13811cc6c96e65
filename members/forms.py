from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member, TravelInterest
from members.validators import normalise_iata, validate_iata_airport


class ProfileForm(forms.ModelForm):
    home_airport = forms.CharField(
        label=_("Home airport"), max_length=3, required=False,
        help_text=_("The three-letter IATA code of the airport you usually fly from, such as JFK."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "size": 4}),
    )
    travel_interests = forms.MultipleChoiceField(
        label=_("Travel interests"), required=False, choices=TravelInterest.choices, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Member
        fields = ["first_name", "last_name", "home_airport", "preferred_cabin", "travel_interests"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def clean_home_airport(self):
        code = normalise_iata(self.cleaned_data["home_airport"])
        if code:
            validate_iata_airport(code)
        return code
