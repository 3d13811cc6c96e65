"""Recommender benchmark on the loaded demo data: serving latency, quality, training overhead.

    DATABASE_URL=… [REDIS_URL=…] .venv/bin/python bench/recommender.py [--calls 2000] [--train] [--overhead] [--oracle]

- serving: p50 / p95 / max of `recommendations.serve(member, "route", 10)` for members
  with a model list — warm (list in the cache) and cold (cache emptied before each call,
  artifact already in process memory) — plus the first call of a process (artifact load);
- quality: the active version's test-day NDCG@10 (and P/R/MAP, coverage) for what it
  serves against both baselines, as stored by its training run (same split, same members);
- `--overhead`: a whole `train(tune=False)` run from the database against a bare
  implicit fit on the same matrix with the same parameters, and peak memory (RSS).
- `--oracle` (demo data): the best possible ranking, the generator's own preferences, scored
  on the same split (how far 1.5× most-popular is from reachable).
`--train` trains first (with tuning) when you want fresh numbers.
"""

import argparse
import os
import resource
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from bench.results import record, timed  # noqa: E402
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402

from members.models import Member  # noqa: E402
from recommendations import serve  # noqa: E402
from recommendations.models import ModelVersion  # noqa: E402
from recommendations.serving import forget_models, serving_model  # noqa: E402
from recommendations.training import pipeline  # noqa: E402


