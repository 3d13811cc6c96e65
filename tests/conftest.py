"""Shared fixtures: the demo-like accounts by name, the services helper, test settings.

Services
--------
`@pytest.mark.services("postgres", "redis", "worker")` marks a test that needs a real
service (no argument: PostgreSQL and Redis). When one is not configured (DATABASE_URL
not PostgreSQL, REDIS_URL unset) the test is skipped with the reason on a laptop and
FAILS under CI=true, so CI can never pass by skipping what it was meant to check.
A test can also ask in its body: `services.require("redis")`.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test.utils import override_settings

from tests.factories import TEST_PASSWORD, EditorFactory, MemberFactory

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# --- test settings ---------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Fast hashing, e-mail kept in memory, a cache key prefix of this run's own."""
    caches_setting = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for config in caches_setting.values():
        # Several engineers (and CI) share one Redis: keep this run's keys apart.
        config["KEY_PREFIX"] = f"wayfare-test-{os.getpid()}"
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CACHES=caches_setting,
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and used TOTP codes live in the cache: every test starts with none."""
    _clear_cache()
    yield
    _clear_cache()


def _clear_cache():
    """Every cache alias: the recommender's keeps per-member state keyed by id, and ids come round again."""
    for alias in settings.CACHES:
        cache = caches[alias]
        try:
            if hasattr(cache, "delete_pattern"):  # django-redis: only this run's keys
                cache.delete_pattern("*")
            else:
                cache.clear()
        except Exception:  # noqa: BLE001 - a test that breaks the cache on purpose cleans up after itself
            pass


@pytest.fixture(autouse=True)
def _fresh_recommender_memory():
    """The recommender keeps models, routes and popularity in process memory: no test inherits another's."""
    from recommendations import serving
    from recommendations.eligibility import forget_routes

    serving.forget_models()
    serving._popular.clear()
    forget_routes()
    yield


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process even when REDIS_URL points at a broker.

    For behaviour that does not depend on delivery; delivery by a real worker is tested
    in tests/members/test_activity.py.
    """
    from portal.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


# --- services --------------------------------------------------------------------------------


def _missing(name):
    """Why the service `name` cannot be used in this run, or None when it can."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if name == "postgres":
        return None if "postgresql" in engine else "PostgreSQL is not configured (set DATABASE_URL=postgres://…)"
    if name == "redis":
        return None if settings.REDIS_URL else "Redis is not configured (set REDIS_URL=redis://…)"
    if name == "redis-server":
        return None if shutil.which("redis-server") else "redis-server is not installed"
    if name == "worker":
        # The worker is another process: it needs the broker and a database it can see.
        return _missing("postgres") or _missing("redis") or (
            None if shutil.which("celery", path=str(Path(sys.executable).parent)) else "the celery command is not installed"
        )
    raise ValueError(f"unknown service {name!r}: use postgres, redis, worker or redis-server")


