"""Customer value, as the CRM texts teach it (docs/loyalty.md, "Customer value").

- `sources`: the registry of resource-need sources. Apps above members (offers) hand
  in what serving a member cost them, as a database aggregate, without members
  importing them.
- `scoring`: demand value, resource need, relative value, rank, RFM scores and
  segments, lifetime value — computed by the database in a few set-based statements
  and stored as one `CustomerValue` row per member (`refresh`).
"""

