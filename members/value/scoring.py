"""Customer value per member, computed by the database (docs/loyalty.md, "Customer value").

For a day `on`, over the 12 months (365 days) up to and including it:

- **demand value** = Loyalty Points the member earned from flights and partner activity
  (ledger kinds `flight` and `partner`; offer bonuses are a cost, not a demand;
  adjustments and expiry are neither);
- **resource need** = the sum of every registered source's cost in the window
  (members/value/sources.py: service cases; offer claims, registered by offers);
- **relative value** = demand ÷ resource need; a member who cost nothing is divided by
  1 (their relative value is their demand value);
- **rank** 1… by relative value, then demand value, then member id;
- **RFM**: R = the last earning posting ever (up to `on`), F = earning postings in the
  window, M = demand value. Scores 1–5 are quintiles (NTILE(5)) among the members who
  earned in the window; a member who did not gets 1, 1, 1 and the segment *lost*;
- **segment** from R and F (SEGMENT_RULES below);
- **lifetime value** = margin × r ÷ (1 + d − r): the yearly margin (demand − resource)
  of a member kept each year with probability r, discounted at d = 10 %. r goes with
  the recency score: 0.5, 0.6, 0.7, 0.8, 0.9 for R = 1…5 (RETENTION), so the
  multiplier is the whole fraction in CLV_MULTIPLIER, applied in integer arithmetic.

`refresh(on=)` rewrites the `CustomerValue` table: one INSERT … SELECT (the ledger
aggregate and the sources' costs, joined, under window functions, then the segment and
CLV from the scores) — every value computed by the database in one statement.
"""

import time as clock
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce

from members.loyalty.models import LedgerEntry
from members.loyalty.status import day_after
from members.value.models import CustomerValue, Segment
from members.value.sources import resource_sources

WINDOW_DAYS = 365
EARNING_KINDS = (LedgerEntry.Kind.FLIGHT, LedgerEntry.Kind.PARTNER)
RETENTION = {1: 0.5, 2: 0.6, 3: 0.7, 4: 0.8, 5: 0.9}
DISCOUNT_RATE = 0.10
# r / (1 + d - r) as a fraction, per recency score: 5/6, 6/5, 7/4, 8/3, 9/2.
CLV_MULTIPLIER = {1: (5, 6), 2: (6, 5), 3: (7, 4), 4: (8, 3), 5: (9, 2)}
# (segment, R scores, F scores), first match wins; members who did not earn in the window are LOST.
SEGMENT_RULES = (
    (Segment.CHAMPIONS, (4, 5), (4, 5)),
    (Segment.LOYAL, (3, 5), (4, 5)),
    (Segment.POTENTIAL, (4, 5), (2, 3)),
    (Segment.NEW, (4, 5), (1, 1)),
    (Segment.AT_RISK, (1, 2), (3, 5)),
    (Segment.HIBERNATING, (1, 2), (1, 2)),
)  # otherwise NEEDS_ATTENTION


def window(on: date):
    until = day_after(on)
    return until - timedelta(days=WINDOW_DAYS), until


