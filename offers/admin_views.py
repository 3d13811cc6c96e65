"""Back-office screens: the campaign form and report (hold-out lift; A/B significance; bandit allocation); a segment's member list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from offers.campaigns import HOLDOUT, PERSONALIZED, report
from offers.experiments import ab_report, bandit_report
from offers.models import Campaign, Segment
from offers.services import freeze_segment, import_segment_members
from portal.errors import DomainError


class CampaignForm(WagtailAdminModelForm):
    """The campaign form: a bandit needs two or more offers (a many-to-many rule the model's clean() cannot see)."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Campaign.Kind.BANDIT and len(cleaned.get("arms") or []) < 2:
            self.add_error("arms", _("A bandit needs at least two offers to choose between."))
        return cleaned


@permission_required("offers.view_campaign", raise_exception=True)
def campaign_report(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    context = {"campaign": campaign, "header_title": campaign.name}
    if campaign.kind == Campaign.Kind.AB_TEST and campaign.variant_a_id and campaign.variant_b_id:
        context["ab"] = ab = ab_report(campaign)
        context["ab_rows"] = [(_("Click-through (per impression)"), ab["ctr"]), (_("Claim rate (per member)"), ab["claims"])]
    elif campaign.kind == Campaign.Kind.BANDIT:
        context["bandit"] = bandit_report(campaign)
    else:
        figures = report(campaign)
        context.update({"personalized": figures["groups"][PERSONALIZED], "holdout": figures["groups"][HOLDOUT],
                        "ctr_lift": figures["ctr_lift"], "claim_lift": figures["claim_lift"]})
    return TemplateResponse(request, "offers/admin/campaign_report.html", context)


class MemberNumbersForm(forms.Form):
    member_numbers = forms.CharField(label=_("Member numbers"), widget=forms.Textarea(attrs={"rows": 6}),
                                     help_text=_("One per line, or separated by spaces or commas. Replaces the list."))


class FreezeForm(forms.Form):
    name = forms.CharField(label=_("Name of the static segment"), max_length=80)


def segment_members(request, pk):
    """A static segment's member list (import by member numbers); for a dynamic one, freezing it into a static copy."""
    segment = get_object_or_404(Segment, pk=pk)
    if not request.user.has_perm("offers.change_segment"):
        raise PermissionDenied
    form_class = MemberNumbersForm if segment.is_static else FreezeForm
    form = form_class(request.POST or None, initial={} if segment.is_static else {
        "name": _("%(name)s (frozen %(day)s)") % {"name": segment.name, "day": timezone.localdate().isoformat()}})
    if request.method == "POST" and form.is_valid():
        try:
            if segment.is_static:
                count = import_segment_members(segment=segment, member_numbers=form.cleaned_data["member_numbers"])
                messages.success(request, _("%(count)s members stored in %(name)s.") % {"count": count, "name": segment.name})
                return redirect("segment_members", pk=segment.pk)
            frozen = freeze_segment(segment=segment, name=form.cleaned_data["name"])
            messages.success(request, _("Frozen: %(name)s holds %(count)s members.") % {
                "name": frozen.name, "count": frozen.static_members.count()})
            return redirect("segment_members", pk=frozen.pk)
        except DomainError as error:
            form.add_error("member_numbers" if segment.is_static else "name", error.message)
    members = segment.static_members.order_by("member_number")[:50] if segment.is_static else []
    return TemplateResponse(request, "offers/admin/segment_members.html", {
        "segment": segment, "form": form, "members": members, "size": segment.size_label(),
        "header_title": segment.name, "status": 400 if form.errors else 200,
    }, status=400 if form.errors else 200)
