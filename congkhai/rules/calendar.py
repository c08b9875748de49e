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

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# The days that are not working days in each year, by the `holidays` package: made from the package
# once and then kept in the build cache (use_table_file), because importing the package and building
# a year of it costs about 0.1 CPU second, a sixteenth of a one-document rebuild at 3,000 documents.
_OFF_DAYS: dict[int, frozenset[date]] = {}


@dataclass
class _TableFile:
    """Where the years' days off are kept (None: in memory only) and the key they are kept under."""

    path: Path | None = None
    key: str = ""


_TABLE = _TableFile()


def use_table_file(path: Path | None) -> None:
    """Keep the years' days off in `path` (a JSON file in the build cache; None: in memory only),
    under a key made of the `holidays` package's version and Vietnamese calendar, so that another
    version of the package makes the table again."""
    _OFF_DAYS.clear()
    _TABLE.path, _TABLE.key = None, ""
    spec = importlib.util.find_spec("holidays") if path is not None else None  # found, not imported
    if spec is None or not spec.origin:
        return
    folder = Path(spec.origin).parent
    try:
        sources = [(folder / name).read_bytes() for name in ("version.py", "countries/vietnam.py")]
    except OSError:
        return
    _TABLE.path, _TABLE.key = path, hashlib.sha256(b"calendar-v1\0" + b"\0".join(sources)).hexdigest()
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(held, dict) and held.get("key") == _TABLE.key and isinstance(held.get("years"), dict):
        for year, days in held["years"].items():
            _OFF_DAYS[int(year)] = frozenset(date.fromordinal(d) for d in days)


def _off_days(year: int) -> frozenset[date]:
    """Return the days of `year` that are not working days by the `holidays` package (weekends but
    làm bù Saturdays, public holidays, announced days off)."""
    found = _OFF_DAYS.get(year)
    if found is None:
        import holidays

        country = holidays.country_holidays("VN", years=year)
        first = date(year, 1, 1)
        days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
        found = _OFF_DAYS[year] = frozenset(day for day in days if not country.is_working_day(day))
        _save_table()
    return found


def _save_table() -> None:
    path = _TABLE.path
    if path is None:
        return
    data = {"key": _TABLE.key, "years": {str(year): sorted(d.toordinal() for d in days)
                                             for year, days in sorted(_OFF_DAYS.items())}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a cache: the next build makes the year again


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
        return day not in _off_days(day.year)

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
