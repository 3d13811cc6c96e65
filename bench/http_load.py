"""HTTP throughput of the dashboard for signed-in members, over gunicorn on loopback.

    DATABASE_URL=… [REDIS_URL=…] .venv/bin/python bench/http_load.py [--users 16] [--seconds 30] [--workers 4]

Starts gunicorn (4 sync workers by default, DEBUG off) on a free loopback port against
the database in DATABASE_URL, prepares one session per demo member (sessions written
through Django's session store, so no log-in form is timed), and runs Locust headless:
every simulated member reloads `/` with no think time. Prints requests per second,
p50/p95 and the error rate. Locust comes with `pip install -e '.[bench]'` (make bench).
The load generator shares the machine's cores with the server: on a 2-core machine the
figure is a floor, not a ceiling.
"""

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from bench.results import record  # noqa: E402
from members.models import Member  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signed_in_sessions(count):
    """Session keys of `count` demo members, as a log-in would have stored them."""
    members = list(Member.objects.filter(is_active=True, is_staff=False, email__endswith="@members.example").order_by("pk")[:count])
    if not members:
        sys.exit("No demo members: run `manage.py load_demo` first.")
    keys = []
    for member in members:
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def wait_until_serving(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before serving")
        try:
            urllib.request.urlopen(url + "/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer on {url} within {seconds} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=16, help="simulated members reloading at once")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()
    locust = shutil.which("locust", path=str(Path(sys.executable).parent))
    if not locust:
        sys.exit("Locust is not installed: pip install -e '.[bench]' (make bench does it)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="wayfare-http-") as work:
        sessions = Path(work) / "sessions.txt"
        sessions.write_text("\n".join(signed_in_sessions(max(args.users * 4, 50))))
        env = {**os.environ, "DEBUG": "false", "BENCH_SESSIONS": str(sessions)}
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            cwd=ROOT, env=env)
        try:
            wait_until_serving(url, server)
            for _ in range(args.workers * 3):  # warm every worker: imports, templates, model artifact
                urllib.request.urlopen(url + "/health/", timeout=10)
            prefix = Path(work) / "locust"
            subprocess.run(
                [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                 "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s", "--host", url,
                 "--csv", str(prefix), "--loglevel", "WARNING"],
                cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
            with open(f"{prefix}_stats.csv", newline="") as stats:
                total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
        finally:
            server.terminate()
            server.wait(timeout=30)
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    rate = float(total["Requests/s"])
    errors = failures / requests if requests else 1.0
    print(f"dashboard over gunicorn ({args.workers} workers), {args.users} members reloading for {args.seconds} s, "
          f"database: {django.db.connection.vendor}")
    print(f"{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>10}")
    print(f"{requests:>10}{rate:>10.1f}{total['50%']:>10}{total['95%']:>10}{errors:>10.2%}")
    record("dashboard throughput over gunicorn", rate, "req/s", lower_is_better=False,
           note=f"{args.workers} workers, {args.users} members, {requests:,} requests, p95 {total['95%']} ms")
    record("dashboard error rate under load", errors * 100, "%", target=0.1,
           note=f"{failures} of {requests:,} requests failed")


if __name__ == "__main__":
    main()
