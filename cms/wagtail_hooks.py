from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from cms.models import CorporateLead


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


@hooks.register("register_admin_urls")
def register_preview_as_member():
    from django.urls import path

    from cms.preview import preview_as_member

    return [path("preview-as-member/", preview_as_member, name="preview_as_member")]


@hooks.register("register_admin_menu_item")
def preview_as_member_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Preview as a member"), reverse("preview_as_member"), icon_name="view", order=310)
