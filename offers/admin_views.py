"""The campaign report in the Wagtail admin: both groups side by side, with the lift and its interval."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from offers.campaigns import HOLDOUT, PERSONALIZED, report
from offers.models import Campaign


@permission_required("offers.view_campaign", raise_exception=True)
def campaign_report(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    figures = report(campaign)
    return TemplateResponse(request, "offers/admin/campaign_report.html", {
        "campaign": campaign, "personalized": figures["groups"][PERSONALIZED], "holdout": figures["groups"][HOLDOUT],
        "ctr_lift": figures["ctr_lift"], "claim_lift": figures["claim_lift"], "header_title": campaign.name,
    })
