import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from members.forms import ConsentForm, DeleteAccountForm, ProfileForm
from members.loyalty.ledger import miles_balance
from members.loyalty.tiers import tier_status
from members.privacy import audit
from members.privacy.consent import CONSENT_TEXTS, choices_of, current_consents, record_consents
from members.privacy.erasure import erase_member
from members.privacy.export import export_member_data
from members.privacy.models import ConsentRecord
from members.timeline import member_timeline, sources
from members.unsubscribe import member_of_token, unsubscribe
from portal.errors import DomainError


@login_required
def account(request):
    member = request.user
    notices = list(member.notifications.filter(read_at__isnull=True)[:5])
    return render(request, "members/account.html",
                  {"member": member, "status": tier_status(member), "miles": miles_balance(member), "notices": notices})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def privacy(request):
    """/me/privacy/: the member's consents (change them), their data (download it), their account (delete it)."""
    form = ConsentForm(request.POST if request.method == "POST" else None, current=choices_of(request.user))
    if request.method == "POST" and form.is_valid():
        changed = record_consents(member=request.user, choices=form.consent_choices(), source=ConsentRecord.Source.PRIVACY_PAGE)
        messages.success(request, _("Your choices are saved.") if changed else _("Nothing changed."))
        return redirect("members:privacy")
    records = current_consents(request.user)
    decided = [(CONSENT_TEXTS[p], r) for p, r in records.items()]
    return render(request, "members/privacy.html", {"form": form, "decided": decided},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def privacy_export(request):
    """Everything held about the member, as a JSON file (docs/privacy.md lists every field)."""
    member = request.user
    data = export_member_data(member)
    audit.record(actor=member, action=audit.Action.EXPORT, subject=member, detail=_("by the member"))
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wayfare-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
def delete_account(request):
    """Delete the account, after the member confirmed their password (allauth's reauthentication)."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            erase_member(member=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted. Goodbye, and thank you for flying with us."))
            return redirect("/")
    return render(request, "members/privacy_delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def activity(request):
    """/me/activity/: the member's own timeline, newest first, 25 a page (?before=cursor), filtered by kind (?kind=…)."""
    kinds = [k for k in request.GET.getlist("kind") if k in sources()]
    timeline = member_timeline(request.user, kinds=kinds, before=request.GET.get("before"))
    filters = [(s.kind, s.label) for s in sources().values()]
    return render(request, "members/activity.html", {"timeline": timeline, "filters": filters, "kinds": kinds,
                                                     "kind_query": urlencode([("kind", k) for k in kinds])})


@csrf_exempt  # the signed token is the proof; mail clients POST "List-Unsubscribe=One-Click" without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe_marketing(request, token):
    """The e-mail's unsubscribe link, no log-in: GET asks to confirm, POST (or a mail client's one-click) unsubscribes."""
    member = member_of_token(token)
    if member is None:
        return HttpResponseBadRequest(render(request, "members/unsubscribe.html", {"invalid": True}).content)
    done = request.method == "POST"
    changed = unsubscribe(member) if done else False
    response = render(request, "members/unsubscribe.html", {"done": done, "changed": changed, "token": token,
                                                             "email": member.email})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
