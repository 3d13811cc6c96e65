"""A trained version's arrays, saved through Django's storage API and loaded for serving.

One `.npz` file per version (`recommender/version-<id>.npz` in the default storage):
member ids, item keys, ALS factors, the member × item history and strongest-event
matrices, popularity per home airport. `ServingModel` turns it into top-N entries.
"""

import io

import numpy as np
import scipy.sparse as sp
from django.core.files.base import ContentFile

from recommendations.training.evaluate import top_k
from recommendations.training.scorers import ALS, TIE_BREAK, Blend, OwnHistory, Popularity, _row_scaled

ANCHOR_CANDIDATES = 5  # explanations look for the nearest of the member's 5 strongest items


def _csr_arrays(prefix, matrix):
    return {f"{prefix}_data": matrix.data, f"{prefix}_indices": matrix.indices, f"{prefix}_indptr": matrix.indptr}


def _csr(arrays, prefix, shape):
    return sp.csr_matrix((arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]), shape=shape)


def save_artifact(version, *, interactions, history, strongest, popularity, als):
    buffer = io.BytesIO()
    # Uncompressed: factors and weights barely compress (67 vs 37 MB at 100,000 members) and
    # zlib took 8.6 s of a 100,000-member run; loading is 8× faster too.
    np.savez(
        buffer,
        member_ids=np.asarray(interactions.member_ids),
        item_keys=np.asarray(interactions.item_keys).astype(str),
        user_factors=als.user_factors,
        item_factors=als.item_factors,
        group_names=popularity.group_names.astype(str),
        group_of=popularity.group_of,
        popularity=popularity.by_group,
        reference_day=np.int64(interactions.reference_day),
        als_parameters=np.array([als.parameters["regularization"], als.parameters["alpha"]], dtype=np.float64),
        **_csr_arrays("history", history),
        **_csr_arrays("strongest", strongest),
    )
    version.artifact.save(f"version-{version.pk}.npz", ContentFile(buffer.getvalue()), save=False)


def _strongest_per_row(matrix, k):
    """The k largest entries of each CSR row, largest first (ties: the lower index): (indices, present)."""
    counts = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0]), counts)
    order = np.lexsort((matrix.indices, -matrix.data, row_of))
    rank = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], counts)
    keep = order[rank < k]
    indices = np.zeros((matrix.shape[0], k), dtype=np.int64)
    present = np.zeros((matrix.shape[0], k), dtype=bool)
    indices[row_of[keep], rank[rank < k]] = matrix.indices[keep]
    present[row_of[keep], rank[rank < k]] = matrix.data[keep] > 0
    return indices, present


