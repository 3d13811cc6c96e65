"""Special offers at /offers/: the ones a member may see, each one, and claiming it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import ActivityEvent
from members.services import record_activity
from offers.models import with_translations
from offers.segments.visit import visit_for
from offers.selectors import eligible_offers, public_offers
from offers.services import claim_offer
from portal.errors import DomainError


def visible_offers(request):
    """The offers for this request's reader, with their text in the reader's language; segments read the visit
    (device, campaign, referrer)."""
    if request.user.is_authenticated:
        return with_translations(eligible_offers(member=request.user, visit=visit_for(request)))
    return with_translations(public_offers(visit=visit_for(request)))


def offer_list(request):
    return render(request, "offers/offer_list.html", {"offers": visible_offers(request)})


def visible_offer(request, slug):
    """The offer if this visitor or member may see it now; otherwise 404, whatever the reason."""
    offer = next((o for o in visible_offers(request) if o.slug == slug), None)
    if offer is None:
        raise Http404
    return offer


def offer_detail(request, slug):
    offer = visible_offer(request, slug)
    if request.user.is_authenticated:
        record_activity(member=request.user, kind="offer", ref=offer.slug, event=ActivityEvent.Event.VIEW, defer=True)
    return render(request, "offers/offer_detail.html", {"offer": offer})


@login_required
@require_POST
def offer_claim(request, slug):
    offer = visible_offer(request, slug)
    try:
        claim_offer(member=request.user, offer=offer, visit=visit_for(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Claimed: %(title)s. You will find it in your account.") % {"title": offer.text().title})
    return redirect("offer:detail", slug=offer.slug)
