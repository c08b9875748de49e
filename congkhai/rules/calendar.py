"""Working days and time limits as Vietnamese law counts them.

- A time limit counted in days starts the day after the event (Bộ luật Dân sự 2015, Điều 147 khoản 2
  và 3, text) and ends at the end of its last day (Điều 148 khoản 1).
- When the last day is a weekend or public holiday, the limit ends at the end of the next working
  day (Điều 148 khoản 5, text). Whether that also moves a fixed calendar date ("trước ngày 30 tháng 6")
  is not said by the code: each rule says so (`moves`), fixed dates do not move by default.
- Working days: Monday to Friday, less the public holidays of Bộ luật Lao động 2019 Điều 112 (Tết and
  Giỗ Tổ by the lunar calendar) and the civil service's announced day swaps (a làm bù Saturday is a
  working day, the swapped weekday is not), as the maintained `holidays` package (pinned in
  requirements.txt) publishes them. A portal adds or removes days with `days_off` / `working_days`
  in its settings when a year's announcement differs from the package (e.g. 24/11, "Ngày Văn hóa Việt
  Nam", which the package observes from 2026 on a basis not yet verified).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=None)
def _country(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar of working days, with the portal's own corrections."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def with_changes(cls, days_off: Iterable[date] = (), working_days: Iterable[date] = ()) -> WorkCalendar:
        """Return the official calendar with extra days off and extra working days."""
        return cls(frozenset(days_off), frozenset(working_days))

    def is_working_day(self, day: date) -> bool:
        """Return True on a working day: a weekday that is not a holiday or swapped day off, or a
        Saturday the civil service works (làm bù)."""
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return _country(day.year).is_working_day(day)

    def add_working_days(self, start: date, count: int) -> date:
        """Return the `count`-th working day after `start` (the day of `start` is not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """Return `day`, or the first working day after it when it is a day off."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


OFFICIAL = WorkCalendar()


def is_working_day(day: date) -> bool:
    """Return True on a working day of the official calendar."""
    return OFFICIAL.is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """Return the `count`-th working day after `start` on the official calendar."""
    return OFFICIAL.add_working_days(start, count)


def next_working_day(day: date) -> date:
    """Return `day` or the next working day on the official calendar."""
    return OFFICIAL.next_working_day(day)
