from django import forms
from django.utils.translation import gettext_lazy as _

from members.cases.models import ServiceCase
from members.models import Trip


class OpenCaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Topic"), choices=[("", _("Choose a topic"))] + ServiceCase.Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=120,
                              help_text=_("A few words, such as “Miles missing from my March flight”."))
    message = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Up to 4,000 characters. Please do not send card numbers or passwords."))
    trip = forms.ModelChoiceField(label=_("Related trip (optional)"), queryset=Trip.objects.none(), required=False,
                                  empty_label=_("No trip"))
    offer_ref = forms.SlugField(label=_("Related offer (optional)"), max_length=80, required=False,
                                widget=forms.HiddenInput)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trip"].queryset = Trip.objects.filter(member=member)  # only the member's own trips
        self.fields["trip"].error_messages["invalid_choice"] = _("Choose one of your own trips.")

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if not subject:
            raise forms.ValidationError(_("Write a subject."))
        return subject

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Tell us a little more: at least 10 characters."))
        return message


class ReplyForm(forms.Form):
    message = forms.CharField(label=_("Your reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Write your reply."))
        return message


class StaffAnswerForm(forms.Form):
    message = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                              required=False)
    close = forms.BooleanField(label=_("Close the case with this answer"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("message") or "").strip() and not data.get("close"):
            self.add_error("message", _("Write an answer, or tick “close” to close the case without one."))
        return data
