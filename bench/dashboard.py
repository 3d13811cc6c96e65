"""Dashboard server time for signed-in members, with and without the recommender's slots.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/dashboard.py [--members 50] [--rounds 4]

Signs in as demo members (the named accounts plus generated ones), renders `/` through
Django's test client, and prints p50/p95 in milliseconds (and queries per page) for: the
whole dashboard, and the same page with the personalized slots (offers, fares, news,
trip offers) replaced by empty ones. The ratio is the personalization overhead. The two
are measured in alternating rounds, so a load that comes and goes on a shared machine
weighs on both alike. One warm-up round first: the shared fragments (cms/fragments.py),
the model artifact and the templates are warm, as on a live site. Impressions are queued
to Celery like on the live site when REDIS_URL is set (eagerly in process without it,
which makes the figure an upper bound).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from bench.results import percentile, record  # noqa: E402
from django.test import Client  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

import cms.slots  # noqa: E402
from members.models import Member  # noqa: E402


def measure(clients):
    """(milliseconds, queries) of one page per client."""
    times, queries = [], []
    for client in clients:
        connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get("/", HTTP_HOST="localhost")
            times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(captured.captured_queries))
        assert response.status_code == 200, response.status_code
    return times, queries


class SlotsOff:
    """The personalized slots show nothing (fill_slots still runs the rest, hold-out lookup included)."""

    def __enter__(self):
        self.saved = {name: cms.slots.SLOTS[name] for name in cms.slots.TRACKED_SLOTS}
        for name in self.saved:
            cms.slots.SLOTS[name] = lambda member, today, personal=True: []

    def __exit__(self, *exc):
        cms.slots.SLOTS.update(self.saved)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    setup_test_environment()
    members = list(Member.objects.filter(email__endswith="@example.com", is_staff=False)) + list(
        Member.objects.filter(email__endswith="@members.example").order_by("pk")[: args.members])
    if not members:
        sys.exit("No members: run `manage.py load_demo` (and train_recommender) first.")
    clients = []
    for member in members:
        client = Client()
        client.force_login(member)
        clients.append(client)
    measure(clients)  # warm-up: templates, model artifact, each member's list, the shared fragments
    with SlotsOff():
        measure(clients[:5])
    full, bare, full_queries, bare_queries = [], [], [], []
    for _ in range(args.rounds):  # alternate, so the machine's load weighs on both alike
        times, queries = measure(clients)
        full += times
        full_queries += queries
        with SlotsOff():
            times, queries = measure(clients)
        bare += times
        bare_queries += queries
    print(f"dashboard, {len(clients)} members × {args.rounds} rounds, database: {django.db.connection.vendor}, "
          f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    for name, samples, queries in (("with personalized slots", full, full_queries),
                                   ("slots off (tier card, trips only)", bare, bare_queries)):
        print(f"{name:<34}{statistics.median(samples):>10.1f}{percentile(samples, 0.95):>10.1f}{statistics.mean(queries):>10.1f}")
    overhead = percentile(full, 0.95) / percentile(bare, 0.95)
    print(f"personalization overhead: p95 ratio {overhead:.2f}×, p50 ratio {statistics.median(full) / statistics.median(bare):.2f}×")
    record("dashboard p95 (signed-in member)", percentile(full, 0.95), "ms", target=100,
           note=f"{len(clients)} members × {args.rounds} rounds, test client")
    record("personalization overhead (p95 ratio)", overhead, "×", target=1.5, note="dashboard with ÷ without personal slots")


if __name__ == "__main__":
    main()
