"""The members app in the Wagtail admin: the Loyalty menu (tiers, audit trail), the privacy audit log."""

from wagtail import hooks

from members.admin_views import LoyaltyViewSetGroup
from members.privacy.admin_views import AuditEntryViewSet  # also registers the user-screen audit hooks


@hooks.register("register_admin_viewset")
def register_loyalty_viewsets():
    return LoyaltyViewSetGroup()


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("privacy_audit_log")