def percentiles(samples):
    ms = sorted(s * 1000 for s in samples)
    return ms[len(ms) // 2], ms[int(len(ms) * 0.95) - 1], ms[-1]



def oracle(version):
    """Demo data only: NDCG@10 of ranking by each member's true route preference, the one the
    demo generator draws every session from (offers/demo/members.py) — no recommender can do
    better in expectation — against popularity, own history and ALS on the same split and members."""
    from datetime import datetime

    from offers.demo.loader import network_from_timetable
    from offers.demo.members import BLOCK_SIZE, generate_block, index_from_email
    from recommendations.training.evaluate import evaluate_scorer, evaluation_members
    from recommendations.training.matrix import interactions_from_database
    from recommendations.training.scorers import ALS, OwnHistory, Popularity
    from recommendations.training.split import last_day_split, relevant_matrix

    network, interactions = network_from_timetable(), interactions_from_database()
    column = {key: i for i, key in enumerate(interactions.item_keys)}
    emails = dict(Member.objects.filter(pk__in=[int(i) for i in interactions.member_ids]).values_list("pk", "email"))
    preference, known, blocks = np.zeros(interactions.shape), np.zeros(interactions.shape[0], bool), {}
    for row, member_id in enumerate(interactions.member_ids):
        index = index_from_email(emails.get(int(member_id), ""))
        if index is None:  # the named demo accounts: not drawn from a preference vector
            continue
        if index // BLOCK_SIZE not in blocks:
            blocks[index // BLOCK_SIZE] = generate_block(2013, index // BLOCK_SIZE, network, datetime(2026, 6, 30))
        block = blocks[index // BLOCK_SIZE]
        position = index % BLOCK_SIZE
        for destination, weight in enumerate(block["preference"][position]):
            key = "route:" + network.route_ref(block["home"][position], destination) if weight > 0 else None
            if key in column:
                preference[row, column[key]] = weight
        known[row] = True

    class Oracle:
        def scores(self, rows):
            return preference[rows]

    train_mask, test_mask = last_day_split(interactions)
    relevant = relevant_matrix(interactions, test_mask)
    members = evaluation_members(relevant, 0)
    members = members[known[members]]
    train = interactions.matrix(train_mask)
    popularity = Popularity(train, interactions.groups)
    p = {k: version.parameters[k] for k in ("factors", "regularization", "alpha", "iterations")}
    scorers = {"popularity": popularity, "history": OwnHistory(train, popularity),
               "als": ALS(**p, threads=settings.RECOMMENDER_THREADS).fit(train), "oracle": Oracle()}
    ndcg = {name: evaluate_scorer(scorer, relevant, members)["ndcg"] for name, scorer in scorers.items()}
    print(f"\noracle (demo seed 2013, as of 2026-06-30 assumed), {len(members)} generated members on their test day")
    for name, value in ndcg.items():
        print(f"{name:<12}NDCG@10 {value:.4f}  {value / ndcg['popularity']:.2f}× most-popular")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--overhead", action="store_true")
    parser.add_argument("--oracle", action="store_true",
                        help="demo data: also score the generator's true preferences (the best possible ranking)")
    args = parser.parse_args()

    if args.train or not ModelVersion.objects.filter(is_active=True).exists():
        print("training (with tuning) …", flush=True)
        pipeline.train(tune=True)
    version = ModelVersion.objects.get(is_active=True)
    cache = caches[settings.RECOMMENDER_CACHE]
    forget_models()
    model_ids = serving_model(version.pk).member_ids
    rng = np.random.default_rng(1)
    ids = [int(i) for i in rng.choice(model_ids, min(args.calls, len(model_ids)), replace=False)]
    members = list(Member.objects.filter(pk__in=ids))
    rng.shuffle(members)

    forget_models()
    cache.clear()
    first, _ = timed(serve, members[0], "route", 10)
    for m in members:  # fill the cache
        serve(m, "route", 10)
    warm = [timed(serve, m, "route", 10)[0] for m in members]
    cold = []
    for m in members:
        cache.clear()
        cold.append(timed(serve, m, "route", 10)[0])
    served = serve(members[0], "route", 10)
    assert served and not served[0].is_fallback, "the benchmark members should get model lists"

    backend = settings.CACHES[settings.RECOMMENDER_CACHE]["BACKEND"].rsplit(".", 1)[-1]
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nserving ({len(members)} members, {db}, cache {backend}, version {version.pk} serving {version.serving})")
    print(f"{'case':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, samples in (("warm cache", warm), ("cold cache (artifact in memory)", cold)):
        p50, p95, top = percentiles(samples)
        print(f"{name:<34}{p50:>9.3f}{p95:>9.3f}{top:>9.3f}")
    print(f"{'first call of a process':<34}{first * 1000:>9.1f}")
    record("serve() p95, warm cache", percentiles(warm)[1], "ms", target=2, note=f"{len(members)} members")
    record("serve() p95, cold cache", percentiles(cold)[1], "ms", target=20, note="artifact in memory")

    m = version.metrics
    print(f"\nquality on the test day ({m['protocol']['members']} members, hold-out: {m['protocol']['holdout']})")
    print(f"{'model':<12}{'P@10':>8}{'R@10':>8}{'NDCG@10':>9}{'MAP@10':>8}{'cover':>7}")
    for name in ("popularity", "history", "als", "blend"):
        row = m[name]
        mark = "  ← serves" if name == version.serving else ""
        print(f"{name:<12}{row['precision']:>8.4f}{row['recall']:>8.4f}{row['ndcg']:>9.4f}{row['map']:>8.4f}{row['coverage']:>7.2f}{mark}")
    s = m[version.serving]["ndcg"]
    print(f"served / most-popular NDCG@10: {s / m['popularity']['ndcg']:.2f}×   served / own-history: {s / m['history']['ndcg']:.2f}×")
    record("served NDCG@10 ÷ most-popular", s / m["popularity"]["ndcg"], "×", target=1.5, lower_is_better=False,
           note=f"served '{version.serving}', test day of {m['protocol']['members']} members")
    print(f"parameters: {version.parameters.get('factors')} factors, regularization {version.parameters.get('regularization')}, "
          f"alpha {version.parameters.get('alpha')}, blend share {version.parameters.get('blend_share')}")

    if args.oracle:
        oracle(version)

    if args.overhead:
        from recommendations.training.matrix import interactions_from_database
        from recommendations.training.scorers import ALS

        whole, new = timed(lambda: pipeline.train(tune=False))
        full = interactions_from_database().matrix()
        p = {k: new.parameters[k] for k in ("factors", "regularization", "alpha", "iterations")}
        bare, _ = timed(lambda: ALS(**p, threads=settings.RECOMMENDER_THREADS).fit(full))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\ntraining without tuning: whole pipeline {whole:.1f} s, bare implicit fit {bare:.1f} s "
              f"→ {whole / bare:.2f}×; matrix {full.shape[0]}×{full.shape[1]}, {full.nnz} entries; peak RSS {peak:.0f} MiB")
        record("training pipeline ÷ bare implicit fit", whole / bare, "×",
               note=f"{whole:.1f} s vs {bare:.1f} s; {full.shape[0]}×{full.shape[1]}, {full.nnz:,} entries")


if __name__ == "__main__":
    main()
