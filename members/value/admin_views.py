"""Customer value in the Wagtail admin: the ranked list, filtered by segment, tier and home airport,
with a CSV/XLSX export of the filtered list for campaigns.

Loyalty managers and superusers only (the `view_customervalue` permission, granted to
the group by migration 0010). Downloads are audit-logged by
portal.middleware.StaffAuditMiddleware (every `?export=` of an admin list).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.loyalty.models import Tier
from members.value.models import CustomerValue, Segment


class ViewOnly(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


register_permission_policy(CustomerValue, ViewOnly(CustomerValue), exact_class=True)


class CustomerValueFilterSet(WagtailFilterSet):
    segment = django_filters.ChoiceFilter(label=_("Segment"), choices=Segment.choices)
    tier = django_filters.ModelChoiceFilter(label=_("Tier"), field_name="member__tier", queryset=Tier.objects.programme(),
                                            to_field_name="code")
    home_airport = django_filters.CharFilter(
        label=_("Home airport"), field_name="member__home_airport", lookup_expr="iexact",
        widget=forms.TextInput(attrs={"maxlength": 3, "autocomplete": "off"}),
        help_text=_("Three-letter IATA code, such as JFK."),
    )

    class Meta:
        model = CustomerValue
        fields = []


class CustomerValueViewSet(ModelViewSet):
    model = CustomerValue
    icon = "user"
    menu_label = _("Customer value")
    filterset_class = CustomerValueFilterSet
    list_display = [
        "rank", Column("member", label=_("Member"), accessor="member"),
        Column("email", label=_("E-mail"), accessor="member.email"),
        Column("tier", label=_("Tier"), accessor="member.tier"),
        Column("home_airport", label=_("Home airport"), accessor="member.home_airport"),
        "demand_value", "resource_need", Column("relative", label=_("Relative value"), accessor=lambda v: f"{v.relative_value:,.2f}"),
        Column("rfm", label=_("RFM"), accessor="rfm"), "segment", "lifetime_value",
    ]
    list_export = ["rank", "member.member_number", "member.email", "member.first_name", "member.last_name",
                   "member.tier.name", "member.home_airport", "demand_value", "resource_need", "relative_value",
                   "recency_score", "frequency_score", "monetary_score", "segment", "lifetime_value", "computed_on"]
    export_headings = {
        "member.member_number": _("Member number"), "member.email": _("E-mail"), "member.first_name": _("First name"),
        "member.last_name": _("Last name"), "member.tier.name": _("Tier"), "member.home_airport": _("Home airport"),
    }
    export_filename = "customer-value"
    list_per_page = 50
    ordering = ["rank"]
    form_fields = ["segment"]  # never shown: the policy allows viewing only
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return CustomerValue.objects.select_related("member", "member__tier")
