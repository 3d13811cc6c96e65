"""Tier services: recalculation, what-if before saving, editing a tier with its audit trail.

Downgrade rule (docs/loyalty.md): an ordinary recalculation only ever raises a tier
(new = max(held, earned)). Only the year-end review (`year_end_review=True`, run by
Celery beat on 1 April, when the status of the year before last has lapsed) sets
every member to exactly what they earned, which may be lower.
"""

import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone as django_timezone

from members.loyalty.models import Notification, Tier, TierChange, TierHistory
from members.loyalty.status import Programme, _greatest, earned_ranks, member_status, point_sums
from members.loyalty.year import qualification_year

UPDATE_CHUNK = 5000
EMAIL_CHUNK = 500
AUDITED_FIELDS = ("name", "name_zh_hant", "qualifying_points", "earning_bonus_percent", "upgrade_window_hours", "lifetime_flown_miles", "benefits",
                  "colour", "text_colour")


def today() -> date:
    return datetime.now(timezone.utc).date()


def _target(year_end_review: bool, prefix=""):
    earned = F(f"{prefix}earned_rank")
    return earned if year_end_review else _greatest(F("current_rank"), earned)


@dataclass
class Recalculation:
    on: date
    year_end_review: bool
    upgrades: Counter = field(default_factory=Counter)  # new tier code → members
    downgrades: Counter = field(default_factory=Counter)  # old tier code → members
    history_ids: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self):
        return sum(self.upgrades.values()) + sum(self.downgrades.values())


def recalculate_tiers(*, on: date | None = None, year_end_review: bool = False, notify: bool = True,
                      members=None) -> Recalculation:
    """Set every member's tier from the ledger; write history; notify upgraded members.

    One aggregate query finds the members whose tier changes; they are updated in
    bulk, one UPDATE per new tier. Idempotent: a second run finds nothing to change.
    Runs in one transaction holding the tier rows locked, so it never interleaves with
    another recalculation or with a manager saving a tier.
    """
    started = clock.perf_counter()
    on = on or today()
    result = Recalculation(on=on, year_end_review=year_end_review)
    with transaction.atomic():
        list(Tier.objects.select_for_update().order_by("rank"))
        programme = Programme.load()
        rows = list(
            member_status(on=on, programme=programme, members=members)
            .annotate(new_rank=_target(year_end_review))
            .filter(~Q(new_rank=F("current_rank")))
            .values_list("pk", "tier_id", "current_rank", "new_rank", "qualified_rank", "qp0")
        )
        ranks = {r.code: r.rank for r in programme.rules}
        moving: dict[str, list[int]] = {}
        history = []
        now = django_timezone.now()
        for pk, old_code, old_rank, new_rank, qualified_rank, points in rows:
            new_code = programme.code_of(new_rank)
            moving.setdefault(new_code, []).append(pk)
            if new_rank > old_rank:
                reason = TierHistory.Reason.QUALIFIED if qualified_rank >= new_rank else TierHistory.Reason.LIFETIME
                result.upgrades[new_code] += 1
            else:
                reason = TierHistory.Reason.YEAR_END_REVIEW
                result.downgrades[old_code] += 1
            history.append(TierHistory(member_id=pk, old_tier_id=old_code, new_tier_id=new_code, reason=reason,
                                       qualifying_points=points, at=now))
        from members.models import Member

        for code, ids in moving.items():
            for i in range(0, len(ids), UPDATE_CHUNK):
                Member.objects.filter(pk__in=ids[i:i + UPDATE_CHUNK]).update(tier_id=code)
        TierHistory.objects.bulk_create(history, batch_size=UPDATE_CHUNK)
        upgraded = [h for h in history if ranks[h.new_tier_id] > ranks[h.old_tier_id]]
        if notify and upgraded:
            names = {r.code: r.name for r in programme.rules}
            Notification.objects.bulk_create(
                [Notification(member_id=h.member_id, kind=Notification.Kind.TIER_UPGRADE,
                              data={"tier": names[h.new_tier_id], "tier_code": h.new_tier_id}, created_at=now)
                 for h in upgraded],
                batch_size=UPDATE_CHUNK,
            )
            ids = [h.pk for h in upgraded]
            transaction.on_commit(lambda: _enqueue_upgrade_emails(ids))
        result.history_ids = [h.pk for h in history]
    result.seconds = clock.perf_counter() - started
    return result


def _enqueue_upgrade_emails(history_ids):
    from members.tasks import send_tier_upgrade_emails

    for i in range(0, len(history_ids), EMAIL_CHUNK):
        send_tier_upgrade_emails.delay(history_ids[i:i + EMAIL_CHUNK])


