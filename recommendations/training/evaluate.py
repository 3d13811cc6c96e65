"""Ranking metrics at k, our own implementation (checked by hand in the tests).

For each evaluated member with R relevant held-out items and the model's top-k list:

- precision@k = hits / k (k, not min(k, R): a short relevant list caps precision);
- recall@k = hits / R;
- NDCG@k = Σ hit_i / log2(i + 1) over ranks i = 1..k, divided by the same sum for
  the ideal list (min(R, k) hits at the top);
- AP@k = Σ precision@i · hit_i / min(R, k); MAP@k is its mean;
- catalogue coverage = distinct items in anyone's top-k / items in the catalogue.

Nothing is filtered out of the top-k (items the member already used stay in), unlike
`implicit.evaluation.ranking_metrics_at_k`, which always removes them and divides
precision by min(k, R). Members with no relevant item are not evaluated.
"""

import numpy as np

K = 10
BATCH = 2048


def top_k(scores, k=K):
    """Indices of the k best items per row, best first (ties: the lower index first)."""
    k = min(k, scores.shape[1])
    # The k largest from the top end of the partition (2.5× faster than partitioning -scores), on
    # the columns reversed so that, like before, equal scores at the cut favour the lower index.
    n = scores.shape[1]
    part = n - 1 - np.argpartition(scores[:, ::-1], n - k, axis=1)[:, n - k:]
    order = np.lexsort((part, -np.take_along_axis(scores, part, axis=1)), axis=1)
    return np.take_along_axis(part, order, axis=1)


def ranking_metrics(recommended, relevant, n_items, k=K):
    """Metrics for `recommended` [members, ≤k] item indices against binary `relevant` rows (CSR)."""
    recommended = np.asarray(recommended)[:, :k]
    n_relevant = np.asarray(relevant.sum(axis=1)).ravel()
    keep = n_relevant > 0
    recommended, n_relevant = recommended[keep], n_relevant[keep]
    relevant = relevant[np.flatnonzero(keep)]
    if not len(recommended):
        return {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0, "coverage": 0.0, "members": 0}
    hits = np.vstack([
        np.take_along_axis(relevant[start:start + BATCH].toarray(), recommended[start:start + BATCH], axis=1)
        for start in range(0, len(recommended), BATCH)
    ]) > 0
    width = hits.shape[1]
    discounts = 1.0 / np.log2(np.arange(2, width + 2))
    dcg = (hits * discounts).sum(axis=1)
    ideal = np.cumsum(discounts)[np.minimum(n_relevant, width).astype(int) - 1]
    precision_at_i = np.cumsum(hits, axis=1) / np.arange(1, width + 1)
    average_precision = (precision_at_i * hits).sum(axis=1) / np.minimum(n_relevant, k)
    return {
        "precision": float((hits.sum(axis=1) / k).mean()),
        "recall": float((hits.sum(axis=1) / n_relevant).mean()),
        "ndcg": float((dcg / ideal).mean()),
        "map": float(average_precision.mean()),
        "coverage": float(len(np.unique(recommended)) / n_items) if n_items else 0.0,
        "members": int(len(recommended)),
    }


def evaluate_scorer(scorer, relevant, members=None, k=K):
    """Score `members` (row indices; default: those with relevant items) and compute the metrics."""
    if members is None:
        members = np.flatnonzero(np.diff(relevant.indptr) > 0)
    ranked = getattr(scorer, "top_k", None)  # popularity: one list per group, not per member
    recommended = (ranked(members, k) if ranked else np.vstack([
        top_k(scorer.scores(members[s:s + BATCH]), k) for s in range(0, len(members), BATCH)
    ])) if len(members) else np.zeros((0, k), int)
    return ranking_metrics(recommended, relevant[members], relevant.shape[1], k)


def evaluation_members(relevant, limit, seed=2013):
    """The members to evaluate: all with a held-out item, or a seeded sample of `limit`."""
    members = np.flatnonzero(np.diff(relevant.indptr) > 0)
    if limit and len(members) > limit:
        members = np.sort(np.random.default_rng(seed).choice(members, limit, replace=False))
    return members


def tuning_sample(n_members, limit, seed=2013):
    """Sorted rows of a seeded sample of `limit` members for the tuning grid; None: all of them."""
    if not limit or n_members <= limit:
        return None
    return np.sort(np.random.default_rng(seed).choice(n_members, limit, replace=False))
