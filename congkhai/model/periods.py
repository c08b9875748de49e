"""Reporting periods: a year, a quarter, the first half, nine months, or a school year."""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

ROMAN = ("I", "II", "III", "IV")


class PeriodKind(enum.Enum):
    """How a period recurs."""

    YEAR = "year"
    QUARTER = "quarter"
    HALF = "half"
    NINE = "nine"
    SCHOOL_YEAR = "school-year"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period with its first and last day."""

    start: date
    end: date
    kind: PeriodKind
    key: str

    @property
    def label(self) -> str:
        """Return the period as Vietnamese documents name it ("quý I năm 2024", "năm học 2024–2025")."""
        year = self.start.year
        if self.kind is PeriodKind.YEAR:
            return f"năm {year}"
        if self.kind is PeriodKind.QUARTER:
            return f"quý {ROMAN[(self.start.month - 1) // 3]} năm {year}"
        if self.kind is PeriodKind.HALF:
            return f"6 tháng đầu năm {year}"
        if self.kind is PeriodKind.NINE:
            return f"9 tháng đầu năm {year}"
        return f"năm học {year}–{year + 1}"

    @property
    def words(self) -> str:
        """Return the period short and in words, as a heading or a table cell shows it ("Quý III/2026",
        "9 tháng đầu năm 2026", "Năm học 2025–2026")."""
        if self.kind is PeriodKind.QUARTER:
            return f"Quý {ROMAN[(self.start.month - 1) // 3]}/{self.start.year}"
        return self.label[:1].upper() + self.label[1:]


_SHAPES = (
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    # TT 26/2026/TT-BTC names the first quarter and the first half "03 tháng", "06 tháng": the same periods
    (re.compile(r"^(\d{4})-3M$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-(?:H1|6M)$"), PeriodKind.HALF),
    (re.compile(r"^(\d{4})-9M$"), PeriodKind.NINE),
    (re.compile(r"^(\d{4})-(\d{4})$"), PeriodKind.SCHOOL_YEAR),
)
EXAMPLES = {
    PeriodKind.YEAR: "2024",
    PeriodKind.QUARTER: "2024-Q1",
    PeriodKind.HALF: "2024-H1",
    PeriodKind.NINE: "2026-9M",
    PeriodKind.SCHOOL_YEAR: "2024-2025",
}


def parse_period(text: str) -> Period | None:
    """Return the period written `text` ("2024", "2024-Q1", "2024-H1", "2024-9M", "2024-2025"; "2026-3M" and
    "2026-6M" are the first quarter and half), or None. The key is always the first spelling."""
    for shape, kind in _SHAPES:
        match = shape.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if kind is PeriodKind.SCHOOL_YEAR:
            if int(match.group(2)) != year + 1:
                return None
            return school_year(year)
        if kind is PeriodKind.QUARTER:
            return quarter(year, int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1)
        if kind is PeriodKind.HALF:
            return Period(date(year, 1, 1), date(year, 6, 30), kind, f"{year}-H1")
        if kind is PeriodKind.NINE:
            return Period(date(year, 1, 1), date(year, 9, 30), kind, text)
        return Period(date(year, 1, 1), date(year, 12, 31), kind, text)
    return None


def quarter(year: int, number: int) -> Period:
    """Return quarter `number` (1–4) of `year`."""
    last_month = 3 * number
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(date(year, last_month - 2, 1), end, PeriodKind.QUARTER, f"{year}-Q{number}")


def school_year(first: int) -> Period:
    """Return the school year from 1 September of `first` to 31 August of the next year."""
    return Period(date(first, 9, 1), date(first + 1, 8, 31), PeriodKind.SCHOOL_YEAR, f"{first}-{first + 1}")
