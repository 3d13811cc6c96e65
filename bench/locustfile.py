"""Locust users for bench/http_load.py: signed-in members who reload their dashboard.

Each simulated member takes one of the session cookies http_load.py prepared (in the
file named by BENCH_SESSIONS) so no log-in form, password hashing or log-in rate limit
is part of what is measured. Any answer but 200 counts as a failure.
"""

import itertools
import os
from pathlib import Path

from locust import HttpUser, constant, task

SESSIONS = itertools.cycle(Path(os.environ["BENCH_SESSIONS"]).read_text().split())


class SignedInMember(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("sessionid", next(SESSIONS))

    @task
    def dashboard(self):
        with self.client.get("/", name="dashboard", catch_response=True) as response:
            if response.status_code != 200 or "tier-card" not in response.text:
                response.failure(f"{response.status_code}: not a member's dashboard")
