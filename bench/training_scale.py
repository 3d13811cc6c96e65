"""Training at scale: the whole pipeline from PostgreSQL against a bare implicit fit.

    nice .venv/bin/python bench/training_scale.py [--database wayfare_training_bench]
        [--members 100000] [--items 5000] [--events 5000000] [--regenerate] [--threads 0] [--no-tune]

1. Its own PostgreSQL database (created and migrated when missing; `--host`, `--user`).
2. Synthetic activity written by PostgreSQL itself (`generate_series`, one INSERT … SELECT
   each, foreign-key triggers off for the load): `--members` members with a home airport
   and a personalization consent, `--events` events on `--items` items over 365 days.
   Structure: each member belongs to one of 50 taste groups; 80 % of their events go to
   their group's items (skewed), 20 % anywhere (skewed towards popular items). Event
   types: search 40 %, view 35 %, click 10 %, save 8 %, claim 4 %, book 3 %. Re-runs
   reuse the data when the counts match.
3. Times `recommendations.training.pipeline.train()` — aggregation in the database, split,
   the tuning grid (on its member sample; `--no-tune`: without it), evaluation of four
   models on the test day, the evaluation fit, the
   full fit, artifact, top-N precompute, activation — then, in the same process, the
   matrix alone and a bare `implicit` fit on it with the same parameters and threads.
   Peak memory: the process's resident set, sampled every 50 ms by a thread, per phase.

Prints the phase timings and records the headline figures (bench/results.py).
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUPS = 50


class PeakMemory:
    """The process's peak RSS (MiB) since the last `reset()`, sampled by a daemon thread."""

    def __init__(self, every=0.05):
        self.every, self.peak = every, 0
        threading.Thread(target=self._run, daemon=True).start()

    @staticmethod
    def rss():
        """Resident set in bytes, from /proc (Linux; no psutil needed)."""
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self):
        while True:
            self.peak = max(self.peak, self.rss())
            time.sleep(self.every)

    def reset(self):
        self.peak = self.rss()

    @property
    def mib(self):
        return max(self.peak, self.rss()) / 2**20