@dataclass(frozen=True)
class TierImpact:
    """What a proposed programme would do to one tier (the what-if's row)."""

    code: str
    name: str
    members_now: int
    after_recalculation_saved: int  # with the thresholds as saved
    after_recalculation: int  # with the proposed thresholds
    moving_up_into: int  # members the next recalculation would raise into this tier
    moving_down_at_review: int  # members of this tier the year-end review would lower


def what_if(*, changes: dict, on: date | None = None) -> list[TierImpact]:
    """Per tier, how many members a proposed change moves, in ONE aggregate query.

    `changes` is e.g. {"gold": {"qualifying_points": 45_000}}. Uses the very queryset
    `recalculate_tiers` uses, so "moving up into" is what the next recalculation does
    and "moving down at review" what the year-end review would do.
    """
    on = on or today()
    saved = Programme.load()
    proposed = saved.with_changes(changes)
    sums = point_sums(on)
    status = (
        member_status(on=on, programme=proposed)
        .annotate(**earned_ranks(saved, sums, prefix="saved_"))
        .annotate(after=_target(False), after_saved=_target(False, "saved_"), review=_target(True))
    )
    counts = {}
    for r in proposed.rules:
        counts[f"now_{r.code}"] = Count("pk", filter=Q(current_rank=r.rank))
        counts[f"saved_{r.code}"] = Count("pk", filter=Q(after_saved=r.rank))
        counts[f"after_{r.code}"] = Count("pk", filter=Q(after=r.rank))
        counts[f"up_{r.code}"] = Count("pk", filter=Q(after=r.rank) & ~Q(current_rank=r.rank))
        counts[f"down_{r.code}"] = Count("pk", filter=Q(current_rank=r.rank, review__lt=r.rank))
    totals = status.aggregate(**counts)
    return [
        TierImpact(r.code, r.name, totals[f"now_{r.code}"], totals[f"saved_{r.code}"], totals[f"after_{r.code}"],
                   totals[f"up_{r.code}"], totals[f"down_{r.code}"])
        for r in proposed.rules
    ]


def update_tier(*, tier: Tier, by) -> Tier:
    """Save an edited tier and write one audit row per changed field (who, when, old → new)."""
    # Browsers send a textarea's lines with CRLF: normalise, so an untouched list is no change.
    tier.benefits = "\n".join(line.rstrip() for line in (tier.benefits or "").splitlines()).strip()
    with transaction.atomic():
        before = Tier.objects.select_for_update().get(pk=tier.pk)
        now = django_timezone.now()
        changes = [
            TierChange(tier=tier, field=name, old_value=_text(getattr(before, name)), new_value=_text(getattr(tier, name)),
                       changed_by=by, changed_at=now)
            for name in AUDITED_FIELDS
            if getattr(before, name) != getattr(tier, name)
        ]
        tier.save()
        TierChange.objects.bulk_create(changes)
    return tier


def _text(value):
    return "" if value is None else str(value)


@dataclass(frozen=True)
class TierStatus:
    """What a member's tier card shows."""

    tier: Tier
    next_tier: Tier | None
    qualifying_points: int
    points_to_next: int | None
    progress_percent: int
    year_end: date
    status_valid_until: date


def tier_held_at(member, at) -> Tier:
    """The tier `member` held at `at`, from their tier history: after the last change up to `at`,
    else before the first change after it, else the tier they hold now (nothing changed since)."""
    before = TierHistory.objects.filter(member=member, at__lte=at).select_related("new_tier").order_by("-at", "-pk").first()
    if before is not None:
        return before.new_tier
    after = TierHistory.objects.filter(member=member, at__gt=at).select_related("old_tier").order_by("at", "pk").first()
    return after.old_tier if after is not None else member.tier


def tier_status(member, *, on: date | None = None) -> TierStatus:
    from members.loyalty.ledger import qualifying_points

    on = on or today()
    tiers = list(Tier.objects.programme())
    held = next(t for t in tiers if t.code == member.tier_id)
    following = next((t for t in tiers if t.rank > held.rank), None)
    points = qualifying_points(member, on=on)
    year = qualification_year(on)
    if following is None:
        to_next, progress = None, 100
    else:
        to_next = max(following.qualifying_points - points, 0)
        progress = min(100, points * 100 // following.qualifying_points) if following.qualifying_points else 100
    return TierStatus(held, following, points, to_next, progress, year.end, year.status_valid_until)