class ServingModel:
    """What one version serves: top-N entries per member, with what explains each."""

    def __init__(self, arrays, *, strategy, share=0.5):
        self.member_ids = arrays["member_ids"]
        self.item_keys = arrays["item_keys"]
        shape = (len(self.member_ids), len(self.item_keys))
        self.history = _csr(arrays, "history", shape)
        self.strongest = _csr(arrays, "strongest", shape)
        self.popularity = Popularity.__new__(Popularity)
        self.popularity.group_names, self.popularity.group_of, self.popularity.by_group = (
            arrays["group_names"].astype(object), arrays["group_of"], arrays["popularity"])
        self.als = ALS(factors=arrays["user_factors"].shape[1], regularization=0, alpha=0, iterations=0)
        self.als.user_factors, self.als.item_factors = arrays["user_factors"], arrays["item_factors"]
        norms = np.linalg.norm(self.als.item_factors, axis=1, keepdims=True)
        self.unit_item_factors = self.als.item_factors / np.where(norms > 0, norms, 1)
        self.strategy = strategy
        self.share = float(share)
        own = OwnHistory(self.history, self.popularity)
        self.scorer = {"als": self.als, "blend": Blend(self.als, own, share), "history": own, "popularity": self.popularity}[strategy]
        # For folding in new activity (freshness) and sessions: older artifacts lack them.
        self.reference_day = int(arrays["reference_day"]) if "reference_day" in arrays else None
        regularization, alpha = arrays["als_parameters"] if "als_parameters" in arrays else (None, None)
        self.regularization, self.alpha = regularization, alpha
        self._gram = None

    @classmethod
    def load(cls, version):
        with version.artifact.open("rb") as handle:
            arrays = dict(np.load(io.BytesIO(handle.read()), allow_pickle=False))
        return cls(arrays, strategy=version.serving or "popularity", share=version.parameters.get("blend_share", 0.5))

    def row_of(self, member_id):
        row = int(np.searchsorted(self.member_ids, member_id))
        return row if row < len(self.member_ids) and self.member_ids[row] == member_id else None

    def popular_for_group(self, group, n):
        scores = self.popularity.for_group(group)
        order = np.argsort(-scores, kind="stable")[:n]
        return [(str(self.item_keys[i]), float(scores[i])) for i in order]

    def entries(self, rows, n):
        """Per member row: [(item_key, score, own_event_rank, anchor_key, anchor_event_rank)], best first."""
        rows = np.asarray(rows)
        return self.entries_for(user_factors=self.als.user_factors[rows], history=self.history[rows],
                                strongest=self.strongest[rows], popularity=self.popularity.by_group[self.popularity.group_of[rows]], n=n)

    def scores_for(self, *, user_factors, history, popularity):
        """What the serving strategy scores for members given as arrays (the scorers' formulas, row by row)."""
        if self.strategy == "popularity":
            return popularity
        history = history.toarray() if sp.issparse(history) else history
        if self.strategy == "history":
            return _row_scaled(history) + TIE_BREAK * popularity
        als = user_factors @ self.als.item_factors.T
        if self.strategy == "als":
            return als
        return self.share * _row_scaled(als) + (1 - self.share) * _row_scaled(history) + TIE_BREAK * popularity

    def fold_in(self, history):
        """ALS user factors for history rows (CSR over this model's items), the model's items held fixed.

        The exact user step of implicit's ALS (what `recalculate_user` solves, by Cholesky):
        (YᵀY + λI + Σᵢ (cᵢ − 1) yᵢyᵢᵀ) x = Σᵢ cᵢ yᵢ with confidence cᵢ = α·rᵢ.
        """
        factors = self.als.item_factors.astype(np.float64)
        if self._gram is None:
            self._gram = factors.T @ factors + float(self.regularization or 0) * np.eye(factors.shape[1])
        history = sp.csr_matrix(history)
        result = np.zeros((history.shape[0], factors.shape[1]), dtype=np.float32)
        for row in range(history.shape[0]):
            start, end = history.indptr[row], history.indptr[row + 1]
            if start == end:
                continue
            items, confidence = history.indices[start:end], float(self.alpha or 1) * history.data[start:end].astype(np.float64)
            y = factors[items]
            a = self._gram + (y.T * (confidence - 1)) @ y
            result[row] = np.linalg.solve(a, y.T @ confidence)
        return result

    def entries_for(self, *, user_factors, history, strongest, popularity, n):
        """Like `entries`, for members given as arrays (a fresh fold-in, a visitor's session)."""
        history_rows = sp.csr_matrix(history)
        history = history.toarray() if sp.issparse(history) else history
        scores = self.scores_for(user_factors=user_factors, history=history, popularity=popularity)
        top = top_k(scores, n)
        strongest = strongest.toarray() if sp.issparse(strongest) else strongest
        own = np.take_along_axis(strongest, top, axis=1)
        anchor_keys = np.full(top.shape, -1)
        if self.strategy in ("als", "blend"):
            candidates, used = _strongest_per_row(history_rows, min(ANCHOR_CANDIDATES, history.shape[1]))
            similarity = np.einsum("bnf,bhf->bnh", self.unit_item_factors[top], self.unit_item_factors[candidates])
            similarity = np.where(used[:, None, :], similarity, -np.inf)
            best = similarity.argmax(axis=2)
            found = np.isfinite(np.take_along_axis(similarity, best[:, :, None], axis=2)[:, :, 0])
            anchor_keys = np.where(found, np.take_along_axis(candidates, best, axis=1), -1)
        anchor_events = np.where(anchor_keys >= 0, np.take_along_axis(strongest, np.maximum(anchor_keys, 0), axis=1), 0)
        top_scores = np.round(np.take_along_axis(scores, top, axis=1).astype(np.float64), 5)
        keys = [str(k) for k in self.item_keys] + [""]  # index -1: no anchor
        # Plain Python lists first: building tuples from numpy scalars is several times slower.
        return [
            [(keys[item], score, event, keys[anchor], anchor_event)
             for item, score, event, anchor, anchor_event in zip(*columns)]
            for columns in zip(top.tolist(), top_scores.tolist(), own.astype(np.int64).tolist(),
                               anchor_keys.tolist(), anchor_events.astype(np.int64).tolist())
        ]
