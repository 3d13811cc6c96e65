"""The audit log in the Wagtail admin: read-only, superusers only. Registered in members/wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.privacy import audit
from members.privacy.models import AuditEntry


class SuperusersMayRead(ModelPermissionPolicy):
    """Only active superusers, and only to view: nobody adds, changes or deletes audit entries."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        users = self.model._meta.get_field("actor").related_model._default_manager
        return users.filter(is_active=True, is_superuser=True) if "view" in actions else users.none()


register_permission_policy(AuditEntry, SuperusersMayRead(AuditEntry), exact_class=True)


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["at", "actor", "action", "subject", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["detail"]
    form_fields = ["action"]  # never shown: the policy allows viewing only
    copy_view_enabled = False
    inspect_view_enabled = True


@hooks.register("before_edit_user")
def staff_opened_a_member(request, user):
    """Wagtail's user screen shows and edits a member's account: log who looked, and who saved."""
    action = audit.Action.CHANGE_MEMBER if request.method == "POST" else audit.Action.VIEW_MEMBER
    audit.record(actor=request.user, action=action, subject=user, detail=request.path)


@hooks.register("before_delete_user")
def staff_deleting_a_member(request, user):
    if request.method == "POST":
        audit.record(actor=request.user, action=audit.Action.CHANGE_MEMBER, subject=user, detail="deleted in the admin")
