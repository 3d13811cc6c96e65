"""Offers and their claims in the Wagtail admin: one 'Offers' menu for editors and sales."""

from django.forms import modelform_factory
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from offers.admin_views import CampaignForm, campaign_report, segment_members
from offers.models import Campaign, Offer, OfferClaim, Segment


class OfferViewSet(SnippetViewSet):
    """Editors draft and submit; moderators approve and publish (the workflow migration 0006 assigns)."""

    model = Offer
    icon = "tag"
    menu_label = _("Offers")
    list_display = ["title", "category", "priority", "claims_count", "total_cap", "budget", "go_live_at", "expire_at"]
    list_filter = ["category", "live", "segments"]
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
    """Campaigns (hold-out, A/B test, bandit) and their reports."""

    model = Campaign
    icon = "table"
    menu_label = _("Campaigns")
    list_display = ["name", "kind", "slot", "starts_on", "ends_on", "holdout_percent", ReportColumn("report", label=_("Report"))]
    list_filter = ["kind"]
    form_fields = ["name", "slug", "kind", "slot", "starts_on", "ends_on", "holdout_percent", "variant_a", "variant_b",
                   "baseline_ctr_percent", "minimum_detectable_effect_percent", "arms"]

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=CampaignForm, formfield_callback=self.formfield_for_dbfield,
                                 fields=self.form_fields)


class UsedByColumn(Column):
    """The offers and pages that target a segment, linked to their edit views."""

    def get_value(self, instance):
        offers, pages = instance.used_by()
        links = [format_html('<a href="{}">{}</a>', reverse("wagtailsnippets_offers_offer:edit", args=[o.pk]), o.title)
                 for o in offers]
        links += [format_html('<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[p.pk]), p.title)
                  for p in pages if hasattr(p, "get_url_parts")]
        return format_html_join(", ", "{}", ((link,) for link in links)) if links else _("nothing yet")


class MembersColumn(Column):
    def get_value(self, instance):
        label = _("Member list") if instance.is_static else _("Freeze")
        return format_html('<a href="{}">{}</a>', reverse("segment_members", args=[instance.pk]), label)


class SegmentViewSet(SnippetViewSet):
    """Audiences editors build from rules; each with its size now and what targets it."""

    model = Segment
    menu_label = _("Segments")
    icon = "group"
    list_display = ["name", "kind", "rule_summary", "size_label", UsedByColumn("used_by", label=_("Used by")),
                    MembersColumn("members", label=_("Members"))]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class OffersGroup(ViewSetGroup):
    menu_label = _("Offers")
    menu_icon = "tag"
    menu_order = 200
    items = (OfferViewSet, SegmentViewSet, OfferClaimViewSet("offer_claims"), CampaignViewSet("campaigns"))


@hooks.register("register_admin_urls")
def register_campaign_report():
    return [path("campaigns/<int:pk>/report/", campaign_report, name="campaign_report"),
            path("segments/<int:pk>/members/", segment_members, name="segment_members")]


register_snippet(OffersGroup)
