"""The models and baselines, all behind `scores(rows) -> array [len(rows), items]`.

- `Popularity`: how many members of the member's group (home airport) used each item.
- `OwnHistory`: the member's own decayed interaction weights (what they did most,
  most recently); popularity breaks ties and fills the rest of the list.
- `ALS`: implicit's alternating least squares, CPU, BLAS held to one thread.
- `Blend`: share × ALS + (1 − share) × own history, each scaled to [0, 1] per member.

A tiny popularity term (1e-6) in the personal scorers keeps lists full and stable.
"""

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

TIE_BREAK = 1e-6


def _row_scaled(scores):
    peak = np.abs(scores).max(axis=1, keepdims=True)
    return scores / np.where(peak > 0, peak, 1.0)


class Popularity:
    name = "popularity"

    def __init__(self, matrix, groups=None):
        n_members = matrix.shape[0]
        groups = np.full(n_members, "", dtype=object) if groups is None else np.asarray(groups, dtype=object)
        self.group_names, self.group_of = np.unique(groups.astype(str), return_inverse=True)
        indicator = sp.csr_matrix((np.ones(n_members), (self.group_of, np.arange(n_members))), shape=(len(self.group_names), n_members))
        used = matrix.copy()
        used.data = np.ones_like(used.data)
        counts = np.asarray((indicator @ used).todense(), dtype=np.float64)
        overall = counts.sum(axis=0, keepdims=True)
        # Within the group first; the whole membership breaks ties and covers small groups.
        self.by_group = _row_scaled(counts) + TIE_BREAK * _row_scaled(overall)

    def scores(self, rows):
        return self.by_group[self.group_of[rows]]

    def top_k(self, rows, k):
        from recommendations.training.evaluate import top_k

        return top_k(self.by_group, k)[self.group_of[rows]]

    def for_group(self, group):
        where = np.flatnonzero(self.group_names == group)
        return self.by_group[where[0]] if len(where) else _row_scaled(self.by_group.sum(axis=0, keepdims=True))[0]


class OwnHistory:
    name = "history"

    def __init__(self, matrix, popularity):
        self.matrix = matrix
        self.popularity = popularity

    def scores(self, rows):
        return _row_scaled(self.matrix[rows].toarray()) + TIE_BREAK * self.popularity.scores(rows)


class ALS:
    name = "als"

    def __init__(self, *, factors, regularization, alpha, iterations, threads=0, seed=2013):
        self.parameters = {"factors": int(factors), "regularization": float(regularization), "alpha": float(alpha), "iterations": int(iterations)}
        self.threads = threads
        self.seed = seed
        self.user_factors = self.item_factors = None

    def fit(self, matrix, callback=None, start_from=None):
        """Fit on `matrix`; `start_from` (an ALS fitted on the same shape) warm-starts from its factors."""
        from implicit.cpu.als import AlternatingLeastSquares

        # implicit's own advice: one BLAS thread, its own threads do the parallel work
        # (the constructor checks it, hence inside the block).
        with threadpool_limits(limits=1, user_api="blas"):
            model = AlternatingLeastSquares(**self.parameters, num_threads=self.threads, random_state=self.seed)
            if start_from is not None and start_from.user_factors.shape[0] == matrix.shape[0] \
                    and start_from.item_factors.shape[0] == matrix.shape[1]:
                model.user_factors = np.array(start_from.user_factors, dtype=np.float32)
                model.item_factors = np.array(start_from.item_factors, dtype=np.float32)
            model.fit(matrix, show_progress=False, callback=callback)
        self.user_factors = np.asarray(model.user_factors)
        self.item_factors = np.asarray(model.item_factors)
        return self

    def scores(self, rows):
        return self.user_factors[rows] @ self.item_factors.T


class Blend:
    name = "blend"

    def __init__(self, als, history, share):
        self.als, self.history, self.share = als, history, float(share)

    def scores(self, rows):
        return (
            self.share * _row_scaled(self.als.scores(rows))
            + (1 - self.share) * _row_scaled(self.history.matrix[rows].toarray())
            + TIE_BREAK * self.history.popularity.scores(rows)
        )
