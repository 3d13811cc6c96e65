"""Offers and their claims in the Wagtail admin: one 'Offers' menu for editors and sales."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from offers.admin_views import campaign_report
from offers.models import Campaign, Offer, OfferClaim


class OfferViewSet(SnippetViewSet):
    """Editors draft and submit; moderators approve and publish (the workflow migration 0006 assigns)."""

    model = Offer
    icon = "tag"
    menu_label = _("Offers")
    list_display = ["title", "category", "priority", "claims_count", "total_cap", "go_live_at", "expire_at"]
    list_filter = ["category", "live"]
    search_fields = ["title", "summary"]


class OfferClaimViewSet(ModelViewSet):
    model = OfferClaim
    icon = "list-ul"
    menu_label = _("Claims")
    list_display = ["offer", "member", "number", "claimed_at"]
    list_filter = ["offer", "claimed_at"]
    list_export = ["offer", "member", "number", "claimed_at"]
    export_filename = "offer-claims"
    form_fields = ["offer", "member", "number", "claimed_at"]
    inspect_view_enabled = True


class ReportColumn(Column):
    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', reverse("campaign_report", args=[instance.pk]), _("Report"))


class CampaignViewSet(ModelViewSet):
    """Campaigns with a hold-out group, and their lift report."""

    model = Campaign
    icon = "table"
    menu_label = _("Campaigns")
    list_display = ["name", "slot", "starts_on", "ends_on", "holdout_percent", ReportColumn("report", label=_("Report"))]
    form_fields = ["name", "slug", "slot", "starts_on", "ends_on", "holdout_percent"]


class OffersGroup(ViewSetGroup):
    menu_label = _("Offers")
    menu_icon = "tag"
    menu_order = 200
    items = (OfferViewSet, OfferClaimViewSet("offer_claims"), CampaignViewSet("campaigns"))


@hooks.register("register_admin_urls")
def register_campaign_report():
    return [path("campaigns/<int:pk>/report/", campaign_report, name="campaign_report")]


register_snippet(OffersGroup)
