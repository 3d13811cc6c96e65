"""The loyalty programme: tiers, the points ledger, qualification years, recalculation.

Models live in `members.loyalty.models` and are re-exported by `members.models`.
Services: `ledger` (post_flight, post_points, adjust), `tiers` (recalculate_tiers,
what_if, update_tier). The rules are written down in docs/loyalty.md.
"""
