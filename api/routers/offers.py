"""Special offers the member may claim, and claiming one."""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from api.auth import member_auth
from api.errors import error_responses
from api.pagination import PageQuery, paginate
from api.schemas import ClaimOut, OfferPage
from offers.models import Offer, with_translations
from offers.selectors import eligible_offers
from offers.services import claim_offer

router = Router(tags=["offers"], auth=member_auth)
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,80}$"


def offer_out(offer):
    """The offer with its title and summary in the caller's language (Accept-Language; a session: the profile's)."""
    text = offer.text()
    return {
        "slug": offer.slug, "title": text.title, "summary": text.summary, "category": offer.category,
        "destinations": offer.destination_codes, "miles_bonus": offer.miles_bonus, "claim_limit": offer.claim_limit,
        "claimed": offer.claimed, "can_claim": offer.claimed < offer.claim_limit, "expire_at": offer.expire_at,
    }


@router.get("/offers", response={200: OfferPage, **error_responses(401, 403, 422, 429)},
            summary="Live offers open to you, best first")
def offers(request, page: Query[PageQuery]):
    result = paginate(eligible_offers(member=request.auth.member), page)
    result["items"] = [offer_out(o) for o in with_translations(result["items"])]
    return result


@router.post("/offers/{slug}/claim", response={201: ClaimOut, **error_responses(401, 403, 404, 409, 422, 429)},
             summary="Claim an offer")
def claim(request, slug: str = Path(..., pattern=SLUG_PATTERN)):
    """404 when there is no such offer or it is not open to you; 409 when it is sold out, over, or already claimed."""
    offer = get_object_or_404(Offer, slug=slug)
    made = claim_offer(member=request.auth.member, offer=offer)
    return Status(201, {"offer": offer.slug, "number": made.number, "claimed_at": made.claimed_at, "miles_bonus": offer.miles_bonus})
