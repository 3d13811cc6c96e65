"""Wagtail admin for loyalty managers: the tier programme (with what-if before saving)
and its audit trail. Registered in members/wagtail_hooks.py.

Rights come from Django permissions the `Loyalty managers` group holds (migration
0006): view and change tiers, view the audit trail. Nobody adds or deletes tiers in
the admin (members point at them); superusers may do everything else.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.loyalty.tiers import update_tier, what_if
from members.models import Tier, TierChange, TierHistory
from members.value.admin_views import CustomerValueViewSet

PREVIEW_BUTTON = "preview-impact"


class OnlyPolicy(ModelPermissionPolicy):
    """Django model permissions, limited to the actions listed."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a in self.actions])


register_permission_policy(Tier, OnlyPolicy(Tier, ("view", "change")), exact_class=True)
register_permission_policy(TierChange, OnlyPolicy(TierChange, ("view",)), exact_class=True)
register_permission_policy(TierHistory, OnlyPolicy(TierHistory, ("view",)), exact_class=True)


class TierEditView(generic.EditView):
    """The tier form; "Preview impact" shows what the change would do, without saving."""

    def form_valid(self, form):
        if PREVIEW_BUTTON not in self.request.POST:
            return super().form_valid(form)
        self.form = form
        changes = {form.instance.code: {
            "qualifying_points": form.cleaned_data["qualifying_points"],
            "lifetime_flown_miles": form.cleaned_data["lifetime_flown_miles"],
        }}
        return self.render_to_response(self.get_context_data(form=form, impact=what_if(changes=changes),
                                                             previewed_tier=form.instance.code))

    def save_instance(self):
        return update_tier(tier=self.form.instance, by=self.request.user)


class TierViewSet(ModelViewSet):
    model = Tier
    icon = "pick"
    menu_label = _("Tiers")
    form_fields = ["name", "name_zh_hant", "qualifying_points", "earning_bonus_percent", "fare_discount_percent", "upgrade_window_hours",
                   "lifetime_flown_miles", "benefits", "colour", "text_colour"]
    list_display = ["name", "code", "qualifying_points", "earning_bonus_percent", "lifetime_flown_miles"]
    edit_view_class = TierEditView
    edit_template_name = "members/admin/tier_edit.html"
    copy_view_enabled = False


class TierChangeViewSet(ModelViewSet):
    model = TierChange
    icon = "history"
    menu_label = _("Tier audit trail")
    list_display = ["changed_at", "tier", "field", "old_value", "new_value", "changed_by"]
    list_filter = ["tier", "field"]
    form_fields = ["field"]  # never shown: nobody may add or change audit rows
    copy_view_enabled = False


class TierHistoryViewSet(ModelViewSet):
    """Members' tier changes, written by the recalculation: read-only."""

    model = TierHistory
    icon = "history"
    menu_label = _("Tier history")
    list_display = ["at", "member", "old_tier", "new_tier", "reason", "qualifying_points"]
    list_filter = ["new_tier", "reason"]
    form_fields = ["reason"]  # never shown: viewing only
    copy_view_enabled = False


class LoyaltyViewSetGroup(ModelViewSetGroup):
    menu_label = _("Loyalty")
    menu_icon = "pick"
    menu_order = 250
    items = (TierViewSet("tiers"), TierChangeViewSet("tier_changes"), TierHistoryViewSet("tier_history"),
             CustomerValueViewSet("customer_value"))
