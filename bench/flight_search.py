"""Flight search latency, in process, on the loaded demo data.

    DATABASE_URL=… .venv/bin/python bench/flight_search.py [--searches 400]

Times two things for random (route, date, cabin) searches over the full timetable:
the selector alone (`offers.search.flights_on`: query, seasons, every cabin's fare)
and the whole page (`GET /flights/?…` through Django's test client: form, airport
lookup, rendering). Prints p50 / p95 / max in milliseconds.
"""

import argparse
import datetime as dt
import os
import random
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
from django.utils import timezone  # noqa: E402

from offers.models import Route  # noqa: E402
from offers.search import flights_on  # noqa: E402



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    routes = list(Route.objects.select_related("origin", "destination"))
    if not routes:
        sys.exit("No timetable: run `manage.py load_demo` first.")
    rng = random.Random(args.seed)
    today = timezone.localdate()
    queries = [(rng.choice(routes), today + dt.timedelta(days=rng.randint(1, 300)), rng.choice(["economy", "business"]))
               for _ in range(args.searches)]

    setup_test_environment()
    client = Client()
    selector, page = [], []
    for route, day, cabin in queries[:20]:  # warm-up: imports, template compilation, connections
        flights_on(origin=route.origin, destination=route.destination, travel_date=day)
        client.get("/flights/", {"origin": route.origin_id, "destination": route.destination_id, "date": day, "cabin": cabin, "passengers": 1})
    for route, day, cabin in queries:
        t0 = time.perf_counter()
        flights_on(origin=route.origin, destination=route.destination, travel_date=day)
        selector.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        response = client.get("/flights/", {"origin": route.origin_id, "destination": route.destination_id,
                                            "date": day.isoformat(), "cabin": cabin, "passengers": 1})
        page.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200

    engine = django.db.connection.vendor
    print(f"flight search, {args.searches} random searches over {len(routes)} routes, database: {engine}")
    print(f"{'what':<28}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, samples in (("selector (flights_on)", selector), ("whole page GET /flights/", page)):
        print(f"{name:<28}{statistics.median(samples):>10.2f}{percentile(samples, 0.95):>10.2f}{max(samples):>10.2f}")
    record("flight search page p95", percentile(page, 0.95), "ms", target=20, note=f"{args.searches} searches, {engine}")


if __name__ == "__main__":
    main()
