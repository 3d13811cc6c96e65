from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import CorporateLead, Segment


class CorporateLeadViewSet(ModelViewSet):
    """Group enquiries from the corporate page, newest first, exportable for the sales desk."""

    model = CorporateLead
    menu_label = _("Group enquiries")
    icon = "group"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["company", "contact_name", "group_size", "routes", "travel_from", "created_at", "sales_notified_at"]
    list_filter = ["travel_from", "created_at"]
    list_export = ["company", "contact_name", "email", "phone", "group_size", "routes", "travel_from", "travel_to",
                   "message", "created_at", "sales_notified_at"]
    search_fields = ["company", "contact_name", "email", "routes"]
    form_fields = ["company", "contact_name", "email", "phone", "group_size", "routes", "travel_from", "travel_to", "message"]


@hooks.register("register_admin_viewset")
def register_corporate_leads():
    return CorporateLeadViewSet("corporate_leads")


@hooks.register("on_serve_page")
def tier_gate(serve):
    """Tier areas and every page under them open from their minimum tier up (cms/serving.py)."""
    from cms.serving import serve_with_tier_gate

    return serve_with_tier_gate(serve)


class SegmentViewSet(SnippetViewSet):
    """Audiences editors build from rules; each with its size now."""

    model = Segment
    menu_label = _("Segments")
    icon = "group"
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["name", "rule_summary", "match", "size"]
    search_fields = ["name", "description"]


register_snippet(SegmentViewSet)
