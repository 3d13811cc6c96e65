"""One training run end to end, as a service: `train(...)` → a `ModelVersion`.

1. Aggregate the interactions (database), split off each member's last active day
   (test) and, inside the rest, the last day before it (validation).
2. Tune ALS on validation (optional), pick the blend share.
3. Evaluate ALS, the blend and both baselines on the test day, same members.
4. Fit the chosen ALS on all data, save the artifact, precompute top-N in the cache.
5. Activate atomically: the model serves if it beats the best baseline on NDCG@10,
   else that baseline does (`ModelVersion.serving`). Keep the last N versions.

Any exception marks the version failed and is re-raised; the previous version stays
active and serving, because activation is the last step and one transaction.
"""

import logging
import time

from django.conf import settings
from django.utils import timezone

from recommendations.training.evaluate import evaluate_scorer, evaluation_members, tuning_sample
from recommendations.training.matrix import interactions_from_database
from recommendations.training.scorers import ALS, Blend, OwnHistory, Popularity
from recommendations.training.split import last_day_split, relevant_matrix
from recommendations.training.tune import tune as tune_grid

log = logging.getLogger(__name__)


def _say(progress, message):
    if progress:
        progress(message)
    else:
        log.info("recommender: %s", message)


def evaluate_all(interactions, *, tune=True, threads=0, progress=None, fitted=None):
    """Split, (tune), evaluate every model and baseline. Returns (als parameters, blend share, metrics, tuning).

    `fitted`, a dict, receives the evaluated ALS (fitted on the training part) under "als".
    """
    als_defaults = dict(settings.RECOMMENDER_ALS)
    train_mask, test_mask = last_day_split(interactions)
    relevant = relevant_matrix(interactions, test_mask)
    members = evaluation_members(relevant, settings.RECOMMENDER_EVAL_MAX_MEMBERS)
    train = interactions.matrix(train_mask)
    tuning = {}
    parameters = {k: als_defaults[k] for k in ("factors", "regularization", "alpha")}
    share = 0.5
    if tune and settings.RECOMMENDER_TUNING_GRID:
        fit_mask, validation_mask = last_day_split(interactions, train_mask)
        validation = relevant_matrix(interactions, validation_mask)
        fit_matrix = interactions.matrix(fit_mask)
        groups = interactions.groups
        # At scale the grid runs on a seeded sample of members (their rows only), fewer sweeps a fit.
        sample = tuning_sample(fit_matrix.shape[0], getattr(settings, "RECOMMENDER_TUNING_MAX_MEMBERS", 5_000))
        if sample is not None:
            fit_matrix, validation = fit_matrix[sample], validation[sample]
            groups = None if groups is None else groups[sample]
        iterations = getattr(settings, "RECOMMENDER_TUNING_ITERATIONS", 5) or als_defaults["iterations"]
        val_popularity = Popularity(fit_matrix, groups)
        _say(progress, f"tuning on the validation day of {fit_matrix.shape[0]} members"
                       f"{' (a sample)' if sample is not None else ''}, {iterations} iterations a fit")
        parameters, share, tuning = tune_grid(
            train=fit_matrix, relevant=validation,
            members=evaluation_members(validation, getattr(settings, "RECOMMENDER_TUNING_EVAL_MEMBERS", 2_500)),
            history=OwnHistory(fit_matrix, val_popularity), grid=settings.RECOMMENDER_TUNING_GRID,
            iterations=iterations, blend_shares=settings.RECOMMENDER_BLEND_WEIGHTS,
            threads=threads, progress=progress,
        )
        tuning["members"], tuning["iterations"] = int(fit_matrix.shape[0]), int(iterations)
    _say(progress, f"evaluating on the test day: {len(members)} members, {train.nnz} training entries")
    popularity = Popularity(train, interactions.groups)
    history = OwnHistory(train, popularity)
    als = ALS(**parameters, iterations=als_defaults["iterations"], threads=threads).fit(train)
    if fitted is not None:
        fitted["als"] = als
    metrics = {}
    for scorer in (popularity, history, als, Blend(als, history, share)):
        metrics[scorer.name] = evaluate_scorer(scorer, relevant, members)
        _say(progress, f"  {scorer.name:<10} " + "  ".join(f"{k} {v:.4f}" for k, v in metrics[scorer.name].items() if k != "members"))
    metrics["protocol"] = {"holdout": "each member's last active day", "k": 10, "members": int(len(members)),
                           "filter_already_used": False}
    return parameters, share, metrics, tuning


