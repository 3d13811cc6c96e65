from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recommendations.tracking import BadLink, dismiss, read_link, record_click


@login_required
def tracked_click(request, token):
    """Log a click on a slot's item, then go to it. A bad link is a 400, never a redirect elsewhere."""
    try:
        data = read_link(token, member=request.user)
    except BadLink as error:
        return HttpResponseBadRequest(f"This link is not valid: {error}.", content_type="text/plain; charset=utf-8")
    record_click(member=request.user, data=data)
    return redirect(data["u"])


@login_required
@require_POST
def not_interested(request):
    """The member's "not interested" on a dashboard item: never shown to them again."""
    try:
        dismiss(member=request.user, token=request.POST.get("token", ""))
    except BadLink as error:
        return HttpResponseBadRequest(f"This request is not valid: {error}.", content_type="text/plain; charset=utf-8")
    messages.success(request, _("Understood: we will not show you that again."))
    return redirect("/")
