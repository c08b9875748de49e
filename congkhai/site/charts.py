"""Bar charts that tell the truth, as data for the templates (drawn as SVG, no script): every bar of a
chart on one scale from zero, each bar's length proportional to its value, up to two series side by
side (plan and execution, target and result), a missing value said in words instead of drawn, and
the figures written beside the bars. Every chart on the portal sits next to the table of its
figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

SCALE = 1000  # a bar's length in the SVG's units: the track is SCALE long
MISSING = "chưa có số liệu"


@dataclass(frozen=True)
class Bar:
    """One value of one series: its length on the track (None: no value), and its text."""

    series: str
    value: Decimal | None
    length: int | None
    text: str
    tone: int  # 1 = the first series (plan, target), 2 = the second (execution, result)


@dataclass(frozen=True)
class Group:
    """The bars of one row of the table (a budget line, a year)."""

    label: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart: its title (also its accessible name), series names and groups of bars."""

    title: str
    series: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def summary(self) -> str:
        """Return the chart in one sentence for screen readers ("Năm 2025: mục tiêu 92%, kết quả 94,1%; …")."""
        parts = []
        for group in self.groups:
            values = ", ".join(f"{b.series.lower()} {b.text}" if len(self.series) > 1 else b.text for b in group.bars)
            parts.append(f"{group.label}: {values}")
        return "; ".join(parts) + "."


Row = tuple[str, Sequence[Decimal | None]] | tuple[str, Sequence[Decimal | None], Sequence[str]]


def bar_chart(title: str, series: Sequence[str], rows: Sequence[Row], text: Callable[[Decimal], str],
              least_top: Decimal | int = 0) -> Chart:
    """Return the chart of `rows` ((label, one value per series[, the text of each value])); the scale runs
    from zero to the largest value (at least `least_top`, e.g. 100 for percentages). Negative values draw
    no bar."""
    values = [v for row in rows for v in row[1] if v is not None]
    top = max([Decimal(least_top), *values])
    groups = []
    for label, row, *texts in rows:
        bars = []
        for index, (name, value) in enumerate(zip(series, row)):
            if value is None:
                bars.append(Bar(name, None, None, MISSING, index + 1))
                continue
            length = int((max(value, Decimal(0)) * SCALE / top).to_integral_value()) if top > 0 else 0
            bars.append(Bar(name, value, length, texts[0][index] if texts else text(value), index + 1))
        groups.append(Group(label, tuple(bars)))
    return Chart(title, tuple(series), tuple(groups))
