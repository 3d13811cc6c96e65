"""Benchmark: tier recalculation and the what-if query on the database in DATABASE_URL.

Load the members first, e.g. on PostgreSQL:

    createdb -h 127.0.0.1 -U postgres wayfare_tiers
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/wayfare_tiers
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --members 100000
    .venv/bin/python bench/tiers.py [--repeat 3]

Each recalculation first puts every member back on the base tier (inside a
transaction that is rolled back at the end, so the database is left as it was), then
recalculates from the ledger: the worst case, every elite member changes. E-mails
go to Django's in-memory backend. Targets (issue 7): recalculation < 30 s, what-if < 1 s.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from bench.results import Rollback, record, timed  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from members.loyalty.tiers import recalculate_tiers, what_if  # noqa: E402
from members.models import LedgerEntry, Member  # noqa: E402




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    print(f"database: {connection.vendor}, members: {Member.objects.count():,}, ledger entries: {LedgerEntry.objects.count():,}")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        full, again, whatifs, changed = [], [], [], 0
        for _ in range(args.repeat):
            try:
                with transaction.atomic():
                    Member.objects.update(tier="member")
                    seconds, result = timed(recalculate_tiers)
                    full.append(seconds)
                    changed = result.changed
                    seconds, second = timed(recalculate_tiers)
                    again.append(seconds)
                    assert second.changed == 0
                    raise Rollback
            except Rollback:
                pass
            seconds, _ = timed(lambda: what_if(changes={"gold": {"qualifying_points": 35_000}}))
            whatifs.append(seconds)
    rows.append(("recalculate_tiers, all elite members change", full, 30.0, f"{changed:,} changed"))
    rows.append(("recalculate_tiers, second run (no change)", again, 30.0, "0 changed"))
    rows.append(("what-if (Gold 40,000 → 35,000)", whatifs, 1.0, "one aggregate query"))
    print(f"\n{'measurement':<46} {'median s':>9} {'max s':>7} {'target s':>9}  note")
    for name, values, target, note in rows:
        ok = "ok" if max(values) < target else "SLOW"
        print(f"{name:<46} {statistics.median(values):>9.2f} {max(values):>7.2f} {target:>9.1f}  {note} [{ok}]")
    members = Member.objects.count()
    record("tier recalculation, every elite member changes", max(full), "s", target=30, note=f"{members:,} members, {changed:,} changed")
    record("what-if before saving a threshold", max(whatifs), "s", target=1, note=f"{members:,} members, one aggregate query")


if __name__ == "__main__":
    main()
