"""One time-ordered timeline per member of everything the portal knows happened (operational CRM).

Sources
-------
A timeline *source* is one kind of entry (sign-ins, searches, trips, claims, service
cases, tier changes, e-mails sent …): a queryset of one member's rows, the field that
dates them, and how a row reads as an `Entry`. members registers its own sources in
`members/timeline/member_sources.py`.

**The hook for higher apps** (members imports nothing above it): an app that holds rows
about a member defines a module `<app>/timeline.py` that calls
`members.timeline.register(Source(...))` at import. Those modules are imported once, the
first time a timeline is read (`django.utils.module_loading.autodiscover_modules`, as
Django's admin finds `admin.py`). Contract: `rows(member)` returns a QuerySet filtered to
that member (never another's); `entry(row)` returns an `Entry` whose `url` is a page the
member may open (or ""); `kind` is unique; sources must not raise for a member with no rows.

`member_timeline(member, kinds=..., before=..., per_page=...)` merges the sources newest
first with keyset paging: a page is read as "the `per_page` newest entries at or before the
cursor", so each source is read at most `per_page + 1` rows deep (plus ties) on any page —
an old page costs what the first one does, and a crafted cursor cannot force a deep read.
The cursor is `<ISO time>~<n>`: the time of the last entry shown and how many entries at
exactly that time were shown already (the merge order is deterministic, so ties are never
shown twice or skipped). One COUNT per source gives the total.
"""

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice

from django.utils.dateparse import parse_datetime
from django.utils.module_loading import autodiscover_modules

PER_PAGE = 25
MAX_TIES = 1000  # a cursor can skip at most this many entries of one instant


@dataclass(frozen=True)
class Entry:
    kind: str
    at: datetime
    title: str
    detail: str = ""
    url: str = ""
    key: str = ""  # "<kind>:<row id>", set by the source: unique on the timeline


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    rows: Callable
    at_field: str
    entry: Callable
    order: int = 100
    extra: dict = field(default_factory=dict)

    def latest(self, member, limit, until=None):
        rows = self.rows(member)
        if until is not None:
            rows = rows.filter(**{f"{self.at_field}__lte": until})
        return [replace(self.entry(row), key=f"{self.kind}:{row.pk}")
                for row in rows.order_by(f"-{self.at_field}", "-pk")[:limit]]


_SOURCES: dict[str, Source] = {}
_discovered = False


def register(source: Source) -> Source:
    """Add a timeline source (see the module docstring for the contract). Re-registering a kind replaces it."""
    _SOURCES[source.kind] = source
    return source


def sources() -> dict[str, Source]:
    """Every registered source, in display order (members' own, then the higher apps')."""
    global _discovered
    if not _discovered:
        from members.timeline import member_sources  # noqa: F401 - registers members' own sources

        autodiscover_modules("timeline")
        _discovered = True
    return dict(sorted(_SOURCES.items(), key=lambda item: (item[1].order, item[0])))


@dataclass
class TimelinePage:
    entries: list
    total: int
    next_cursor: str | None  # "older": None on the last page
    is_first: bool


def parse_cursor(value):
    """`(instant, n)` from a cursor string, or None for anything that is not one (the first page)."""
    at, _sep, ties = (value or "").partition("~")
    try:
        instant = parse_datetime(at)
    except ValueError:
        return None
    if instant is None or instant.tzinfo is None or not ties.isdigit() or int(ties) > MAX_TIES:
        return None
    return instant, int(ties)


def member_timeline(member, *, kinds=None, before=None, per_page=PER_PAGE) -> TimelinePage:
    """One page of `member`'s timeline, newest first, from the cursor `before` (None: the newest);
    `kinds` narrows it to those sources (unknown kinds are ignored)."""
    chosen = [s for s in sources().values() if not kinds or s.kind in kinds]
    cursor = parse_cursor(before)
    until, skip = cursor or (None, 0)
    total = sum(s.rows(member).count() for s in chosen)
    streams = [s.latest(member, per_page + skip + 1, until=until) for s in chosen]
    merged = heapq.merge(*streams, key=lambda e: e.at, reverse=True)
    if skip:  # entries at the cursor's instant that the previous page showed
        merged = islice(merged, skip, None)
    entries = list(islice(merged, per_page + 1))
    more, entries = len(entries) > per_page, entries[:per_page]
    next_cursor = None
    if more and entries:
        last = entries[-1].at
        ties = sum(1 for e in entries if e.at == last) + (skip if last == until else 0)
        next_cursor = f"{last.isoformat()}~{ties}"
    return TimelinePage(entries=entries, total=total, next_cursor=next_cursor, is_first=cursor is None)
