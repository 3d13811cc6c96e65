"""Writes with side effects on offers: claiming one."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ActivityEvent
from members.services import record_activity
from offers.models import Offer, OfferClaim
from portal.errors import DomainError


def claim_offer(*, member, offer):
    """Claim `offer` for `member`: once per member unless its limit allows more, never past its cap.

    The offer row is locked for the whole claim, so concurrent claims queue: the
    member's limit and the total cap are both checked against committed counts.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().filter(pk=offer.pk).first()
        if locked is None or not Offer.objects.live_at(now).filter(pk=offer.pk).exists():
            raise DomainError(_("This offer is no longer available."), status_code=409)
        if not locked.targets(member):
            raise DomainError(_("This offer is not open to you."), status_code=404)
        claimed = OfferClaim.objects.filter(offer=locked, member=member).count()
        if claimed >= locked.claim_limit:
            raise DomainError(_("You have already claimed this offer."), status_code=409)
        if not _take_one(locked):
            raise DomainError(_("This offer has been fully claimed."), status_code=409)
        try:
            claim = OfferClaim.objects.create(offer=locked, member=member, number=claimed + 1, claimed_at=now)
        except IntegrityError:  # cannot happen under the row lock; if it does, nothing of this claim is kept
            raise DomainError(_("You have already claimed this offer."), status_code=409) from None
        record_activity(member=member, kind="offer", ref=locked.slug, event=ActivityEvent.Event.CLAIM)
    return claim


def _take_one(offer):
    """Count one claim against the cap, only if one is left (a conditional update)."""
    rows = Offer.objects.filter(pk=offer.pk)
    if offer.total_cap is not None:
        rows = rows.filter(claims_count__lt=F("total_cap"))
    return rows.update(claims_count=F("claims_count") + 1) == 1
