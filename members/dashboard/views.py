"""The dashboard screen and the "recalculate now" action. Registered in members/wagtail_hooks.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from members.dashboard.panels import collect_panels

MANAGERS_GROUP = "Loyalty managers"


def is_loyalty_manager(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=MANAGERS_GROUP).exists()))


class ManagersOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_loyalty_manager(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DashboardView(ManagersOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "members/admin/dashboard.html"
    page_title = gettext_lazy("Loyalty dashboard")
    header_icon = "table"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
                         {"url": "", "label": gettext_lazy("Loyalty dashboard")}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, panels=collect_panels(self.request))


@require_POST
def recalculate(request):
    """Run the tier recalculation through Celery (at once where tasks run eagerly); tell the manager."""
    if not is_loyalty_manager(request.user):
        raise PermissionDenied
    from members.tasks import recalculate_member_tiers

    outcome = recalculate_member_tiers.delay()
    if outcome.ready():
        summary = outcome.get()
        messages.success(request, _("Tier recalculation done: %(n)s members changed tier (%(up)s up, %(down)s down).") % {
            "n": summary["changed"], "up": sum(summary["upgrades"].values()), "down": sum(summary["downgrades"].values())})
    else:
        messages.success(request, _("Tier recalculation started; the tier history shows the changes when it is done."))
    return redirect(reverse("loyalty_dashboard"))
