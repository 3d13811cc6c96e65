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
        fields = ["first_name", "last_name", "home_airport", "preferred_cabin", "travel_interests", "language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }
        help_texts = {"language": _("The language of the e-mails we send you. Empty: the language you last signed in with.")}

    def clean_home_airport(self):
        code = normalise_iata(self.cleaned_data["home_airport"])
        if code:
            validate_iata_airport(code)
        return code


def consent_fields():
    """One unticked checkbox per consent purpose, labelled with its text (members/privacy/consent.py)."""
    from members.privacy.consent import CONSENT_TEXTS

    return {
        f"consent_{purpose}": forms.BooleanField(label=text.label, help_text=text.text, required=False, initial=False)
        for purpose, text in CONSENT_TEXTS.items()
    }


class ConsentFormMixin:
    def add_consent_fields(self, initial=None):
        for name, field in consent_fields().items():
            self.fields[name] = field
            if initial is not None:
                self.fields[name].initial = initial.get(name.removeprefix("consent_"), False)

    @property
    def consent_field_names(self):
        return [name for name in self.fields if name.startswith("consent_")]

    def consent_choices(self):
        return {name.removeprefix("consent_"): bool(self.cleaned_data.get(name)) for name in self.consent_field_names}


def _allauth_signup_form():
    from allauth.account.forms import SignupForm as AllauthSignupForm

    return AllauthSignupForm


class SignupForm(ConsentFormMixin, _allauth_signup_form()):
    """allauth's sign-up (ACCOUNT_FORMS["signup"]) with the three consents, unticked, recorded at sign-up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()

    def save(self, request):
        from members.privacy.consent import record_consents
        from members.privacy.models import ConsentRecord

        member = super().save(request)
        if member is not None:
            record_consents(member=member, choices=self.consent_choices(), source=ConsentRecord.Source.SIGNUP)
        return member


class ConsentForm(ConsentFormMixin, forms.Form):
    """The member's choices on /me/privacy/, ticked as they stand now."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields(initial=current or {})


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account, my trips and my miles are deleted for good."), required=True,
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )
