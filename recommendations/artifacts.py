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
from recommendations.training.scorers import ALS, Blend, OwnHistory, Popularity

ANCHOR_CANDIDATES = 5  # explanations look for the nearest of the member's 5 strongest items


def _csr_arrays(prefix, matrix):
    return {f"{prefix}_data": matrix.data, f"{prefix}_indices": matrix.indices, f"{prefix}_indptr": matrix.indptr}


def _csr(arrays, prefix, shape):
    return sp.csr_matrix((arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]), shape=shape)


def save_artifact(version, *, interactions, history, strongest, popularity, als):
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        member_ids=np.asarray(interactions.member_ids),
        item_keys=np.asarray(interactions.item_keys).astype(str),
        user_factors=als.user_factors,
        item_factors=als.item_factors,
        group_names=popularity.group_names.astype(str),
        group_of=popularity.group_of,
        popularity=popularity.by_group,
        **_csr_arrays("history", history),
        **_csr_arrays("strongest", strongest),
    )
    version.artifact.save(f"version-{version.pk}.npz", ContentFile(buffer.getvalue()), save=False)


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
        own = OwnHistory(self.history, self.popularity)
        self.scorer = {"als": self.als, "blend": Blend(self.als, own, share), "history": own, "popularity": self.popularity}[strategy]

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
        scores = self.scorer.scores(rows)
        top = top_k(scores, n)
        strongest = self.strongest[rows].toarray()
        own = np.take_along_axis(strongest, top, axis=1)
        anchor_keys = np.full(top.shape, -1)
        if self.strategy in ("als", "blend"):
            history = self.history[rows].toarray()
            candidates = top_k(history, min(ANCHOR_CANDIDATES, history.shape[1]))
            used = np.take_along_axis(history, candidates, axis=1) > 0
            similarity = np.einsum("bnf,bhf->bnh", self.unit_item_factors[top], self.unit_item_factors[candidates])
            similarity = np.where(used[:, None, :], similarity, -np.inf)
            best = similarity.argmax(axis=2)
            found = np.isfinite(np.take_along_axis(similarity, best[:, :, None], axis=2)[:, :, 0])
            anchor_keys = np.where(found, np.take_along_axis(candidates, best, axis=1), -1)
        anchor_events = np.where(anchor_keys >= 0, np.take_along_axis(strongest, np.maximum(anchor_keys, 0), axis=1), 0)
        top_scores = np.take_along_axis(scores, top, axis=1)
        keys = self.item_keys
        return [
            [
                (str(keys[item]), round(float(score), 5), int(event), str(keys[anchor]) if anchor >= 0 else "", int(anchor_event))
                for item, score, event, anchor, anchor_event in zip(top[b], top_scores[b], own[b], anchor_keys[b], anchor_events[b])
            ]
            for b in range(len(rows))
        ]