def member_activity(*, on: date):
    """Per member (`pk`): `demand`, `freq` and `last` (earning postings), by one GROUP BY over the ledger join."""
    from members.models import Member

    since, until = window(on)
    earning = Q(ledger__kind__in=EARNING_KINDS, ledger__occurred_at__lt=until)
    in_window = earning & Q(ledger__occurred_at__gte=since)
    return (
        Member.objects.order_by().values("pk")
        .annotate(demand=Coalesce(Sum("ledger__loyalty_points", filter=in_window), 0),
                  freq=Count("ledger", filter=in_window),
                  last=Max("ledger__occurred_at", filter=earning))
    )


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def scored_select(*, on: date):
    """The SELECT (sql, params) of every member's row of the CustomerValue table (its COLUMNS order).

    Built from ORM querysets (the ledger aggregate; each registered source's per-member
    cost, uncorrelated, combined with UNION ALL and summed), joined in a derived table,
    and wrapped in the window functions (ROW_NUMBER, NTILE) — so every aggregate is
    computed once, on SQLite and PostgreSQL alike.
    """
    since, until = window(on)
    base_sql, params = _sql(member_activity(on=on))
    costs = [rows for source in resource_sources() if (rows := source.cost(since, until)) is not None]
    if costs:
        parts = []
        for rows in costs:
            sql, more = _sql(rows.values("member_id", "cost"))
            parts.append(f"SELECT * FROM ({sql}) src")
            params += more
        cost_sql = f"SELECT member_id, SUM(cost) AS cost FROM ({' UNION ALL '.join(parts)}) costs GROUP BY member_id"
    else:
        cost_sql = "SELECT NULL AS member_id, 0 AS cost WHERE 1 = 0"
    joined = (
        "SELECT b.pk AS id, b.demand AS demand, b.freq AS freq, b.last AS last_earned, "
        "CAST(COALESCE(c.cost, 0) AS INTEGER) AS resource, "
        "b.demand * 1.0 / (CASE WHEN COALESCE(c.cost, 0) > 1 THEN COALESCE(c.cost, 0) ELSE 1 END) AS relative "
        f"FROM ({base_sql}) b LEFT JOIN ({cost_sql}) c ON c.member_id = b.pk"
    )
    quintile = "CASE WHEN freq > 0 THEN NTILE(5) OVER (PARTITION BY CASE WHEN freq > 0 THEN 1 ELSE 0 END ORDER BY {}, id) ELSE 1 END"
    scored = (
        "SELECT id, demand, resource, relative, ROW_NUMBER() OVER (ORDER BY relative DESC, demand DESC, id) AS position, "
        f"last_earned, freq, {quintile.format('last_earned ASC NULLS FIRST')} AS r, {quintile.format('freq')} AS f, "
        f"{quintile.format('demand')} AS m FROM ({joined}) t"
    )
    segment_params = [Segment.LOST.value]
    whens = []
    for name, (r_low, r_high), (f_low, f_high) in SEGMENT_RULES:
        whens.append("WHEN r BETWEEN %s AND %s AND f BETWEEN %s AND %s THEN %s")
        segment_params += [r_low, r_high, f_low, f_high, name.value]
    segment = f"CASE WHEN freq = 0 THEN %s {' '.join(whens)} ELSE %s END"
    segment_params.append(Segment.NEEDS_ATTENTION.value)
    clv = "CASE r " + " ".join(f"WHEN {r} THEN (demand - resource) * {num} / {den}"
                               for r, (num, den) in CLV_MULTIPLIER.items()) + " ELSE 0 END"
    select = (f"SELECT id, demand, resource, relative, position, last_earned, freq, r, f, m, %s, {segment}, {clv} "
              f"FROM ({scored}) s")
    return select, [on, *segment_params] + params  # in the order the placeholders appear


COLUMNS = ("member_id", "demand_value", "resource_need", "relative_value", "rank", "last_earned_at", "frequency",
           "recency_score", "frequency_score", "monetary_score", "computed_on", "segment", "lifetime_value")


@dataclass
class Refresh:
    on: date
    members: int
    seconds: float


def refresh(*, on: date | None = None) -> Refresh:
    """Rewrite the CustomerValue table for `on` (default today, UTC). Safe to run twice."""
    from members.loyalty.tiers import today

    started = clock.perf_counter()
    on = on or today()
    sql, params = scored_select(on=on)
    table = CustomerValue._meta.db_table
    quote = connection.ops.quote_name
    with transaction.atomic():
        CustomerValue.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL jit = off")  # compiling this one statement costs more than it saves
                cursor.execute("SET LOCAL work_mem = '64MB'")  # the window sorts stay in memory
            cursor.execute(f"INSERT INTO {quote(table)} ({', '.join(map(quote, COLUMNS))}) {sql}", params)
        members = CustomerValue.objects.count()
    return Refresh(on=on, members=members, seconds=clock.perf_counter() - started)
