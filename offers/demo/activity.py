"""Demo members' activity history: `ActivityEvent` rows on routes (generated data).

Members plan trips in *sessions*. Per member the number of sessions over the 18
months before `as_of` is Poisson with a gamma-distributed rate (mean: the segment's
`sessions`; shape 2, so some members are much busier than others). A session is
about one route from the member's home airport, drawn from the member's personal
preference, and holds, in this order and a couple of minutes apart:

- 1 + Poisson(0.5) searches,
- Poisson(1.6) views,
- a save with the segment's `save_rate` and a booking with its `book_rate`, both only
  in sessions with at least one view.

That funnel gives about 3.4 events per session and ~25–35 events per member, most of
them searches and views. The session's day follows the segment's month and weekday
weights, its time the segment's hour bands (UTC, the demo does not model the member's
clock). Sessions never fall before the member joined: those that would are moved
uniformly between `date_joined` and `as_of`. Every event: kind "route", ref
"JFK-LAX", channel "demo", and an `event_id` drawn from the seeded generator too.
"""

import numpy as np

from offers.demo import segments

WINDOW_DAYS = 548  # ~18 months
SEARCHES_EXTRA_MEAN = 0.5
VIEWS_MEAN = 1.6
SECONDS_BETWEEN_EVENTS = 120
EVENT_NAMES = np.array(["search", "view", "save", "book"])


def _day_weights(as_of):
    """[segment, day] probabilities over the window's days (oldest first), and the first day."""
    first = np.datetime64(as_of, "D") - WINDOW_DAYS
    days = first + np.arange(WINDOW_DAYS)
    months = days.astype("datetime64[M]").astype(int) % 12
    weekdays = (days.astype(int) - 4) % 7  # 1970-01-01 was a Thursday (ISO 4 → index 3)
    weights = np.array([np.array(s.months)[months] * np.array(s.weekdays)[weekdays] for s in segments.SEGMENTS])
    return np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True), first


def generate_activity(*, rng, segment, preference, date_joined, as_of):
    """Events for members with the given segment [n], preference [n, destination] and
    date_joined [n] (datetime64[s]). Returns (member position, destination, event name,
    occurred_at datetime64[s]) arrays, ordered by member and time within each session.
    """
    n = len(segment)
    segs = segments.SEGMENTS
    mean_sessions = np.array([s.sessions for s in segs])[segment]
    sessions = rng.poisson(rng.gamma(2.0, mean_sessions / 2.0))
    member = np.repeat(np.arange(n), sessions)
    count = len(member)

    cumulative = np.cumsum(preference, axis=1)
    destination = (cumulative[member] < rng.random(count)[:, None]).sum(axis=1)
    destination = np.minimum(destination, preference.shape[1] - 1)

    day_cdf, first_day = _day_weights(as_of)
    hour_cdf = np.cumsum([s.hours for s in segs], axis=1)
    hour_cdf /= hour_cdf[:, -1:]
    seg = segment[member]
    day = np.empty(count, dtype=int)
    band = np.empty(count, dtype=int)
    u_day, u_band = rng.random(count), rng.random(count)
    for k in range(len(segs)):
        mine = seg == k
        day[mine] = np.minimum(np.searchsorted(day_cdf[k], u_day[mine]), WINDOW_DAYS - 1)
        band[mine] = np.minimum(np.searchsorted(hour_cdf[k], u_band[mine]), 5)
    seconds = band * 14400 + rng.integers(0, 14400, count)
    start = first_day.astype("datetime64[s]") + day.astype("timedelta64[D]") + seconds.astype("timedelta64[s]")

    end = np.datetime64(as_of, "s") - np.timedelta64(2, "h")
    joined = date_joined[member]
    span = (end - joined).astype(float)
    late = rng.random(count)
    start = np.where(start < joined, joined + (late * span).astype("timedelta64[s]"), start)
    start = np.minimum(start, end)

    searches = 1 + rng.poisson(SEARCHES_EXTRA_MEAN, count)
    views = rng.poisson(VIEWS_MEAN, count)
    viewed = views > 0
    saves = (viewed & (rng.random(count) < np.array([s.save_rate for s in segs])[seg])).astype(int)
    books = (viewed & (rng.random(count) < np.array([s.book_rate for s in segs])[seg])).astype(int)
    per_session = searches + views + saves + books

    session = np.repeat(np.arange(count), per_session)
    offsets = np.cumsum(per_session) - per_session
    position = np.arange(len(session)) - offsets[session]
    kind = np.select(
        [position < searches[session], position < (searches + views)[session], position < (searches + views + saves)[session]],
        [0, 1, 2],
        3,
    )
    jitter = rng.integers(0, SECONDS_BETWEEN_EVENTS - 30, len(session))
    occurred = start[session] + (position * SECONDS_BETWEEN_EVENTS + jitter).astype("timedelta64[s]")
    return member[session], destination[session], EVENT_NAMES[kind], occurred


_HEX = np.array(list("0123456789abcdef"))


def event_ids(rng, count):
    """`count` random version-4 UUIDs as 32-digit hex strings, drawn from `rng` (so seeded)."""
    raw = rng.integers(0, 256, (count, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = np.empty((count, 32), dtype="<U1")
    digits[:, 0::2], digits[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 0x0F]
    return np.ascontiguousarray(digits).view("<U32").ravel()
