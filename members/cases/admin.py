"""Customer service and the member timeline in the Wagtail admin.

Imported by members/wagtail_hooks.py (Wagtail loads only `<app>/wagtail_hooks.py`).

- "Customer service" menu: every case (filter by status and topic), its inspect screen
  shows the thread and an answer form (answer, and optionally close); staff may change the
  status. Rights: Django's `members.view_servicecase` / `change_servicecase` (superusers
  have all); nobody adds or deletes cases here (members open them; erasure removes them).
- The member timeline at /admin/members/<id>/timeline/, linked from Wagtail's member
  listing ("Timeline" button) and from each case. Staff who may view or change members only.

Both are staff reads of member data: each opening writes an audit entry (members.privacy.audit).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.cases import services
from members.cases.forms import StaffAnswerForm
from members.cases.models import ServiceCase
from members.models import Member
from members.privacy import audit
from members.timeline import member_timeline, sources

MEMBER_POLICY = ModelPermissionPolicy(Member)


class ViewAndChangeOnly(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a in ("view", "change")])


register_permission_policy(ServiceCase, ViewAndChangeOnly(ServiceCase), exact_class=True)


class CaseInspectView(generic.InspectView):
    """The case, its thread and the answer form. Opening it is logged in the audit log."""

    template_name = "members/admin/case_inspect.html"

    def get(self, request, *args, **kwargs):
        audit.record(actor=request.user, action=audit.Action.VIEW_MEMBER, subject=self.object.member,
                     detail=f"service case {self.object.reference}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(case=self.object, thread=self.object.messages.select_related("staff"),
                       form=StaffAnswerForm(),
                       may_answer=ServiceCaseViewSet.policy.user_has_permission(self.request.user, "change"),
                       answer_url=reverse("service_case_answer", args=[self.object.pk]),
                       timeline_url=reverse("member_timeline", args=[self.object.member_id]))
        return context


class ServiceCaseViewSet(ModelViewSet):
    model = ServiceCase
    icon = "help"
    menu_label = gettext_lazy("Customer service")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["subject", "member", "category", "status", "created_at", "time_to_first_response_text"]
    list_filter = ["status", "category"]
    search_fields = ["subject"]
    form_fields = ["status"]
    inspect_view_enabled = True
    inspect_view_class = CaseInspectView
    inspect_view_fields = ["member", "category", "status", "created_at", "first_response_at", "closed_at", "offer_ref"]
    copy_view_enabled = False
    policy = ViewAndChangeOnly(ServiceCase)


@require_POST
def answer_case(request, pk):
    case = get_object_or_404(ServiceCase, pk=pk)
    if not ServiceCaseViewSet.policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    form = StaffAnswerForm(request.POST)
    inspect_url = reverse("service_cases:inspect", args=[case.pk])
    if not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
        return redirect(inspect_url)
    message = form.cleaned_data["message"].strip()
    if message:
        services.answer_as_staff(case=case, staff=request.user, message=message, close=form.cleaned_data["close"])
        messages.success(request, _("Your answer is sent; the member is told by e-mail."))
    else:
        services.close_case(case=case, by=request.user)
        messages.success(request, _("The case is closed."))
    return redirect(inspect_url)


def member_timeline_view(request, member_id):
    """Any member's timeline, for staff who may view members. Logged in the audit log."""
    if not MEMBER_POLICY.user_has_any_permission(request.user, ["view", "change"]):
        raise PermissionDenied
    member = get_object_or_404(Member, pk=member_id)
    kinds = [k for k in request.GET.getlist("kind") if k in sources()]
    timeline = member_timeline(member, kinds=kinds, before=request.GET.get("before"))
    audit.record(actor=request.user, action=audit.Action.VIEW_MEMBER, subject=member, detail="timeline")
    labels = {s.kind: s.label for s in sources().values()}
    return TemplateResponse(request, "members/admin/member_timeline.html", {
        "member": member, "timeline": timeline, "kinds": kinds, "filters": list(labels.items()),
        "entries": [(e, labels.get(e.kind, e.kind)) for e in timeline.entries],
        "kind_query": urlencode([("kind", k) for k in kinds]),
        "header_title": _("Timeline of %(member)s") % {"member": member},
    })


@hooks.register("register_admin_viewset")
def register_service_cases():
    return ServiceCaseViewSet("service_cases")


@hooks.register("register_admin_urls")
def register_member_timeline():
    return [path("members/<int:member_id>/timeline/", member_timeline_view, name="member_timeline"),
            path("service-cases/<int:pk>/answer/", answer_case, name="service_case_answer")]


@hooks.register("register_user_listing_buttons")
def timeline_button(user, request_user):
    if MEMBER_POLICY.user_has_any_permission(request_user, ["view", "change"]):
        yield ListingButton(_("Timeline"), reverse("member_timeline", args=[user.pk]), priority=15,
                            attrs={"aria-label": _("Timeline of %(member)s") % {"member": user}})
