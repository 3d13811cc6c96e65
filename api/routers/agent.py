"""A service agent (call centre) looks a member up by the number the member reads out."""

import datetime as dt
import logging

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Router, Schema

from api.auth import agent_auth
from api.errors import error_responses
from api.routers.members import tier_out
from api.schemas import TierOut
from members.loyalty.tiers import tier_status
from members.models import Member

log = logging.getLogger(__name__)
router = Router(tags=["channels"], auth=agent_auth)
RECENT_ACTIVITY = 10


class ActivityOut(Schema):
    kind: str
    ref: str
    event: str
    channel: str
    occurred_at: dt.datetime


class AgentMemberOut(Schema):
    member_number: str
    name: str
    email: str
    is_active: bool
    member_since: dt.datetime
    home_airport: str
    preferred_cabin: str
    tier: TierOut
    qualifying_points: int
    points_to_next_tier: int | None
    miles_balance: int
    upcoming_trips: int
    offer_claims: int
    recent_activity: list[ActivityOut]


@router.get("/agent/members/{member_number}", response={200: AgentMemberOut, **error_responses(401, 403, 404, 422, 429)},
            summary="Look a member up by member number (scope agent:lookup)")
def member_lookup(request, member_number: str = Path(..., pattern=r"^[A-Za-z0-9]{1,16}$")):
    member = get_object_or_404(Member.objects.select_related("tier"), member_number=member_number.upper())
    log.info("api: agent token %s looked up member %s", request.auth.token.prefix, member.member_number)
    status = tier_status(member)
    return {
        "member_number": member.member_number, "name": member.get_full_name(), "email": member.email,
        "is_active": member.is_active, "member_since": member.date_joined, "home_airport": member.home_airport,
        "preferred_cabin": member.preferred_cabin, "tier": tier_out(status.tier),
        "qualifying_points": status.qualifying_points, "points_to_next_tier": status.points_to_next,
        "miles_balance": member.miles_balance(),
        "upcoming_trips": member.trips.filter(legs__departs_at__gte=timezone.now()).distinct().count(),
        "offer_claims": member.offer_claims.count(),
        "recent_activity": list(member.activity.order_by("-occurred_at")
                                .values("kind", "ref", "event", "channel", "occurred_at")[:RECENT_ACTIVITY]),
    }
