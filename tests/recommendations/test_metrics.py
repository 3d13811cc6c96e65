"""Our metrics, checked against a 3-member example computed by hand."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from recommendations.training.evaluate import ranking_metrics, top_k


def test_metrics_on_a_hand_computed_three_member_case():
    # 6 items, k = 3.  Relevant: A {0, 2}, B {5}, C {1}.
    relevant = sp.csr_matrix(np.array([
        [1, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 0, 0],
    ], dtype=np.float32))
    recommended = np.array([
        [0, 1, 2],  # A: hits at ranks 1 and 3
        [0, 1, 2],  # B: no hit
        [3, 1, 4],  # C: hit at rank 2
    ])

    metrics = ranking_metrics(recommended, relevant, n_items=6, k=3)

    # precision = hits / k: A 2/3, B 0, C 1/3
    assert metrics["precision"] == pytest.approx((2 / 3 + 0 + 1 / 3) / 3)
    # recall = hits / relevant: A 1, B 0, C 1
    assert metrics["recall"] == pytest.approx(2 / 3)
    # NDCG: A (1 + 1/log2 4) / (1 + 1/log2 3); B 0; C (1/log2 3) / 1
    ndcg_a = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert metrics["ndcg"] == pytest.approx((ndcg_a + 0 + 1 / math.log2(3)) / 3)
    # AP: A (1/1 + 2/3) / 2; B 0; C (1/2) / 1
    assert metrics["map"] == pytest.approx(((1 + 2 / 3) / 2 + 0 + 0.5) / 3)
    # coverage: items {0, 1, 2, 3, 4} of 6
    assert metrics["coverage"] == pytest.approx(5 / 6)
    assert metrics["members"] == 3


def test_members_without_relevant_items_are_not_evaluated():
    relevant = sp.csr_matrix(np.array([[0, 1], [0, 0]], dtype=np.float32))

    metrics = ranking_metrics(np.array([[1, 0], [0, 1]]), relevant, n_items=2, k=2)

    assert metrics["members"] == 1
    assert metrics["ndcg"] == pytest.approx(1.0)


def test_top_k_is_best_first_and_breaks_ties_by_item_order():
    scores = np.array([[0.1, 0.9, 0.5, 0.9]])

    assert top_k(scores, 3).tolist() == [[1, 3, 2]]
