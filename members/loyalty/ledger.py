"""Posting to the ledger, and what is derived from it (balance, qualifying points).

Every posting names its source (`source_key`, unique per member): posting the same
source again returns the first entry and changes nothing, also when two processes
post at the same moment (the unique constraint decides; the loser reads the winner's
row). Balances are never stored: they are sums over the ledger.

Flights earn, per docs/loyalty.md:

    miles = distance × cabin multiplier × (1 + the member's tier bonus), rounded down
    Loyalty Points = miles (the tier bonus counts towards status, as at AAdvantage)
"""

from datetime import date, datetime, time, timezone

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from members.loyalty.models import LedgerEntry
from members.loyalty.year import qualification_year
from portal.errors import DomainError

# Base miles per flown mile, in percent, by cabin (members.models.Cabin values).
CABIN_MULTIPLIER_PERCENT = {"economy": 100, "premium": 150, "business": 200, "first": 300}
POINT_KINDS = (LedgerEntry.Kind.PARTNER, LedgerEntry.Kind.OFFER_BONUS)


def flight_miles(*, distance_miles: int, cabin: str, bonus_percent: int) -> int:
    """Miles a flight earns: distance × cabin multiplier × (100 % + tier bonus), rounded down."""
    if cabin not in CABIN_MULTIPLIER_PERCENT:
        raise DomainError(f"Unknown cabin {cabin!r}.", field="cabin")
    return distance_miles * CABIN_MULTIPLIER_PERCENT[cabin] * (100 + bonus_percent) // 10_000


def _post(*, member, source_key, **fields) -> LedgerEntry:
    if not source_key:
        raise DomainError("A posting needs a source key.", field="source_key")
    with transaction.atomic():
        entry, _created = LedgerEntry.objects.get_or_create(member=member, source_key=source_key, defaults=fields)
    return entry


def post_flight(*, member, source_key: str, distance_miles: int, cabin: str, flown_on: date) -> LedgerEntry:
    """Credit a flown flight; the bonus is that of the tier the member holds when it is posted."""
    if distance_miles <= 0:
        raise DomainError("A flight needs a positive distance.", field="distance_miles")
    from members.models import Member

    bonus = Member.objects.filter(pk=member.pk).values_list("tier__earning_bonus_percent", flat=True).get()
    miles = flight_miles(distance_miles=distance_miles, cabin=cabin, bonus_percent=bonus)
    return _post(
        member=member, source_key=source_key, kind=LedgerEntry.Kind.FLIGHT, miles=miles, loyalty_points=miles,
        flown_miles=distance_miles, occurred_at=datetime.combine(flown_on, time(), tzinfo=timezone.utc),
        reason=f"{distance_miles} mi, {cabin}, +{bonus} % tier bonus",
    )


def post_points(*, member, source_key: str, kind: str, miles: int, loyalty_points: int = 0, reason: str = "",
                occurred_at: datetime | None = None) -> LedgerEntry:
    """Credit partner activity or an offer bonus (miles and, where earned, Loyalty Points)."""
    if kind not in POINT_KINDS:
        raise DomainError(f"post_points posts {', '.join(POINT_KINDS)}; not {kind!r}.", field="kind")
    if miles < 0 or loyalty_points < 0:
        raise DomainError("Earning cannot be negative; use an adjustment.", field="miles")
    extra = {"occurred_at": occurred_at} if occurred_at else {}
    return _post(member=member, source_key=source_key, kind=kind, miles=miles, loyalty_points=loyalty_points,
                 reason=reason, **extra)


def adjust(*, member, source_key: str, reason: str, staff, miles: int = 0, loyalty_points: int = 0) -> LedgerEntry:
    """A manual correction by a staff member, with the reason a customer would be told."""
    if not reason.strip():
        raise DomainError("An adjustment needs a reason.", field="reason")
    if staff is None or not staff.is_staff:
        raise DomainError("Only staff can adjust a member's account.", status_code=403)
    return _post(member=member, source_key=source_key, kind=LedgerEntry.Kind.ADJUSTMENT, miles=miles,
                 loyalty_points=loyalty_points, reason=reason.strip(), staff=staff)


def miles_balance(member) -> int:
    return LedgerEntry.objects.filter(member=member).aggregate(total=Coalesce(Sum("miles"), 0))["total"]


def qualifying_points(member, *, on: date | None = None) -> int:
    """Loyalty Points posted in the qualification year that `on` (default: today, UTC) falls in."""
    year = qualification_year(on or datetime.now(timezone.utc).date())
    window = Q(occurred_at__gte=year.starts_at, occurred_at__lt=year.ends_before)
    return LedgerEntry.objects.filter(window, member=member).aggregate(total=Coalesce(Sum("loyalty_points"), 0))["total"]
