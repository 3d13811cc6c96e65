"""`make bench`: every benchmark in bench/, one table of figures against their targets.

    .venv/bin/python bench/run_all.py [--members 100000] [--quick]

Uses the database in DATABASE_URL; without one it creates (once) a PostgreSQL database
`wayfare_bench` on 127.0.0.1 when PostgreSQL answers, else a SQLite file under var/.
It loads the demo data at `--members` (safe to re-run: a loaded database takes seconds),
then runs each script (recommender.py trains first when no model is active) in turn (its own
tables go to var/bench/<script>.log) and prints one table: figure, value, target, and
the machine. The same table is written to var/bench/last.md for the README.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable

# (script, arguments): the order puts the slow ones last.
SCRIPTS = [
    ("flight_search.py", ["--searches", "400"]),
    ("recommender.py", ["--calls", "2000", "--overhead"]),
    ("dashboard.py", ["--members", "50", "--rounds", "4"]),
    ("tiers.py", ["--repeat", "1"]),
    ("http_load.py", ["--users", "16", "--seconds", "30"]),
]


def database_url():
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if shutil.which("pg_isready") and subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "wayfare_bench"], stderr=subprocess.DEVNULL)
        return "postgres://postgres@127.0.0.1:5432/wayfare_bench"
    return f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"


def manage(env, *arguments):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def verdict(row):
    if row["target"] is None:
        return "—"
    ok = row["value"] <= row["target"] if row["lower_is_better"] else row["value"] >= row["target"]
    return "ok" if ok else "MISSED"


def table(rows, header):
    lines = [header, "", "| figure | value | target | | note |", "| --- | ---: | ---: | --- | --- |"]
    for row in rows:
        sign = "≤" if row["lower_is_better"] else "≥"
        target = f"{sign} {row['target']:g} {row['unit']}" if row["target"] is not None else ""
        lines.append(f"| {row['figure']} | {row['value']:.3g} {row['unit']} | {target} | {verdict(row)} | {row['note']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000, help="demo members to load (the issues' targets are at 100,000)")
    parser.add_argument("--quick", action="store_true", help="fewer samples and a shorter load test (a smoke run)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = OUT / "results.jsonl"
    results.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url(), "BENCH_RESULTS": str(results), "PYTHONUNBUFFERED": "1"}
    engine = env["DATABASE_URL"].split(":", 1)[0]
    started = time.monotonic()
    print(f"== database {engine}, {args.members:,} demo members", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--members", str(args.members))
    failed = []
    for script, arguments in SCRIPTS:
        if args.quick:
            arguments = quick(script, arguments)
        log = OUT / f"{Path(script).stem}.log"
        print(f"== {script} {' '.join(arguments)}  (log: {log.relative_to(ROOT)})", flush=True)
        with log.open("w") as output:
            done = subprocess.run([PYTHON, str(ROOT / "bench" / script), *arguments], cwd=ROOT, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
        if done.returncode:
            failed.append(script)
            print(f"   FAILED (exit {done.returncode}); the end of its log:\n" + "\n".join(log.read_text().splitlines()[-15:]))
    rows = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    header = (f"Benchmarks on {time.strftime('%Y-%m-%d')}: {engine}, {args.members:,} demo members; "
              f"machine: {machine()}; {time.monotonic() - started:.0f} s in all")
    report = table(rows, header)
    (OUT / "last.md").write_text(report + "\n")
    print("\n" + report)
    if failed:
        sys.exit(f"\nfailed: {', '.join(failed)}")


def quick(script, arguments):
    smaller = {"--searches": "60", "--calls": "200", "--members": "10", "--rounds": "1", "--seconds": "5", "--users": "4"}
    return [smaller.get(previous, value) if previous in smaller else value
            for previous, value in zip([None, *arguments], arguments)]


if __name__ == "__main__":
    main()
