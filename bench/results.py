"""One line per figure, for `make bench` (bench/run_all.py) to gather into its table.

A benchmark script calls `record(...)` for each headline figure; when the environment
names a results file (BENCH_RESULTS, set by run_all.py) the figure is appended to it as
a JSON line, otherwise nothing happens and the script's own table is all there is.
"""

import json
import os
import time


def record(figure, value, unit, *, target=None, lower_is_better=True, note=""):
    """Append one figure. `target` is the issue's bound (None: reported, not judged)."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    row = {"figure": figure, "value": value, "unit": unit, "target": target,
           "lower_is_better": lower_is_better, "note": note}
    with open(path, "a", encoding="utf-8") as results:
        results.write(json.dumps(row) + "\n")


def percentile(samples, share):
    """The sample at `share` (0.95 → p95) of the sorted samples (nearest rank, no interpolation)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(fn, *args):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


class Rollback(Exception):
    """Raised inside `transaction.atomic()` to leave the benchmark's database as it was."""
