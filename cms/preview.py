"""Preview as a member: what a member (or a stand-in with a tier and home airport, in some segments) sees, as of a date.

An admin view for editors (`/admin/preview-as-member/`). It renders the offer list, the
dashboard or any page the way that reader would get it on that day, through the same
selectors, slots and tier gate as the live site, with a `Visit` marked as a preview:
nothing is written (no impressions, no activity, nothing in the member's session).
Pages are listed once (their English page) and shown in the chosen language: the page's
live translation, else the English page, as the member would get it.
"""

import copy
import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from members.loyalty.tiers import tier_held_at
from members.models import Member, Tier
from members.validators import normalise_iata, validate_iata_airport
from offers.models import Segment
from offers.segments.visit import REQUEST_ATTRIBUTE, Visit
from offers.selectors import eligible_offers, public_offers

SHOW_CHOICES = [("offers", gettext_lazy("The offer list")), ("dashboard", gettext_lazy("The dashboard (a named member)")),
                ("page", gettext_lazy("A page"))]


class PreviewForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Member's e-mail"), required=False,
                             help_text=gettext_lazy("A named member, such as gold@example.com. Or leave empty and give a tier."))
    tier = forms.ModelChoiceField(Tier.objects.order_by("rank"), label=gettext_lazy("or a tier"), required=False,
                                  to_field_name="code", empty_label=gettext_lazy("— a visitor (not signed in) —"))
    home_airport = forms.CharField(label=gettext_lazy("and a home airport"), max_length=3, required=False)
    segments = forms.ModelMultipleChoiceField(Segment.objects.all(), label=gettext_lazy("In these segments"), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=gettext_lazy("Treated as matched, whatever their rules say."))
    device = forms.ChoiceField(label=gettext_lazy("Device"), choices=[("desktop", gettext_lazy("Desktop")),
                                                                    ("tablet", gettext_lazy("Tablet")), ("phone", gettext_lazy("Phone"))])
    on = forms.DateField(label=gettext_lazy("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         help_text=gettext_lazy("Empty: today. Next week's offers, or the day after the qualification year resets."))
    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=SHOW_CHOICES, initial="offers")
    page = forms.ModelChoiceField(Page.objects.filter(depth__gt=1, locale__language_code=settings.LANGUAGE_CODE).order_by("path"),
                                  label=gettext_lazy("Page"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False,
                                 choices=[("", gettext_lazy("The member's own (else English)"))] + list(settings.LANGUAGES),
                                 help_text=gettext_lazy("A page without a published translation in this language shows in English."))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            member = Member.objects.filter(email__iexact=email).first()
            if member is None:
                raise forms.ValidationError(_("No member has this e-mail address."))
            self.cleaned_data["member"] = member
        return email

    def clean_home_airport(self):
        code = self.cleaned_data["home_airport"].strip()
        if code:
            validate_iata_airport(code)
            return normalise_iata(code)
        return code

    def clean(self):
        data = super().clean()
        if data.get("show") == "dashboard" and not data.get("member"):
            self.add_error("email", _("The dashboard is a named member's: give their e-mail."))
        if data.get("show") == "page" and not data.get("page"):
            self.add_error("page", _("Choose the page to preview."))
        return data

    def reader(self):
        """The member to preview as: a named one, an unsaved stand-in with a tier, or None (a visitor)."""
        data = self.cleaned_data
        if data.get("member"):
            member = data["member"]
            if self.at() is not None:  # on a past date, the tier they held then (the preview saves nothing)
                member.tier = tier_held_at(member, self.at())
            return member
        if data.get("tier"):
            return Member(email="preview@wayfare.invalid", first_name=_("Preview"), tier=data["tier"],
                          home_airport=data.get("home_airport", ""), travel_interests=[])
        return None

    def preview_language(self):
        """The language to preview in: the one chosen, else the named member's own, else English."""
        member = self.cleaned_data.get("member")
        return self.cleaned_data.get("language") or (member.language if member is not None else "") or settings.LANGUAGE_CODE

    def at(self):
        """Noon on the "as of" day, or None for now."""
        on = self.cleaned_data.get("on")
        return timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0))) if on else None

    def visit(self):
        data = self.cleaned_data
        return Visit(member=self.reader(), device=data["device"], at=self.at(), preview=True,
                     assumed_segments=frozenset(s.pk for s in data.get("segments") or []))


def preview_request(request, visit):
    """A copy of the editor's request that reads as the previewed member's, carrying the preview visit."""
    from django.contrib.auth.models import AnonymousUser

    from cms.access import REQUEST_CACHE

    copied = copy.copy(request)
    copied.user = visit.member if visit.member is not None else AnonymousUser()
    copied.GET = request.GET.copy()
    copied.GET.clear()
    copied.method = "GET"
    if hasattr(copied, REQUEST_CACHE):
        delattr(copied, REQUEST_CACHE)
    setattr(copied, REQUEST_ATTRIBUTE, visit)
    return copied


def render_page(request, page, visit):
    """The page as the reader would get it (the tier gate included), with a banner saying it is a preview."""
    from cms.serving import serve_with_tier_gate

    as_member = preview_request(request, visit)
    as_member.LANGUAGE_CODE = translation.get_language()
    try:
        response = serve_with_tier_gate(lambda p, r, a, k: p.serve(r))(page.specific, as_member, [], {})
    except Http404:
        return None, 404
    if hasattr(response, "render"):
        response.render()
    return response, response.status_code


def banner(form, status):
    data = form.cleaned_data
    who = data.get("email") or (data["tier"].name if data.get("tier") else _("a visitor"))
    day = data.get("on") or timezone.localdate()
    return format_html('<div role="status" style="background:#1d3557;color:#fff;padding:.6rem 1rem;font:600 15px/1.4 system-ui">'
                       "{} {} · {} {} · {} {} · {}</div>", _("Preview as"), who, _("as of"), day.isoformat(),
                       _("status"), status, _("Nothing is recorded."))


def preview_as_member(request):
    from cms.models import HomePage

    if not (request.user.has_perm("offers.change_offer") or request.user.has_perm("wagtailadmin.access_admin")):
        raise PermissionDenied
    form = PreviewForm(request.GET or None)
    context = {"form": form, "header_title": _("Preview as a member")}
    if not form.is_bound or not form.is_valid():
        return TemplateResponse(request, "cms/admin/preview_as_member.html", context, status=400 if form.errors else 200)
    visit = form.visit()
    show = form.cleaned_data["show"]
    if show == "offers":
        member = visit.member
        offers = eligible_offers(member=member, at=visit.at, visit=visit) if member is not None else public_offers(at=visit.at, visit=visit)
        context.update(offers=offers, shown=True)
        return TemplateResponse(request, "cms/admin/preview_as_member.html", context)
    from cms.localization import default_locale, for_reader

    with translation.override(form.preview_language()):
        page = form.cleaned_data["page"] if show == "page" else HomePage.objects.filter(locale=default_locale()).first()
        page = for_reader(page)  # the member's language, else English
        response, status = render_page(request, page, visit)
    if response is None or status in (301, 302):
        context.update(page_status=status, page=page, shown=True,
                       redirect_to=response.get("Location") if response is not None else "")
        return TemplateResponse(request, "cms/admin/preview_as_member.html", context)
    html = response.content.decode()
    at = html.find(">", html.find("<body")) + 1
    response.content = (html[:at] + str(banner(form, status)) + html[at:]).encode()
    response["Cache-Control"] = "no-store, private"
    response.status_code = 200
    return response
