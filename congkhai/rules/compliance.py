"""Compliance: for every unit, every obligation that binds it and every period up to "today", one
status — on time, late, nil return, overdue, due soon or not yet due — with the posting and deadline."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..kinds import tai_chinh, thu_tuc
from ..model.documents import Document, Status
from ..model.periods import Period
from ..model.problems import Problems, describe
from ..model.units import Unit, Units
from .obligations import Obligation, Rules, RuleVersion, Schedule, due_date, event_date

DUE_SOON_DAYS = 30


class Standing(enum.Enum):
    """One period's status, with its Vietnamese name and a symbol readable without colour."""

    ON_TIME = ("dung-han", "Đúng hạn", "✓")
    LATE = ("muon", "Đăng muộn", "◷")
    NIL = ("khong-phat-sinh", "Không phát sinh", "○")
    OVERDUE = ("qua-han", "Quá hạn", "✗")
    DUE_SOON = ("sap-den-han", "Sắp đến hạn", "!")
    NOT_YET_DUE = ("chua-den-han", "Chưa đến hạn", "…")

    def __init__(self, key: str, label: str, symbol: str) -> None:
        self.key = key
        self.label = label
        self.symbol = symbol

    @property
    def posted(self) -> bool:
        """Return True when a posting fulfilled the period."""
        return self in (Standing.ON_TIME, Standing.LATE, Standing.NIL)


@dataclass(frozen=True)
class Check:
    """The status of one unit, one obligation, one period (None for standing obligations)."""

    unit: str
    rule: Obligation
    version: RuleVersion
    period: Period | None
    deadline: date | None
    assumed: bool
    standing: Standing
    days: int
    posting: Document | None

    @property
    def key(self) -> str:
        """Return "unit|obligation|period", the check's stable identity."""
        return f"{self.unit}|{self.rule.id}|{self.period.key if self.period else '-'}"

    def describe(self) -> str:
        """Return the status in a sentence ("Quá hạn 12 ngày", "Đăng muộn 3 ngày")."""
        if self.standing is Standing.LATE:
            return f"Đăng muộn {self.days} ngày"
        if self.standing is Standing.OVERDUE:
            return f"Quá hạn {self.days} ngày, chưa đăng"
        if self.standing is Standing.DUE_SOON:
            return "Hạn là hôm nay" if self.days == 0 else f"Còn {self.days} ngày đến hạn"
        return self.standing.label


@dataclass
class Compliance:
    """Every check of the portal, with lookups by unit and obligation."""

    checks: list[Check]
    today: date

    def __post_init__(self) -> None:
        self._by_unit: dict[str, list[Check]] = defaultdict(list)
        self._by_rule: dict[str, list[Check]] = defaultdict(list)
        for check in self.checks:
            self._by_unit[check.unit].append(check)
            self._by_rule[check.rule.id].append(check)

    def of_unit(self, unit: str) -> list[Check]:
        """Return a unit's checks, by obligation then period (newest first)."""
        return list(self._by_unit.get(unit, ()))

    def of_rule(self, rule_id: str) -> list[Check]:
        """Return an obligation's checks."""
        return list(self._by_rule.get(rule_id, ()))

    def overdue(self) -> list[Check]:
        """Return every missing posting whose deadline has passed."""
        return [c for c in self.checks if c.standing is Standing.OVERDUE]

    def upcoming(self, unit: str) -> list[Check]:
        """Return a unit's periods still to post, soonest deadline first."""
        found = [c for c in self.of_unit(unit) if c.standing in (Standing.DUE_SOON, Standing.NOT_YET_DUE)]
        return sorted(found, key=lambda c: (c.deadline or date.max, c.rule.id))


def settles_procedures(unit: Unit, documents: Iterable[Document]) -> bool:
    """Return True when the unit settles administrative procedures (its file says so, or it posts some)."""
    declared = unit.extra.get("settles_procedures")
    if isinstance(declared, bool):
        return declared
    return any(d.unit == unit.code and d.kind is thu_tuc.KIND for d in documents)


def _procedure_units(documents: Iterable[Document]) -> set[str]:
    return {d.unit for d in documents if d.kind is thu_tuc.KIND}


