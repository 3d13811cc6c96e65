"""Writes with side effects on offers: claiming one; freezing and importing static segments."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ActivityEvent
from members.services import record_activity
from offers.models import Offer, OfferClaim, Segment
from portal.errors import DomainError


def claim_offer(*, member, offer, visit=None):
    """Claim `offer` for `member`: once per member unless its limit allows more, never past its cap.

    The offer row is locked for the whole claim, so concurrent claims queue: the
    member's limit and the total cap are both checked against committed counts.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().filter(pk=offer.pk).first()
        if locked is None or not Offer.objects.live_at(now).filter(pk=offer.pk).exists():
            raise DomainError(_("This offer is no longer available."), status_code=409)
        if not locked.targets(member, visit):
            raise DomainError(_("This offer is not open to you."), status_code=404)
        claimed = OfferClaim.objects.filter(offer=locked, member=member).count()
        if claimed >= locked.claim_limit:
            raise DomainError(_("You have already claimed this offer."), status_code=409)
        if not locked.within_budget(now) or not _take_one(locked):
            raise DomainError(_("This offer has been fully claimed."), status_code=409)
        try:
            claim = OfferClaim.objects.create(offer=locked, member=member, number=claimed + 1, claimed_at=now)
        except IntegrityError:  # cannot happen under the row lock; if it does, nothing of this claim is kept
            raise DomainError(_("You have already claimed this offer."), status_code=409) from None
        record_activity(member=member, kind="offer", ref=locked.slug, event=ActivityEvent.Event.CLAIM)
    return claim


def _take_one(offer):
    """Count one claim against the cap and the budget, only if both have room (a conditional update)."""
    rows = Offer.objects.filter(pk=offer.pk)
    if offer.total_cap is not None:
        rows = rows.filter(claims_count__lt=F("total_cap"))
    if offer.budget is not None:
        rows = rows.filter(budget__gte=(F("claims_count") + 1) * F("cost_per_claim"))
    return rows.update(claims_count=F("claims_count") + 1) == 1


def freeze_segment(*, segment, name=None, at=None):
    """A static copy of `segment`: the members its member rules hold now, stored. Visit rules cannot be frozen."""
    now = at or timezone.now()
    name = name or _("%(name)s (frozen %(day)s)") % {"name": segment.name, "day": timezone.localdate(now).isoformat()}
    if Segment.objects.filter(name=name).exists():
        raise DomainError(_("A segment named %(name)s exists already.") % {"name": name})
    with transaction.atomic():
        frozen = Segment.objects.create(name=name, kind=Segment.Kind.STATIC, frozen_from=segment,
                                        description=_("Members of %(name)s on %(day)s") % {
                                            "name": segment.name, "day": timezone.localdate(now).isoformat()})
        frozen.static_members.set(segment.members(now).values_list("pk", flat=True))
    return frozen


def import_segment_members(*, segment, member_numbers):
    """Replace a static segment's members with the members of `member_numbers` (any separators); all or nothing."""
    from members.models import Member

    if not segment.is_static:
        raise DomainError(_("Only a static segment holds a member list."))
    numbers = [n for n in member_numbers.replace(",", " ").split() if n]
    if not numbers:
        raise DomainError(_("Give at least one member number."))
    found = dict(Member.objects.filter(member_number__in=numbers).values_list("member_number", "pk"))
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise DomainError(_("No member has these numbers: %(list)s") % {"list": ", ".join(unknown[:20])},
                          details={"unknown": unknown})
    with transaction.atomic():
        segment.static_members.set(found.values())
    return len(found)
