"""Consent for the demo data (called by offers/demo/loader.py as one step of load_demo).

Named demo accounts consent to all three purposes at sign-up. Generated members get a
seeded mix, decided per member id by a hash of (seed, id, purpose), so it is the same on
every run and needs no Python loop per member beyond building rows:

- marketing e-mail granted at sign-up by 45 %;
- personalization and analytics granted at sign-up by everyone; 8 % (personalization)
  and 5 % (analytics) withdrew at the end of the generated history (`as_of`), so the
  activity they have was recorded while they allowed it.

Safe to re-run: only members without any consent record get records.
"""

from datetime import datetime, timezone

import numpy as np
from django.db import connection

from members.privacy.consent import CONSENT_TEXTS
from members.privacy.models import ConsentRecord, Purpose

BATCH = 10_000
SHARE_GRANTED_AT_SIGNUP = {Purpose.PERSONALIZATION: 1.0, Purpose.MARKETING_EMAIL: 0.45, Purpose.ANALYTICS: 1.0}
SHARE_WITHDRAWN = {Purpose.PERSONALIZATION: 0.08, Purpose.ANALYTICS: 0.05}
PURPOSE_SALT = {Purpose.PERSONALIZATION: 1, Purpose.MARKETING_EMAIL: 2, Purpose.ANALYTICS: 3}


def uniform(ids, seed, salt):
    """A deterministic number in [0, 1) per id (splitmix64 of seed, salt and id)."""
    with np.errstate(over="ignore"):
        x = np.asarray(ids, dtype=np.uint64) + np.uint64((seed * 1_000_003 + salt * 7919) & 0xFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _undecided(members):
    return members.exclude(pk__in=ConsentRecord.objects.values("member_id")).order_by("pk")


def load_demo_consents(*, everything, mixed, seed, as_of) -> int:
    """`everything`: queryset of members who consent to all; `mixed`: members who get the seeded mix.
    Returns the number of records written."""
    versions = {p: CONSENT_TEXTS[p].version for p in CONSENT_TEXTS}
    withdrawn_at = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    rows = []
    for pk, joined in _undecided(everything).values_list("pk", "date_joined"):
        rows += [(pk, p, True, versions[p], joined) for p in versions]
    written = _insert(rows)
    ids, joined = [], []
    for pk, day in _undecided(mixed).values_list("pk", "date_joined").iterator(chunk_size=BATCH):
        ids.append(pk)
        joined.append(day)
    if not ids:
        return written
    rows = []
    for purpose, share in SHARE_GRANTED_AT_SIGNUP.items():
        granted = uniform(ids, seed, PURPOSE_SALT[purpose]) < share
        withdrawn = granted & (uniform(ids, seed, PURPOSE_SALT[purpose] + 100) < SHARE_WITHDRAWN.get(purpose, 0.0))
        for pk, day, g, w in zip(ids, joined, granted.tolist(), withdrawn.tolist()):
            rows.append((pk, purpose, g, versions[purpose], day))
            if w:
                rows.append((pk, purpose, False, versions[purpose], max(withdrawn_at, day)))
    return written + _insert(rows)


def _insert(rows):
    """(member_id, purpose, granted, version, recorded_at) rows: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        table = ConsentRecord._meta.db_table
        sql = f'COPY "{table}" (member_id, purpose, granted, text_version, recorded_at, source) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for pk, purpose, granted, version, at in rows:
                copy.write_row((pk, str(purpose), granted, version, at.isoformat(), ConsentRecord.Source.DEMO.value))
    else:
        ConsentRecord.objects.bulk_create(
            [ConsentRecord(member_id=pk, purpose=purpose, granted=granted, text_version=version, recorded_at=at,
                           source=ConsentRecord.Source.DEMO) for pk, purpose, granted, version, at in rows],
            batch_size=BATCH,
        )
    return len(rows)
