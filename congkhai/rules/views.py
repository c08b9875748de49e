"""Compliance arranged for reading: a supervisor's matrix, per-obligation tables, on-time rates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model.units import Unit, Units, unit_order
from .compliance import DUE_SOON_DAYS, Check, Compliance, Standing
from .obligations import Obligation, Rules

DUE = (Standing.ON_TIME, Standing.NIL, Standing.LATE, Standing.OVERDUE)


@dataclass(frozen=True)
class Matrix:
    """Subordinate units × obligations, one cell per pair: the period being judged now."""

    units: list[Unit]
    rules: list[Obligation]
    cells: dict[tuple[str, str], Check]
    row_totals: dict[str, tuple[int, int]]
    column_totals: dict[str, tuple[int, int]]
    total: tuple[int, int]


def current(checks: Iterable[Check], today: date) -> Check | None:
    """Return the check being judged now: the latest period whose deadline has passed or falls within
    the due-soon window (a standing obligation's single check)."""
    horizon = today.toordinal() + DUE_SOON_DAYS
    candidates = [c for c in checks if c.period is None or (c.deadline and c.deadline.toordinal() <= horizon)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.period.end if c.period else date.min, c.deadline or date.min))


def members_of(units: Units, code: str, today: date) -> list[Unit]:
    """Return the units `code` oversees on `today` (on its last day when it no longer exists): those it
    manages and, through the sector relation, those it guides (the Sở: the communes' schools)."""
    unit = units[code]
    day = today if unit.active_on(today) else (unit.active_until or today)
    found = [u for u in units.values()
             if u.code != code and u.active_on(day) and units.is_overseen_by(u.code, code, day)]
    return sorted(found, key=unit_order)


def matrix(compliance: Compliance, units: Units, rules: Rules, code: str) -> Matrix | None:
    """Return the matrix of `code`'s subordinates × obligations, or None when it has none."""
    members = members_of(units, code, compliance.today)
    if not members:
        return None
    by_pair: dict[tuple[str, str], list[Check]] = defaultdict(list)
    for check in compliance.checks:
        by_pair[(check.unit, check.rule.id)].append(check)
    cells: dict[tuple[str, str], Check] = {}
    for member in members:
        for rule in rules:
            now = current(by_pair.get((member.code, rule.id), []), compliance.today)
            if now is not None:
                cells[(member.code, rule.id)] = now
    used = [rule for rule in rules if any((m.code, rule.id) in cells for m in members)]

    def score(found: list[Check]) -> tuple[int, int]:
        due = [c for c in found if c.standing in DUE]
        return sum(1 for c in due if c.standing.posted), len(due)

    rows = {m.code: score([cells[(m.code, r.id)] for r in used if (m.code, r.id) in cells]) for m in members}
    columns = {r.id: score([cells[(m.code, r.id)] for m in members if (m.code, r.id) in cells]) for r in used}
    return Matrix(members, used, cells, rows, columns, score(list(cells.values())))


@dataclass(frozen=True)
class Rate:
    """The share of postings made on time for one group of checks whose deadline has passed."""

    label: str
    on_time: int
    late: int
    missing: int

    @property
    def due(self) -> int:
        """Return how many periods fell due."""
        return self.on_time + self.late + self.missing

    @property
    def percent(self) -> float:
        """Return the on-time share in percent (0 when nothing fell due)."""
        return 100.0 * self.on_time / self.due if self.due else 0.0


def rates_by_kind_and_year(compliance: Compliance, units: Units) -> list[tuple[str, list[Rate]]]:
    """Return, per unit kind, the on-time rate of each deadline year (nil returns count as on time)."""
    groups: dict[str, dict[int, Counter[Standing]]] = defaultdict(lambda: defaultdict(Counter))
    order = {}
    for check in compliance.checks:
        if check.standing not in DUE or check.deadline is None or check.period is None:
            continue
        if check.deadline >= compliance.today:
            continue  # not yet fallen due: a posting made early is counted once its deadline has passed
        unit = units[check.unit]
        label = unit.kind_label if len(unit.levels) <= 1 else "Trường liên cấp"
        order.setdefault(label, unit_order(unit))
        groups[label][check.deadline.year][check.standing] += 1
    result = []
    for label in sorted(groups, key=lambda k: order[k]):
        rates = []
        for year in sorted(groups[label]):
            counts = groups[label][year]
            rates.append(Rate(str(year), counts[Standing.ON_TIME] + counts[Standing.NIL], counts[Standing.LATE],
                              counts[Standing.OVERDUE]))
        result.append((label, rates))
    return result


def by_rule(checks: Iterable[Check], rules: Rules) -> list[tuple[Obligation, list[Check]]]:
    """Return the checks grouped by obligation, in the rules' order, newest period first."""
    grouped: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        grouped[check.rule.id].append(check)
    return [(rule, grouped[rule.id]) for rule in rules if rule.id in grouped]


def counts(checks: Iterable[Check]) -> list[tuple[Standing, int]]:
    """Return how many checks have each standing (every standing listed, zeros included)."""
    found = Counter(c.standing for c in checks)
    return [(standing, found.get(standing, 0)) for standing in Standing]
