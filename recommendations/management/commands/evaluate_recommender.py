"""`manage.py evaluate_recommender [--dataset PATH.csv] [--json]`: the recommender's numbers, for analysts."""

import json

from django.core.management.base import BaseCommand, CommandError

MODELS = ("popularity", "history", "als", "blend")
METRICS = ("precision", "recall", "ndcg", "map", "coverage")


class Command(BaseCommand):
    help = (
        "Without --dataset: the active model version's test-day metrics (precision, recall, NDCG, MAP at 10, "
        "catalogue coverage) for ALS, the ALS + own-history blend and both baselines (most popular near home, "
        "own history), as stored by its training run, and what it serves. With --dataset PATH.csv (columns "
        "user,item,event,timestamp; events weighted by RECOMMENDER_EVENT_WEIGHTS, unknown events weigh "
        "nothing, a `dismiss` event removes that user × item pair): the same split, tuning and evaluation as a "
        "training run, on that file only. The database is not read or written. --json prints machine-readable "
        "output. See docs/recommender.md for the protocol."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", metavar="PATH.csv", help="evaluate on this file instead of showing the active version")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--no-tune", action="store_true", help="with --dataset: RECOMMENDER_ALS as it is, no grid")
        parser.add_argument("--threads", type=int, default=None, help="ALS threads (default RECOMMENDER_THREADS)")

    def handle(self, *args, dataset, json, no_tune, threads, **options):
        result = self._dataset(dataset, tune=not no_tune, threads=threads, quiet=json) if dataset else self._active()
        if json:
            self.stdout.write(_dumps(result))
        else:
            self._table(result)

    def _active(self):
        from recommendations.models import ModelVersion

        version = ModelVersion.objects.filter(is_active=True).first()
        if version is None:
            raise CommandError("no active recommender version: run `manage.py train_recommender` first")
        return {"source": f"version {version.pk}", "version": version.pk, "trained_at": version.created_at.isoformat(),
                "counts": version.data_counts, "parameters": version.parameters, "metrics": version.metrics,
                "serving": version.serving, "verdict": version.verdict}

    def _dataset(self, path, *, tune, threads, quiet):
        from django.conf import settings

        from recommendations.models import ModelVersion
        from recommendations.training.matrix import interactions_from_csv
        from recommendations.training.pipeline import evaluate_all

        try:
            interactions = interactions_from_csv(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        counts = interactions.counts
        if not counts["members"] or not counts["items"]:
            raise CommandError(f"{path}: no interactions with a positive weight")
        progress = None if quiet else self.stdout.write
        if progress:
            progress(f"{path}: {counts['members']} users × {counts['items']} items, {counts['member_item_days']} user·item·days")
        threads = settings.RECOMMENDER_THREADS if threads is None else threads
        parameters, share, metrics, tuning = evaluate_all(interactions, tune=tune, threads=threads, progress=progress)
        unsaved = ModelVersion(metrics=metrics)  # the activation rule, without the database
        return {"source": path, "counts": counts, "parameters": {**parameters, "blend_share": share}, "metrics": metrics,
                "tuning": tuning, "serving": unsaved.decide_serving(), "verdict": unsaved.verdict}

    def _table(self, result):
        metrics = result["metrics"]
        protocol = metrics.get("protocol", {})
        self.stdout.write(f"\n{result['source']}: test day of {protocol.get('members', '?')} members "
                          f"(hold-out: {protocol.get('holdout', '?')})")
        self.stdout.write(f"{'model':<12}{'P@10':>8}{'R@10':>8}{'NDCG@10':>9}{'MAP@10':>8}{'cover':>7}")
        for name in MODELS:
            row = metrics.get(name)
            if row:
                mark = "  ← serves" if name == result["serving"] else ""
                self.stdout.write(f"{name:<12}" + "".join(f"{row[m]:>{w}.4f}" for m, w in zip(METRICS, (8, 8, 9, 8, 7))) + mark)
        best_model = max((metrics[n]["ndcg"], n) for n in ("als", "blend") if n in metrics)
        for baseline in ("popularity", "history"):
            if baseline in metrics and metrics[baseline]["ndcg"]:
                self.stdout.write(f"best model ({best_model[1]}) ÷ {baseline}: NDCG@10 {best_model[0] / metrics[baseline]['ndcg']:.2f}×")
        self.stdout.write(result["verdict"])


def _dumps(value):
    return json.dumps(value, indent=2, sort_keys=True, default=str)