class Services:
    """Skip (laptop) or fail (CI=true) when a service a test needs is not configured."""

    def require(self, *names):
        reasons = [reason for reason in map(_missing, names or ("postgres", "redis")) if reason]
        if not reasons:
            return
        message = "needs real services: " + "; ".join(reasons)
        if IN_CI:
            pytest.fail(f"{message} (CI=true: services tests must run, not skip)", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def services():
    return Services()


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("services")
    if marker is not None:
        Services().require(*marker.args)


# --- accounts by name ------------------------------------------------------------------------


@pytest.fixture
def password():
    """The password every factory-made account signs in with."""
    return TEST_PASSWORD


@pytest.fixture
def member(db):
    """Ada, a member from New York with a verified e-mail."""
    return MemberFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace", home_airport="JFK")


@pytest.fixture
def other_member(db):
    """Grace, another member: what is Ada's must not be Grace's."""
    return MemberFactory(email="grace@example.com", first_name="Grace", last_name="Hopper", home_airport="LGA")


@pytest.fixture
def editor(db):
    """Edith, a content editor in Wagtail's Editors group."""
    return EditorFactory(email="edith@example.com", first_name="Edith", last_name="Editor")


@pytest.fixture
def member_client(client, member):
    """A browser signed in as `member`."""
    client.force_login(member)
    return client


# --- a real Celery worker --------------------------------------------------------------------


def database_url_for_other_processes():
    """A DATABASE_URL at the database this test run uses (pytest-django's test database)."""
    from django.db import connection

    db = connection.settings_dict
    credentials = db["USER"] or ""
    if db.get("PASSWORD"):
        credentials += f":{db['PASSWORD']}"
    host = f"{credentials}@" if credentials else ""
    return f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start `celery -A portal worker -Q default,training --pool=solo` on the test database.

    The test's rows must be committed for the worker to see them, hence
    `transactional_db`. Yields the worker's node name; terminates it afterwards.
    """
    Services().require("worker")
    from portal.celery import app

    node = f"pytest-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_other_processes(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "CONN_MAX_AGE": "0",
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)
    celery = str(Path(sys.executable).parent / "celery")
    process = subprocess.Popen(
        [celery, "-A", "portal", "worker", "-Q", "default,training", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", node, "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        hostname = node.replace("%h", socket.gethostname())
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the Celery worker did not start:\n{Path(log.name).read_text()[-4000:]}")
        yield hostname
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)


# --- a Redis of the test's own, to stop and start ------------------------------------------


class ThrowawayRedis:
    """`redis-server` on a free port, no persistence: a test may SIGKILL it and start it again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            Services().require("redis-server")  # skip (laptop) or fail (CI) with the reason
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("redis-server did not start")
            time.sleep(0.05)

    def kill(self):
        """SIGKILL, as an out-of-memory killer or a crashed host would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def throwaway_redis():
    redis = ThrowawayRedis().start()
    yield redis
    redis.kill()


# --- a Celery worker a test may kill ---------------------------------------------------------


def descendants(pid):
    """The ids of `pid`'s child processes and theirs, read from Linux's /proc (no psutil needed)."""
    found, parents = [], [pid]
    while parents:
        parent = parents.pop()
        try:
            tasks = Path(f"/proc/{parent}/task").iterdir()
            children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            children = []
        found += children
        parents += children
    return found


class WorkerProcess:
    """A `celery worker` subprocess on the test database; `kill()` sends SIGKILL to it (and its children)."""

    def __init__(self, process, hostname, log_path):
        self.process, self.hostname, self.log_path = process, hostname, log_path

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def kill(self):
        children = descendants(self.process.pid)
        self.process.send_signal(signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """`start_worker(app=…, pool=…, concurrency=…, env={…})` → a running WorkerProcess; all stopped afterwards.

    Like `celery_worker_process`, but the test chooses the app module, the pool and extra
    environment (e.g. CELERY_VISIBILITY_TIMEOUT), and may SIGKILL the worker.
    """
    Services().require("worker")
    from portal.celery import app as celery_app

    started = []

    def start(app="portal", pool="solo", concurrency=1, env=None, queues="default,training"):
        node = f"pytest-{uuid.uuid4().hex[:8]}@%h"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url_for_other_processes(),
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "CONN_MAX_AGE": "0",
            **(env or {}),
        }
        log_path = tmp_path / f"worker-{len(started)}.log"
        celery = str(Path(sys.executable).parent / "celery")
        process = subprocess.Popen(
            [celery, "-A", app, "worker", "-Q", queues, f"--pool={pool}", f"--concurrency={concurrency}",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", node, "--loglevel=INFO"],
            cwd=ROOT, env=environment, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
        )
        worker = WorkerProcess(process, node.replace("%h", socket.gethostname()), log_path)
        started.append(worker)
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[worker.hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the Celery worker did not start:\n{worker.log()[-4000:]}")
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def site_tree(transactional_db):
    """The home page and default site from cms's migration, made again when a transactional test's flush removed them.

    (pytest-django runs transactional tests last; each flushes the tables after itself.)
    """
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=HomePage(title="Wayfare", slug="home", locale=locale, headline="Fly further with Wayfare"))
        Site.objects.update_or_create(is_default_site=True, defaults={
            "hostname": "localhost", "port": 80, "site_name": "Wayfare", "root_page": home})
    return home
