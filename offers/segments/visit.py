"""A visit: who is looking (a member or a visitor) and the request facts visit rules read.

`visit_for(request)` builds one per request (kept on the request, so each segment is
evaluated once per request). The preview-as-a-member view builds one by hand: a member,
or an unsaved stand-in with a tier and home airport, a date, and segments to assume.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils import timezone

REQUEST_ATTRIBUTE = "_wayfare_visit"
MEMBER_ATTRIBUTE = "_wayfare_visit"  # the request's member object carries its visit too (request.user is per request)
SESSION_CAMPAIGN = "wayfare_utm_campaign"
SESSION_VISITS = "wayfare_visit_days"

TABLET = re.compile(r"iPad|Tablet|PlayBook|Silk|Kindle|Android(?!.*Mobile)", re.IGNORECASE)
PHONE = re.compile(r"Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|BlackBerry", re.IGNORECASE)


def device_of(user_agent):
    """phone, tablet or desktop, from the User-Agent (tablets first: an iPad is not a phone)."""
    if TABLET.search(user_agent or ""):
        return "tablet"
    if PHONE.search(user_agent or ""):
        return "phone"
    return "desktop"


@dataclass
class Visit:
    member: object = None  # a Member (saved, or an unsaved preview stand-in), or None for a visitor
    device: str = "desktop"
    campaign: str = ""
    referrer_host: str = ""
    visits: int = 1  # a visitor's visits (days seen this session); a member's are counted from their activity
    at: object = None  # the moment to evaluate at (None: now)
    assumed_segments: frozenset = frozenset()  # preview: segments to treat as matched
    preview: bool = False
    results: dict = field(default_factory=dict)  # segment pk → bool, once per visit
    memo: dict = field(default_factory=dict)  # reads made once per visit (the offers to serve)

    @property
    def signed_in(self):
        return self.member is not None

    @property
    def saved_member(self):
        return self.member if self.member is not None and self.member.pk else None

    def moment(self):
        return self.at or timezone.now()


def visit_for(request):
    """The request's visit (made once, or the one a preview put there)."""
    visit = getattr(request, REQUEST_ATTRIBUTE, None)
    if visit is None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None) or {}
        meta = request.META
        visit = Visit(
            member=user if getattr(user, "is_authenticated", False) else None,
            device=device_of(meta.get("HTTP_USER_AGENT", "")),
            campaign=(request.GET.get("utm_campaign") or session.get(SESSION_CAMPAIGN, "")).strip().lower()[:80],
            referrer_host=(urlsplit(meta.get("HTTP_REFERER", "")).hostname or "").lower(),
            visits=max(1, len(session.get(SESSION_VISITS, []))),
        )
        setattr(request, REQUEST_ATTRIBUTE, visit)
    return visit


def remember_visit(request):
    """Keep a visitor's campaign and visit days in their session (called when a page is served, never in a preview)."""
    session = getattr(request, "session", None)
    visit = getattr(request, REQUEST_ATTRIBUTE, None)
    if session is None or (visit is not None and visit.preview):
        return
    campaign = request.GET.get("utm_campaign", "").strip().lower()[:80]
    if campaign and session.get(SESSION_CAMPAIGN) != campaign:
        session[SESSION_CAMPAIGN] = campaign
    day = timezone.localdate().isoformat()
    days = session.get(SESSION_VISITS, [])
    if day not in days:
        session[SESSION_VISITS] = (days + [day])[-60:]


def attach_visit(member, visit):
    """Hand the visit to code that only gets the member (the dashboard's slots, the recommender's eligibility)."""
    if member is not None and visit is not None:
        setattr(member, MEMBER_ATTRIBUTE, visit)


def visit_of(member):
    return getattr(member, MEMBER_ATTRIBUTE, None)
