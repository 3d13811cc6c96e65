"""Training the recommender: matrix → split → fit → evaluate → tune → version.

- `matrix`: member × item interactions aggregated by the database (or pandas for a CSV).
- `split`: the hold-out protocol (each member's most recent active day).
- `scorers`: the models and baselines, all behind one `scores(rows)` interface.
- `evaluate`: precision, recall, NDCG, MAP at k and catalogue coverage (our own code).
- `tune`: the documented grid, on a validation split carved out of the training part.
- `pipeline`: one run end to end, saved as a `ModelVersion` and activated atomically.

docs/recommender.md describes the protocol and the numbers.
"""
