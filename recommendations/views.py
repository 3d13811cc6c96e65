from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect

from recommendations.tracking import BadLink, read_link, record_click


@login_required
def tracked_click(request, token):
    """Log a click on a slot's item, then go to it. A bad link is a 400, never a redirect elsewhere."""
    try:
        data = read_link(token, member=request.user)
    except BadLink as error:
        return HttpResponseBadRequest(f"This link is not valid: {error}.", content_type="text/plain; charset=utf-8")
    record_click(member=request.user, data=data)
    return redirect(data["u"])
