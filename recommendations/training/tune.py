"""Tuning: the grid in `RECOMMENDER_TUNING_GRID`, scored by NDCG@10 on the validation day.

The grid is small on purpose (2 × 3 × 3 = 18 fits by default): regularization and
alpha move ALS the most, and the right corner differs between data sets (alpha 1 with
regularization 10 is in it, because on real repeat-purchase data that corner beat
the usual alpha 10–40 with low regularization). Ties go to the earlier grid point.
The blend share is then picked from `RECOMMENDER_BLEND_WEIGHTS` with the best ALS.
"""

import itertools

from recommendations.training.evaluate import evaluate_scorer
from recommendations.training.scorers import ALS, Blend


def grid_points(grid):
    keys = sorted(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def tune(*, train, relevant, members, history, grid, iterations, blend_shares, threads=0, progress=None):
    """Best ALS parameters and blend share on (train → relevant); returns (params, share, table)."""
    table = []
    best = None
    points = grid_points(grid)
    for number, point in enumerate(points, 1):
        model = ALS(**point, iterations=iterations, threads=threads).fit(train)
        metrics = evaluate_scorer(model, relevant, members)
        table.append({**point, "ndcg": metrics["ndcg"]})
        if best is None or metrics["ndcg"] > best[1]:
            best = (point, metrics["ndcg"], model)
        if progress:
            progress(f"  grid {number}/{len(points)} {point} NDCG@10 {metrics['ndcg']:.4f}")
    point, _score, model = best
    shares = []
    for share in blend_shares:
        shares.append((evaluate_scorer(Blend(model, history, share), relevant, members)["ndcg"], -share, share))
    best_share = max(shares)[2] if shares else 0.5
    if progress:
        progress(f"  blend share of ALS: {best_share} ({', '.join(f'{s}: {n:.4f}' for n, _, s in shares)})")
    return point, best_share, {"grid": table, "blend": [{"share": s, "ndcg": n} for n, _, s in shares]}
