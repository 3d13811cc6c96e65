"""`manage.py train_recommender`: train, evaluate against the baselines, activate by the rule."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Train the recommender from members' activity, now, in this process: aggregate the "
        "interactions in the database, hold out each member's last active day, tune implicit "
        "ALS on a validation day (the grid in RECOMMENDER_TUNING_GRID), evaluate ALS, the "
        "ALS + own-history blend and two baselines (most popular near home, own history) with "
        "precision, recall, NDCG and MAP at 10 and catalogue coverage, fit on all data, cache "
        "every member's top-N and activate the version. The model serves only if it beats the "
        "best baseline on NDCG@10; otherwise that baseline serves. See docs/recommender.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-tune", action="store_true", help="use RECOMMENDER_ALS as it is instead of the tuning grid")
        parser.add_argument("--threads", type=int, default=None, help="ALS threads (default: RECOMMENDER_THREADS, 0 = all cores)")

    def handle(self, *args, no_tune, threads, verbosity, **options):
        from recommendations.training.pipeline import train

        quiet = verbosity < 1
        bar = {}

        def precompute_progress(done, total):
            if quiet:
                return
            if "bar" not in bar:
                bar["bar"] = tqdm(total=total, desc="  top-N lists", unit="members", file=self.stdout._out)
            bar["bar"].update(done - bar["bar"].n)
            if done >= total:
                bar.pop("bar").close()

        try:
            version = train(
                tune=not no_tune, threads=threads,
                progress=None if quiet else self.stdout.write, precompute_progress=precompute_progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            if "bar" in bar:
                bar["bar"].close()
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"{'model':<12}{'P@10':>8}{'R@10':>8}{'NDCG@10':>9}{'MAP@10':>8}{'cover':>7}")
        for name in ("popularity", "history", "als", "blend"):
            m = version.metrics[name]
            self.stdout.write(f"{name:<12}{m['precision']:>8.4f}{m['recall']:>8.4f}{m['ndcg']:>9.4f}{m['map']:>8.4f}{m['coverage']:>7.2f}")
        self.stdout.write(self.style.SUCCESS(
            f"Version {version.pk} active in {version.duration_seconds:.1f} s: {version.verdict}"
        ))
