"""Demo loyalty ledger (generated data), then every member's tier from it.

- gold@, platinum@ and executive@example.com fly enough in the current
  qualification year (through `members.loyalty.ledger.post_flight`, the real service)
  to hold Gold (≈45,000 LP), Platinum (≈80,000) and Executive Platinum (≈210,000):
  their home airport's longest route, in their preferred cabin, spread evenly from
  1 March to the day before --as-of.
- Every demo `book` event becomes a flown flight: the route's real distance × the
  member's preferred cabin's multiplier, no tier bonus, on the booking's date; one
  INSERT … SELECT, source key `demo-book:<event id>`.
- Every generated member gets one partner posting (credit card, hotels) in the
  current year: Loyalty Points lognormal with median 5,000 and σ 1.3 (about 5 % reach
  Gold), drawn from `default_rng([seed, block, 3])`, so member i's amount depends
  only on the seed and i.

Every posting has a fixed source key: a re-run adds nothing. Then
`recalculate_tiers(on=as_of, notify=False)` sets the tiers (no notices, no e-mail).
"""

from datetime import date, datetime, time, timedelta, timezone
from math import ceil

import numpy as np
from django.db import connection
from django.utils import timezone as django_timezone

from members.loyalty.ledger import CABIN_MULTIPLIER_PERCENT, flight_miles, post_flight
from members.loyalty.tiers import recalculate_tiers
from members.loyalty.year import qualification_year
from members.models import ActivityEvent, LedgerEntry, Member
from offers.demo.members import BLOCK_SIZE, EMAIL_DOMAIN, index_from_email
from offers.models import Route

STATUS_TARGETS = {"gold@example.com": 45_000, "platinum@example.com": 80_000, "executive@example.com": 210_000}
PARTNER_MEDIAN_LP = 5_000
PARTNER_SIGMA = 1.3
PARTNER_KEY = "demo-partner"
INSERT_BATCH = 5000


def load_ledger(*, seed: int, as_of: date) -> int:
    """Post the demo ledger; returns the number of entries created."""
    distances = dict(((r.origin_id + "-" + r.destination_id), r.distance_miles) for r in Route.objects.all())
    before = LedgerEntry.objects.count()
    _fly_status_accounts(distances, as_of)
    _flights_from_bookings(distances)
    _partner_points(seed, as_of)
    return LedgerEntry.objects.count() - before


def set_tiers(*, as_of: date):
    return recalculate_tiers(on=as_of, notify=False)


def _fly_status_accounts(distances, as_of):
    year = qualification_year(as_of)
    days = max((as_of - year.start).days, 1)
    for email, target in STATUS_TARGETS.items():
        member = Member.objects.filter(email=email).first()
        if member is None or not member.home_airport:
            continue
        ref, distance = max(((r, d) for r, d in distances.items() if r.startswith(member.home_airport + "-")),
                            key=lambda rd: rd[1])
        per_flight = flight_miles(distance_miles=distance, cabin=member.preferred_cabin, bonus_percent=0)
        flights = ceil(target / per_flight)
        for n in range(flights):
            flown_on = year.start + timedelta(days=n * days // flights)
            post_flight(member=member, source_key=f"demo-status:{year.label}:{n}", distance_miles=distance,
                        cabin=member.preferred_cabin, flown_on=flown_on)


def _flights_from_bookings(distances):
    if not distances:
        return 0
    ledger, events, members = LedgerEntry._meta.db_table, ActivityEvent._meta.db_table, Member._meta.db_table
    distance = "CASE e.ref " + " ".join("WHEN %s THEN %s" for _ in distances) + " ELSE 0 END"
    cabin = "CASE m.preferred_cabin " + " ".join("WHEN %s THEN %s" for _ in CABIN_MULTIPLIER_PERCENT) + " ELSE 100 END"
    distance_params = [v for item in distances.items() for v in item]
    cabin_params = [v for item in CABIN_MULTIPLIER_PERCENT.items() for v in item]
    sql = f"""
        INSERT INTO {ledger} (member_id, kind, miles, loyalty_points, flown_miles, source_key, reason, occurred_at, created_at)
        SELECT member_id, 'flight', miles, miles, distance, source_key, 'demo booking', occurred_at, %s FROM (
            SELECT e.member_id, ({distance}) * ({cabin}) / 100 AS miles, ({distance}) AS distance,
                   'demo-book:' || e.event_id AS source_key, e.occurred_at
            FROM {events} e JOIN {members} m ON m.id = e.member_id
            WHERE e.event = 'book' AND e.channel = 'demo' AND e.kind = 'route'
        ) flights WHERE distance > 0
        ON CONFLICT (member_id, source_key) DO NOTHING
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [django_timezone.now(), *distance_params, *cabin_params, *distance_params])
        return cursor.rowcount


def _partner_points(seed, as_of):
    year = qualification_year(as_of)
    start = datetime.combine(year.start, time(), tzinfo=timezone.utc)
    span = max((as_of - year.start).days, 1) * 86400
    pending = (
        Member.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .exclude(ledger__source_key=PARTNER_KEY)
        .values_list("pk", "email")
    )
    by_block: dict[int, list] = {}
    for pk, email in pending.iterator(chunk_size=20_000):
        index = index_from_email(email)
        by_block.setdefault(index // BLOCK_SIZE, []).append((pk, index % BLOCK_SIZE))
    entries = []
    for block, members in sorted(by_block.items()):
        rng = np.random.default_rng([seed, block, 3])
        points = np.round(rng.lognormal(np.log(PARTNER_MEDIAN_LP), PARTNER_SIGMA, BLOCK_SIZE), -1).astype(int)
        when = rng.random(BLOCK_SIZE)
        for pk, position in members:
            lp = int(points[position])
            entries.append(LedgerEntry(
                member_id=pk, kind=LedgerEntry.Kind.PARTNER, miles=lp, loyalty_points=lp, source_key=PARTNER_KEY,
                reason="demo partner activity", occurred_at=start + timedelta(seconds=int(when[position] * span)),
            ))
    LedgerEntry.objects.bulk_create(entries, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(entries)
