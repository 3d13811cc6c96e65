"""The hold-out protocol: each member's most recent active day.

For every member, the entries of their **last active day** (UTC) form the test set;
everything before is training. Members active on one day only have nothing to hold
out: they stay in training and are not evaluated. The relevant items of a member are
the items of their held-out day with a positive weight. Held-out items the member
had already used before are kept: members fly the same routes again, so a
recommender must be allowed to recommend them (see docs/recommender.md).

Tuning repeats the same split inside the training part: the last active day before
the test day is the validation day, so the grid never sees the test set.
"""

import numpy as np
import scipy.sparse as sp


def last_day_split(interactions, mask=None):
    """(train_mask, test_mask) over the interaction entries selected by `mask`."""
    n = len(interactions.rows)
    mask = np.ones(n, bool) if mask is None else mask
    rows, days = interactions.rows, interactions.days
    last = np.full(interactions.shape[0], -1, dtype=np.int64)
    np.maximum.at(last, rows[mask], days[mask])
    test = mask & (days == last[rows])
    train = mask & ~test
    trained = np.zeros(interactions.shape[0], bool)
    trained[rows[train]] = True
    single_day = test & ~trained[rows]  # nothing before their last day: nothing to hold out
    return train | single_day, test & ~single_day


def relevant_matrix(interactions, test_mask):
    """Binary CSR of held-out items with a positive total weight on the held-out day."""
    values = interactions.weights[test_mask]
    matrix = sp.coo_matrix(
        (values, (interactions.rows[test_mask], interactions.cols[test_mask])), shape=interactions.shape
    ).tocsr()
    matrix.sum_duplicates()
    matrix.data = (matrix.data > 0).astype(np.float32)
    matrix.eliminate_zeros()
    return matrix