def generate(connection, *, members, items, events):
    """Members, consents and events, written by PostgreSQL in three statements."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_activityevent, members_consentrecord, recommendations_dismissal")
        cursor.execute("DELETE FROM members_member WHERE email LIKE 'bench%%@scale.example'")
        cursor.execute(
            """
            INSERT INTO members_member (password, is_superuser, email, member_number, first_name, last_name,
                home_airport, preferred_cabin, travel_interests, is_staff, is_active, date_joined, tier_id, language)
            SELECT '!', false, 'bench' || g || '@scale.example', 'S' || lpad(g::text, 6, '0'), '', '',
                (ARRAY['JFK', 'LGA', 'EWR'])[1 + g %% 3], 'economy', '[]', false, true, now(), 'member', ''
            FROM generate_series(0, %s - 1) g
            """, [members])
        cursor.execute("SELECT min(id), max(id) FROM members_member WHERE email LIKE 'bench%%@scale.example'")
        first, last = cursor.fetchone()
        assert last - first + 1 == members, "member ids are not contiguous"
        cursor.execute(
            """
            INSERT INTO members_consentrecord (purpose, granted, text_version, recorded_at, source, member_id)
            SELECT 'personalization', true, 'bench', now(), 'demo', id FROM members_member
            WHERE email LIKE 'bench%%@scale.example'
            """)
        cursor.execute("SET LOCAL session_replication_role = replica")  # no per-row FK trigger for the bulk load
        per_group = items // GROUPS
        cursor.execute(
            """
            INSERT INTO members_activityevent (kind, ref, event, channel, occurred_at, member_id, event_id)
            SELECT 'route', 'I' || lpad(item::text, 5, '0'),
                CASE WHEN e < 0.40 THEN 'search' WHEN e < 0.75 THEN 'view' WHEN e < 0.85 THEN 'click'
                     WHEN e < 0.93 THEN 'save' WHEN e < 0.97 THEN 'claim' ELSE 'book' END,
                'demo', timestamptz '2026-06-30 12:00+00' - t * interval '365 days', %(first)s + m, gen_random_uuid()
            FROM (
                SELECT m,
                    CASE WHEN random() < 0.8 THEN (m %% %(groups)s) * %(per_group)s + floor(power(random(), 2) * %(per_group)s)::int
                         ELSE floor(power(random(), 3) * %(items)s)::int END AS item,
                    random() AS e, random() AS t
                FROM (SELECT floor(random() * %(members)s)::int AS m FROM generate_series(1, %(events)s)) drawn
            ) picked
            """, {"first": first, "groups": GROUPS, "per_group": per_group, "items": items, "members": members, "events": events})
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_activityevent")
        cursor.execute("ANALYZE members_member")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="wayfare_training_bench")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--threads", type=int, default=0, help="implicit's threads for both fits (0: all cores)")
    parser.add_argument("--no-tune", action="store_true", help="time train(tune=False) instead of the nightly run with its grid")
    parser.add_argument("--regenerate", action="store_true", help="write the synthetic data again")
    parser.add_argument("--generate-only", action="store_true", help="write the data (when needed) and stop")
    args = parser.parse_args()

    subprocess.run(["createdb", "-h", args.host, "-U", args.user, args.database], stderr=subprocess.DEVNULL)
    os.environ["DATABASE_URL"] = f"postgres://{args.user}@{args.host}:5432/{args.database}"
    os.environ.pop("REDIS_URL", None)  # local-memory cache: the figure is about training, not Redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    import numpy as np

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.results import record
    from members.models import ActivityEvent, Member
    from recommendations.training import pipeline
    from recommendations.training.matrix import interactions_from_database
    from recommendations.training.scorers import ALS

    call_command("migrate", "--noinput", verbosity=0)
    members = Member.objects.filter(email__endswith="@scale.example").count()
    if args.regenerate or members != args.members or ActivityEvent.objects.count() != args.events:
        print(f"generating {args.members:,} members × {args.items:,} items × {args.events:,} events …", flush=True)
        started = time.perf_counter()
        with transaction.atomic():
            generate(connection, members=args.members, items=args.items, events=args.events)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print(f"reusing {members:,} members and {args.events:,} events in {args.database}", flush=True)
    if args.generate_only:
        return

    memory = PeakMemory()
    phases = {}

    def phase(message):
        now = time.perf_counter()
        phases[message] = now
        # CPU seconds of this process too (all threads; the database's own work is not in it):
        # on a shared machine they move less than wall time.
        print(f"  {now - started:7.1f} s  {time.process_time() - cpu_started:7.1f} cpu-s  {message}", flush=True)

    tune = not args.no_tune
    print(f"whole pipeline: train(tune={tune})", flush=True)
    memory.reset()
    started, cpu_started = time.perf_counter(), time.process_time()
    version = pipeline.train(tune=tune, threads=args.threads, progress=phase)
    whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    pipeline_peak = memory.mib
    print(f"  {whole:7.1f} s  done (version {version.pk}, serving {version.serving}); peak RSS {pipeline_peak:,.0f} MiB", flush=True)

    print("bare: the matrix from the database, then implicit's fit on it", flush=True)
    memory.reset()
    started = time.perf_counter()
    full = interactions_from_database().matrix()
    loading = time.perf_counter() - started
    parameters = {k: version.parameters[k] for k in ("factors", "regularization", "alpha", "iterations")}
    started, cpu_started = time.perf_counter(), time.process_time()
    ALS(**parameters, threads=args.threads).fit(full)
    bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    bare_peak = memory.mib
    print(f"  matrix {full.shape[0]:,} × {full.shape[1]:,}, {full.nnz:,} entries, loaded in {loading:.1f} s; "
          f"bare fit {bare:.1f} s; peak RSS {bare_peak:,.0f} MiB")
    print("freshness: refresh_members() on the new version (query, fold-in, top-N, cache write)", flush=True)
    from recommendations.freshness import refresh_members

    ids = [int(i) for i in np.random.default_rng(7).choice(Member.objects.filter(email__endswith="@scale.example")
                                                           .values_list("pk", flat=True), 1020, replace=False)]
    single = []
    for member_id in ids[:20]:
        begun = time.perf_counter()
        refresh_members([member_id])
        single.append(time.perf_counter() - begun)
    begun = time.perf_counter()
    refresh_members(ids[20:])
    batch = time.perf_counter() - begun
    single_ms = sorted(s * 1000 for s in single)
    print(f"  one member: p50 {single_ms[10]:.1f} ms, max {single_ms[-1]:.1f} ms; 1,000 members in one call: {batch:.2f} s")
    record("freshness refresh of one member (p50)", single_ms[10], "ms", note=f"{args.members:,}-member model")

    ratio = whole / bare
    print(f"\nCPU seconds of this process: pipeline {whole_cpu:.1f} ÷ bare fit {bare_cpu:.1f} = {whole_cpu / bare_cpu:.2f}×")
    print(f"whole pipeline {whole:.1f} s ÷ bare fit {bare:.1f} s = {ratio:.2f}× (target ≤ 1.5×); "
          f"peak RSS pipeline {pipeline_peak:,.0f} MiB, bare {bare_peak:,.0f} MiB")
    m = version.metrics
    print("test day: " + ", ".join(f"{name} NDCG@10 {m[name]['ndcg']:.4f}" for name in ("popularity", "history", "als", "blend")))
    note = (f"{args.members:,} members × {args.items:,} items, {args.events:,} events, {full.nnz:,} entries"
            + ("" if tune else ", no tuning"))
    record("training pipeline ÷ bare fit at scale", ratio, "×", target=1.5, note=f"{whole:.0f} s vs {bare:.0f} s; {note}")
    record("training pipeline peak RSS", pipeline_peak, "MiB", note=note)


if __name__ == "__main__":
    main()
