"""Dashboard server time for signed-in members, with and without the recommender's slots.

    DATABASE_URL=… .venv/bin/python bench/dashboard.py [--members 50] [--rounds 4]

Signs in as demo members (the named accounts plus generated ones), renders `/` through
Django's test client, and prints p50/p95 in milliseconds for: the whole dashboard, and
the same page with the personalized slots (offers, fares, news) replaced by empty ones.
The ratio is the personalization overhead. Impressions are written eagerly in process
here (no broker), which the live site does not do: the figure is an upper bound.
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
from django.test.utils import setup_test_environment  # noqa: E402

import cms.slots  # noqa: E402
from members.models import Member  # noqa: E402



def measure(clients, rounds):
    times = []
    for _ in range(rounds):
        for client in clients:
            t0 = time.perf_counter()
            response = client.get("/", HTTP_HOST="localhost")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
    return times


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
    measure(clients[:5], 1)  # warm-up: templates, model artifact, caches
    full = measure(clients, args.rounds)
    personal = {name: cms.slots.SLOTS[name] for name in cms.slots.TRACKED_SLOTS}
    for name in personal:
        cms.slots.SLOTS[name] = lambda member, today, personal=True: []
    try:
        bare = measure(clients, args.rounds)
    finally:
        cms.slots.SLOTS.update(personal)
    print(f"dashboard, {len(clients)} members × {args.rounds} rounds, database: {django.db.connection.vendor}")
    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}")
    for name, samples in (("with personalized slots", full), ("slots off (tier card, trips only)", bare)):
        print(f"{name:<34}{statistics.median(samples):>10.1f}{percentile(samples, 0.95):>10.1f}")
    overhead = percentile(full, 0.95) / percentile(bare, 0.95)
    print(f"personalization overhead (p95 ratio): {overhead:.2f}×")
    record("dashboard p95 (signed-in member)", percentile(full, 0.95), "ms", target=100,
           note=f"{len(clients)} members × {args.rounds} rounds, test client")
    record("personalization overhead (p95 ratio)", overhead, "×", target=1.5, note="dashboard with ÷ without personal slots")


if __name__ == "__main__":
    main()
