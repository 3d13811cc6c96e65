"""The members app in the Wagtail admin: the Loyalty menu (tiers, audit trail, tier history, customer
value), the loyalty managers' dashboard (its panels: members/dashboard/panels.py), the privacy audit log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members.admin_views import LoyaltyViewSetGroup
from members.dashboard import panels  # noqa: F401 - registers the members app's dashboard panels
from members.dashboard.views import DashboardView, is_loyalty_manager, recalculate
from members.privacy.admin_views import AuditEntryViewSet  # also registers the user-screen audit hooks


@hooks.register("register_admin_viewset")
def register_loyalty_viewsets():
    return LoyaltyViewSetGroup()


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("privacy_audit_log")


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("loyalty/dashboard/", DashboardView.as_view(), name="loyalty_dashboard"),
        path("loyalty/recalculate/", recalculate, name="loyalty_recalculate"),
    ]


class ManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_loyalty_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return ManagersMenuItem(_("Loyalty dashboard"), reverse("loyalty_dashboard"), icon_name="table", order=240)


from members.cases import admin as _cases_admin  # noqa: E402, F401 - customer service and the member timeline (members/cases/admin.py)
