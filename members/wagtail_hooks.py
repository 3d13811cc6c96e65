"""The members app in the Wagtail admin: the Loyalty menu (tiers, audit trail)."""

from wagtail import hooks

from members.admin_views import LoyaltyViewSetGroup


@hooks.register("register_admin_viewset")
def register_loyalty_viewsets():
    return LoyaltyViewSetGroup()
