"""The qualification year: 1 March – last day of February (UTC days).

Status earned in the year that starts on 1 March Y is held until 31 March Y+2: the
rest of the year it was earned in, the whole next qualification year, and a grace
month. `qualification_year(d)` answers "which qualification year is D in".
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone


@dataclass(frozen=True, order=True)
class QualificationYear:
    start_year: int

    @property
    def start(self) -> date:
        return date(self.start_year, 3, 1)

    @property
    def end(self) -> date:
        """The last day of the year (28 or 29 February), inclusive."""
        return date(self.start_year + 1, 3, 1) - timedelta(days=1)

    @property
    def status_valid_until(self) -> date:
        """Status earned in this year is held up to and including this day."""
        return date(self.start_year + 2, 3, 31)

    @property
    def starts_at(self) -> datetime:
        return datetime(self.start_year, 3, 1, tzinfo=timezone.utc)

    @property
    def ends_before(self) -> datetime:
        """The first instant after the year (exclusive bound for queries)."""
        return datetime(self.start_year + 1, 3, 1, tzinfo=timezone.utc)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{str(self.start_year + 1)[-2:]}"

    def previous(self, years=1) -> "QualificationYear":
        return QualificationYear(self.start_year - years)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        return self.label


def qualification_year(day: date | datetime) -> QualificationYear:
    """The qualification year `day` falls in (a datetime is taken in UTC)."""
    if isinstance(day, datetime):
        day = day.astimezone(timezone.utc).date() if day.tzinfo else day.date()
    return QualificationYear(day.year if day.month >= 3 else day.year - 1)


def years_holding_status(on: date) -> list[QualificationYear]:
    """The qualification years whose earned status is still held on `on`.

    The current year and the one before it; in March also the one before that
    (its status runs to 31 March).
    """
    current = qualification_year(on)
    return [y for y in (current, current.previous(), current.previous(2)) if y.start <= on <= y.status_valid_until]