def train(*, tune=True, progress=None, precompute_progress=None, threads=None):
    """Train, evaluate, save and (by the activation rule) activate a new version."""
    from recommendations.artifacts import save_artifact
    from recommendations.models import ModelVersion, prune_versions
    from recommendations.serving import forget_models, precompute

    threads = settings.RECOMMENDER_THREADS if threads is None else threads
    started = time.perf_counter()
    version = ModelVersion.objects.create(status=ModelVersion.Status.TRAINING)
    try:
        _say(progress, "aggregating activity in the database")
        interactions = interactions_from_database()
        counts = interactions.counts
        if not counts["members"] or not counts["items"]:
            raise ValueError("no activity to train on")
        _say(progress, f"  {counts['members']} members × {counts['items']} items, {counts['member_item_days']} member·item·days")
        evaluated = {}
        parameters, share, metrics, tuning = evaluate_all(interactions, tune=tune, threads=threads, progress=progress,
                                                          fitted=evaluated)

        # The served model: ALS on all data, warm-started from the evaluated one (same parameters,
        # fitted on everything but the test day) for RECOMMENDER_REFIT_ITERATIONS sweeps; None: a fresh fit.
        refit = getattr(settings, "RECOMMENDER_REFIT_ITERATIONS", 5)
        iterations = refit or settings.RECOMMENDER_ALS["iterations"]
        _say(progress, f"fitting ALS on all data {parameters}, {iterations} iterations" + (" from the evaluated model" if refit else ""))
        full = interactions.matrix()
        popularity = Popularity(full, interactions.groups)
        als = ALS(**parameters, iterations=iterations, threads=threads).fit(full, start_from=evaluated["als"] if refit else None)
        als.parameters["iterations"] = settings.RECOMMENDER_ALS["iterations"]
        version.parameters = {**als.parameters, "blend_share": share, "refit_iterations": refit, "half_life_days": settings.RECOMMENDER_HALF_LIFE_DAYS,
                              "event_weights": settings.RECOMMENDER_EVENT_WEIGHTS}
        version.data_counts = {**counts, "entries": int(full.nnz)}
        version.metrics, version.tuning = metrics, tuning
        save_artifact(version, interactions=interactions, history=full, strongest=interactions.strongest_matrix(),
                      popularity=popularity, als=als)
        version.status = ModelVersion.Status.READY
        version.serving = version.decide_serving()
        version.note = version.verdict
        version.finished_at = timezone.now()
        version.duration_seconds = round(time.perf_counter() - started, 3)
        version.save()

        _say(progress, f"precomputing top-{settings.RECOMMENDER_TOP_N} lists ({version.serving})")
        forget_models()
        precompute(version, progress=precompute_progress)
        version.activate()
        _say(progress, f"version {version.pk} active: {version.verdict}")
    except BaseException as error:
        ModelVersion.objects.filter(pk=version.pk).update(
            status=ModelVersion.Status.FAILED, note=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now(),
            duration_seconds=round(time.perf_counter() - started, 3),
        )
        if version.artifact:
            version.delete_artifact()
        raise
    try:
        prune_versions()
    except Exception:  # noqa: BLE001 - the new version serves; old files wait for the next run
        log.exception("recommender: pruning old versions failed")
    return version