def binds(rule: Obligation, unit: Unit, units: Units, settles: bool, day: date) -> bool:
    """Return True when `rule` binds `unit` on `day` (a local rule binds the imposer's subordinates)."""
    if not rule.applies_to.binds(unit, settles):
        return False
    if rule.imposed_by is not None:
        return unit.code != rule.imposed_by and units.is_within(unit.code, rule.imposed_by, day)
    return True


def evaluate(units: Units, documents: Iterable[Document], rules: Rules, today: date, start: date) -> Compliance:
    """Return every check from `start` (the portal's first judged day) up to `today`."""
    visible = [d for d in documents if d.is_public and d.posted is not None and d.posted <= today]
    postings: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in visible:
        if doc.obligation and doc.status is not Status.WITHDRAWN:
            postings[(doc.unit, doc.obligation)].append(doc)
    checks: list[Check] = []
    posting_units = _procedure_units(visible)
    by_unit: dict[str, list[Document]] = defaultdict(list)
    for doc in visible:
        by_unit[doc.unit].append(doc)
    for unit in units.values():
        declared = unit.extra.get("settles_procedures")
        settles = declared if isinstance(declared, bool) else unit.code in posting_units
        for rule in rules:
            if rule.continuous:
                check = _standing_check(unit, rule, units, settles, by_unit[unit.code], postings, today, start)
                if check is not None:
                    checks.append(check)
                continue
            mine = postings.get((unit.code, rule.id), ())
            for version, schedule, period in _periods(rule, unit, today, start):
                found = sorted(
                    (d for d in mine if d.period and d.period.key == period.key),
                    key=lambda d: (d.posted, d.key),
                )
                posting = found[0] if found else None
                event = event_date(posting.details, schedule.deadline.event) if posting else None
                deadline, assumed = due_date(schedule.deadline, period, event)
                if deadline is None or deadline < version.effective_from:
                    continue  # the rule was not in force when this period fell due
                if not unit.active_on(min(period.end, deadline)):
                    continue  # the unit did not exist when the period closed or fell due
                if not binds(rule, unit, units, settles, deadline):
                    continue
                checks.append(_judge(unit, rule, version, period, deadline, assumed, posting, today))
    checks.sort(key=lambda c: (c.unit, c.rule.id, -(c.period.end.toordinal() if c.period else 0)))
    return Compliance(checks, today)


def _periods(rule: Obligation, unit: Unit, today: date, start: date) -> list[tuple[RuleVersion, Schedule, Period]]:
    """Return each (version, schedule, period) to judge: periods that have begun by `today`, end on or
    after `start` and after the unit began, and fall under the version in force on their last day."""
    first = max(rule.starts, start, unit.active_from or start)
    found = []
    seen: set[str] = set()
    for year in range(first.year, today.year + 2):
        for version in rule.versions:
            for schedule in version.schedules:
                for period in schedule.periods_in(year):
                    if period.key in seen or period.start > today or period.end < first:
                        continue
                    if not version.in_force(period.end):
                        continue
                    seen.add(period.key)
                    found.append((version, schedule, period))
    return found


def _judge(unit: Unit, rule: Obligation, version: RuleVersion, period: Period, deadline: date, assumed: bool,
           posting: Document | None, today: date) -> Check:
    if posting is not None:
        late = (posting.posted - deadline).days
        if late > 0:
            standing, days = Standing.LATE, late
        elif getattr(posting.details, "nil", False):
            standing, days = Standing.NIL, 0
        else:
            standing, days = Standing.ON_TIME, 0
    elif deadline < today:
        standing, days = Standing.OVERDUE, (today - deadline).days
    elif (deadline - today).days <= DUE_SOON_DAYS:
        standing, days = Standing.DUE_SOON, (deadline - today).days
    else:
        standing, days = Standing.NOT_YET_DUE, (deadline - today).days
    return Check(unit.code, rule, version, period, deadline, assumed, standing, days, posting)


