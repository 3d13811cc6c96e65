"""Each member's earned tier, computed in SQL in one aggregate query.

For a day `on` and a set of thresholds (the saved programme or a proposed one), each
member row is annotated with:

- `qp0` … `qpN`: Loyalty Points in each qualification year whose status is still held
  on `on` (the current year up to `on`, the previous year, in March the one before);
- `flown`: miles flown in total (for lifetime status);
- `qualified_rank`: the best tier any of those years' points reach (Case/When over
  the thresholds); `lifetime_rank`: the lifetime tier the flown miles reach;
- `earned_rank`: the better of the two.

The recalculation and the what-if both read this one queryset, so the what-if tells
exactly what the recalculation will do.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThanOrEqual

from members.loyalty.models import Tier
from members.loyalty.year import years_holding_status


@dataclass(frozen=True)
class TierRule:
    code: str
    name: str
    rank: int
    qualifying_points: int
    lifetime_flown_miles: int | None


@dataclass(frozen=True)
class Programme:
    """The tier thresholds a calculation uses, lowest rank first."""

    rules: tuple[TierRule, ...]

    @classmethod
    def load(cls) -> "Programme":
        return cls(tuple(
            TierRule(t.code, t.name, t.rank, t.qualifying_points, t.lifetime_flown_miles) for t in Tier.objects.programme()
        ))

    def with_changes(self, changes: dict) -> "Programme":
        """A copy with e.g. {"gold": {"qualifying_points": 45_000}} applied."""
        return Programme(tuple(replace(r, **changes.get(r.code, {})) for r in self.rules))

    @property
    def base(self) -> TierRule:
        return self.rules[0]

    def code_of(self, rank: int) -> str:
        return next(r.code for r in self.rules if r.rank == rank)

    def rank_for_points(self, points: int) -> int:
        return max(r.rank for r in self.rules if points >= r.qualifying_points)

    def next_above(self, rank: int) -> TierRule | None:
        return next((r for r in self.rules if r.rank > rank), None)

    def points_case(self, expression):
        whens = [When(GreaterThanOrEqual(expression, Value(r.qualifying_points)), then=Value(r.rank))
                 for r in reversed(self.rules[1:])]
        return Case(*whens, default=Value(self.base.rank), output_field=IntegerField())

    def lifetime_case(self, expression):
        whens = [When(GreaterThanOrEqual(expression, Value(r.lifetime_flown_miles)), then=Value(r.rank))
                 for r in reversed(self.rules) if r.lifetime_flown_miles]
        return Case(*whens, default=Value(self.base.rank), output_field=IntegerField())


def day_after(on: date) -> datetime:
    return datetime.combine(on + timedelta(days=1), time(), tzinfo=timezone.utc)


def _greatest(*expressions):
    return expressions[0] if len(expressions) == 1 else Greatest(*expressions, output_field=IntegerField())


def point_sums(on: date) -> dict:
    """Sum annotations: Loyalty Points per status-holding year, and total flown miles, up to `on`."""
    until = day_after(on)
    sums = {}
    for i, year in enumerate(years_holding_status(on)):
        window = Q(ledger__occurred_at__gte=year.starts_at, ledger__occurred_at__lt=min(year.ends_before, until))
        sums[f"qp{i}"] = Coalesce(Sum("ledger__loyalty_points", filter=window), 0)
    sums["flown"] = Coalesce(Sum("ledger__flown_miles", filter=Q(ledger__occurred_at__lt=until)), 0)
    return sums


def earned_ranks(programme: Programme, sums: dict, prefix="") -> dict:
    """`qualified_rank`, `lifetime_rank` and `earned_rank` annotations under `programme`."""
    qualified = _greatest(*(programme.points_case(F(name)) for name in sums if name.startswith("qp")))
    lifetime = programme.lifetime_case(F("flown"))
    return {
        f"{prefix}qualified_rank": qualified,
        f"{prefix}lifetime_rank": lifetime,
        f"{prefix}earned_rank": _greatest(F(f"{prefix}qualified_rank"), F(f"{prefix}lifetime_rank")),
    }


def member_status(*, on: date, programme: Programme, members=None):
    """Members (values: pk, tier_id, current_rank) annotated with their sums and earned ranks."""
    from members.models import Member

    sums = point_sums(on)
    queryset = members if members is not None else Member.objects.all()
    return (
        queryset.order_by()
        .values("pk", "tier_id")
        .annotate(current_rank=F("tier__rank"), **sums)
        .annotate(**earned_ranks(programme, sums))
    )
