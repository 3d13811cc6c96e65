"""The Celery app, for a test worker whose first training run stops before activation.

`celery -A tests.portal.slow_training_worker worker …` with WAYFARE_TEST_TRAINING_MARKER
set: the first run to reach `precompute` (the new version is trained and saved, not yet
active) writes "<pid> <version id>" to that file and sleeps, so the test can SIGKILL
it there. Later runs (the marker exists) go straight on. Everything else is the real code.
"""

import os
import time

from celery.signals import task_prerun

from portal.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_down_the_first_precompute(**kwargs):
    from recommendations import serving

    if getattr(serving.precompute, "slowed", False):
        return
    real = serving.precompute

    def precompute(version, **options):
        marker = os.environ["WAYFARE_TEST_TRAINING_MARKER"]
        if not os.path.exists(marker):
            with open(marker + ".tmp", "w") as f:
                f.write(f"{os.getpid()} {version.pk}")
            os.rename(marker + ".tmp", marker)
            time.sleep(float(os.environ.get("WAYFARE_TEST_TRAINING_SLEEP", "120")))
        return real(version, **options)

    precompute.slowed = True
    serving.precompute = precompute
