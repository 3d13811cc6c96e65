"""Offers and their claims in the Wagtail admin: one 'Offers' menu for editors and sales."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from offers.models import Offer, OfferClaim


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


class OffersGroup(ViewSetGroup):
    menu_label = _("Offers")
    menu_icon = "tag"
    menu_order = 200
    items = (OfferViewSet, OfferClaimViewSet("offer_claims"))


register_snippet(OffersGroup)
