"""The signed-in member: their profile and status, and what the recommender picks for them."""

import logging
from typing import Literal

from django.db import transaction
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from api.auth import member_auth
from api.errors import error_responses
from api.schemas import MeOut, RecommendationsOut
from members.loyalty.tiers import tier_status
from recommendations import serve
from recommendations.serving import label
from recommendations.tasks import record_impressions

log = logging.getLogger(__name__)
router = Router(tags=["member"], auth=member_auth)


def tier_out(tier):
    if tier is None:
        return None
    return {"code": tier.code, "name": tier.display_name, "colour": tier.colour, "text_colour": tier.text_colour,
            "qualifying_points": tier.qualifying_points, "benefits": tier.benefit_list}


@router.get("/me", response={200: MeOut, **error_responses(401, 403, 429)}, summary="Your profile, tier and miles")
def me(request):
    member = request.auth.member
    status = tier_status(member)
    return {
        "member_number": member.member_number, "email": member.email, "first_name": member.first_name,
        "last_name": member.last_name, "home_airport": member.home_airport, "preferred_cabin": member.preferred_cabin,
        "travel_interests": list(member.travel_interests or []),
        "tier": tier_out(status.tier), "next_tier": tier_out(status.next_tier),
        "qualifying_points": status.qualifying_points, "points_to_next_tier": status.points_to_next,
        "progress_percent": status.progress_percent, "qualification_year_ends": status.year_end,
        "status_valid_until": status.status_valid_until, "miles_balance": member.miles_balance(),
    }


class RecommendationQuery(Schema):
    n: int = Field(5, ge=1, le=20, description="How many items.")


@router.get("/recommendations/{kind}", response={200: RecommendationsOut, **error_responses(401, 403, 422, 429)},
            summary="Routes or offers picked for you, each with why")
def recommendations(request, kind: Path[Literal["route", "offer"]], query: Query[RecommendationQuery]):
    member = request.auth.member
    picked = serve(member, kind, query.n)
    _record_impressions(member, kind, picked)
    return {
        "kind": kind,
        "is_fallback": all(r.is_fallback for r in picked),
        "items": [{"kind": r.kind, "ref": r.ref, "label": label(r.kind, r.ref), "explanation": r.explanation,
                   "score": round(float(r.score), 6), "source": r.source, "is_fallback": r.is_fallback} for r in picked],
    }


def _record_impressions(member, kind, picked):
    """What the API showed counts as an impression of the `api-<kind>` slot, like a page's slot (once a day)."""
    if not picked:
        return
    items = [(r.kind, r.ref, not r.is_fallback) for r in picked]
    day = timezone.localdate().isoformat()

    def enqueue():
        try:
            record_impressions.delay(member.pk, f"api-{kind}", items, day)
        except Exception:  # noqa: BLE001 - measuring never breaks serving
            log.warning("api: could not enqueue impressions", exc_info=True)

    transaction.on_commit(enqueue)
