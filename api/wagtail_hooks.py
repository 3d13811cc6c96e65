"""API tokens in the Wagtail admin (Settings → API tokens): a read-only list for superusers.

Tokens are made and revoked with `manage.py create_api_token` (the secret is shown once
there); the admin shows who holds which scopes, when each was last used, and whether it
was revoked. Nobody adds, edits or deletes tokens here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from api.models import ApiToken
from members.admin_views import OnlyPolicy

register_permission_policy(ApiToken, OnlyPolicy(ApiToken, ("view",)), exact_class=True)


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    list_display = ["name", "prefix", "member", "scopes", "rate_limit", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["name", "prefix"]
    form_fields = ["name"]  # never shown: the policy allows viewing only
    inspect_view_enabled = True
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet("api_tokens")