def _standing_check(unit: Unit, rule: Obligation, units: Units, settles: bool, visible: list[Document],
                    postings: dict[tuple[str, str], list[Document]], today: date, start: date) -> Check | None:
    """Judge a standing obligation (no periods) on `today`, or on the unit's last day."""
    day = min(today, unit.active_until) if unit.active_until else today
    version = rule.version_on(day)
    if version is None or not binds(rule, unit, units, settles, day):
        return None
    fulfils = [d for d in visible if d.unit == unit.code and d.is_current and d.kind in rule.fulfilled_by.kinds
               and (d.obligation in (None, rule.id))]
    fulfils += [d for d in postings[(unit.code, rule.id)] if d not in fulfils]
    contacts = rule.fulfilled_by.unit_contacts and bool(unit.address and (unit.phone or unit.email))
    if fulfils or contacts:
        first = min(fulfils, key=lambda d: (d.posted, d.key)) if fulfils else None
        return Check(unit.code, rule, version, None, None, False, Standing.ON_TIME, 0, first)
    since = max(version.effective_from, start, unit.active_from or start)
    return Check(unit.code, rule, version, None, since, False, Standing.OVERDUE, max((day - since).days, 0), None)


def check_declarations(documents: Iterable[Document], units: Units, rules: Rules, problems: Problems) -> None:
    """Record an error for each posting whose `obligation`/`period` is unknown, of the wrong shape,
    fulfilled by another kind of posting, or not binding on its unit."""
    docs = list(documents)
    for doc in docs:
        if doc.obligation is None:
            continue
        rule = rules.get(doc.obligation)
        where = (doc.source, doc.line("obligation"))
        if rule is None:
            listed = ", ".join(r.id for r in rules)
            problems.error(*where, "obligation", describe("không có nghĩa vụ công khai mang mã này", doc.obligation,
                                                          f"Sửa: dùng một trong: {listed}."))
            continue
        unit = units[doc.unit]
        kinds = rule.fulfilled_by
        report = getattr(doc.details, "report", None)
        if doc.kind not in kinds.kinds or (doc.kind is tai_chinh.KIND and kinds.reports
                                           and (report is None or report.key not in kinds.reports)):
            problems.error(*where, "obligation",
                           describe(f"loại văn bản này không đáp ứng nghĩa vụ '{rule.id}' (nghĩa vụ cần: "
                                    f"{kinds.describe()})", doc.obligation))
            continue
        if rule.continuous:
            if doc.period is not None:
                problems.error(doc.source, doc.line("period"), "period",
                               describe(f"nghĩa vụ '{rule.id}' là nghĩa vụ thường xuyên, không theo kỳ", doc.period.key,
                                        "Sửa: xóa 'period'."))
            elif not binds(rule, unit, units, True, doc.posted or doc.date or date.today()):
                problems.error(*where, "obligation", describe(
                    f"nghĩa vụ '{rule.id}' không áp dụng cho {unit.name}", doc.obligation))
            continue
        if doc.period is None:
            problems.error(*where, "period",
                           f"nghĩa vụ '{rule.id}' cần ghi kỳ công khai. Sửa: thêm 'period:' (ví dụ "
                           f"{_example(rule)}).")
            continue
        version = next((v for v in rule.versions if v.in_force(doc.period.end)), None)
        schedule = next((s for s in version.schedules if s.accepts(doc.period)), None) if version else None
        if schedule is None:
            allowed = "; ".join(f"{', '.join(s.periods)} (theo {v.basis})" for v in rule.versions for s in v.schedules)
            problems.error(doc.source, doc.line("period"), "period", describe(
                f"kỳ này không có trong lịch công khai của nghĩa vụ '{rule.id}'", doc.period.key,
                f"Kỳ hợp lệ: {allowed}."))
            continue
        event = event_date(doc.details, schedule.deadline.event)
        deadline, _ = due_date(schedule.deadline, doc.period, event)
        day = deadline or doc.period.end
        if not binds(rule, unit, units, True, day):
            problems.error(*where, "obligation", describe(
                f"nghĩa vụ '{rule.id}' không áp dụng cho {unit.name} ở kỳ {doc.period.label}", doc.obligation,
                "Sửa: kiểm tra lại mã nghĩa vụ hoặc xóa 'obligation'."))


def _example(rule: Obligation) -> str:
    word = rule.versions[-1].schedules[0].periods[0]
    return {"year": "2025", "school-year": "2025-2026", "H1": "2025-H1", "9M": "2026-9M"}.get(word, f"2025-{word}")
