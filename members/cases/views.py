"""/me/cases/: the member's customer-service cases. Another member's case is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.cases import services
from members.cases.forms import OpenCaseForm, ReplyForm
from members.cases.models import ServiceCase
from portal.errors import DomainError


def _own_case(request, pk):
    return get_object_or_404(ServiceCase.objects.select_related("trip"), pk=pk, member=request.user)


@login_required
def case_list(request):
    cases = ServiceCase.objects.filter(member=request.user).order_by("-updated_at", "-pk")
    return render(request, "members/cases/list.html", {"cases": cases})


@login_required
def case_new(request):
    initial = {"offer_ref": request.GET.get("offer", "")[:80]}
    form = OpenCaseForm(request.POST if request.method == "POST" else None, member=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.open_case(member=request.user, category=data["category"], subject=data["subject"],
                                  message=data["message"], trip=data["trip"], offer_ref=data["offer_ref"])
        messages.success(request, _("Your question %(reference)s is sent. We answer most within a day.")
                         % {"reference": case.reference})
        return redirect("members:case_detail", pk=case.pk)
    return render(request, "members/cases/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def case_detail(request, pk):
    case = _own_case(request, pk)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.reply_as_member(case=case, member=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("Your reply is sent."))
        return redirect("members:case_detail", pk=case.pk)
    return render(request, "members/cases/detail.html",
                  {"case": case, "thread": case.messages.all(), "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def case_close(request, pk):
    case = _own_case(request, pk)
    try:
        services.close_case(case=case, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Case %(reference)s is closed. Write again any time to reopen it.")
                         % {"reference": case.reference})
    return redirect("members:case_detail", pk=case.pk)
