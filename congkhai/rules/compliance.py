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
from ..model.text import format_date
from ..model.units import Unit, Units
from .deadlines import DEFAULT_POLICY, Policy, Selection, select
from .obligations import PERIOD_WORD_LABELS, Obligation, Rules, RuleVersion, event_date

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
    """The status of one unit, one obligation, one period (None for standing obligations), judged on
    `as_of` (today, or a dissolved unit's last day), with the version chosen and why."""

    unit: str
    rule: Obligation
    version: RuleVersion
    period: Period | None
    deadline: date | None
    assumed: bool
    standing: Standing
    days: int
    posting: Document | None
    selection: Selection | None = None
    as_of: date | None = None
    responsible: str | None = None

    @property
    def key(self) -> str:
        """Return "unit|obligation|period", the check's stable identity."""
        return f"{self.unit}|{self.rule.id}|{self.period.key if self.period else '-'}"

    @property
    def dissolved(self) -> bool:
        """Return True when the unit no longer exists and was judged on its last day."""
        return self.as_of is not None and self.responsible != self.unit

    def describe(self) -> str:
        """Return the status in a sentence ("Quá hạn 12 ngày", "Đăng muộn 3 ngày")."""
        if self.standing is Standing.LATE:
            return f"Đăng muộn {self.days} ngày"
        if self.standing is Standing.OVERDUE:
            tail = f" (tính đến ngày ngừng hoạt động {format_date(self.as_of)})" if self.dissolved and self.as_of else ""
            return f"Quá hạn {self.days} ngày, chưa đăng{tail}"
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
    """Return True when `rule` binds `unit` on `day`. A local rule binds the units the imposer manages
    on that day (administrative chain), or those it guides (`reach: guided`, the oversight chain)."""
    if not rule.applies_to.binds(unit, settles):
        return False
    if rule.imposed_by is not None:
        if unit.code == rule.imposed_by:
            return False
        if rule.reach == "guided":
            return units.is_overseen_by(unit.code, rule.imposed_by, day)
        return units.is_within(unit.code, rule.imposed_by, day)
    return True


def judged_on(unit: Unit, today: date) -> date:
    """Return the day a unit is judged on: today, or its last day when it no longer exists."""
    return min(today, unit.active_until) if unit.active_until else today


def responsible_unit(unit: Unit, units: Units, today: date) -> str | None:
    """Return the unit that must act today for `unit`: itself while it exists, else its successor (or
    the successor's, in turn), else the unit its duties passed to administratively; None when no unit
    of the portal remains."""
    current, seen = unit, set()
    while not current.active_on(today) and current.code not in seen:
        seen.add(current.code)
        if current.successor and current.successor in units:
            current = units[current.successor]
            continue
        last = current.active_until or today
        parent = current.parent_on(last)
        if parent is None or parent not in units:
            return None
        current = units[parent]
    return current.code if current.active_on(today) else None


def evaluate(units: Units, documents: Iterable[Document], rules: Rules, today: date, start: date,
             policy: Policy = DEFAULT_POLICY) -> Compliance:
    """Return every check from `start` (the portal's first judged day) up to `today`."""
    visible = [d for d in documents if d.is_public and d.posted is not None and d.posted <= today]
    postings: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in visible:
        if doc.obligation and doc.status is not Status.WITHDRAWN:
            postings[(doc.unit, doc.obligation)].append(doc)
    posting_units = _procedure_units(visible)
    by_unit: dict[str, list[Document]] = defaultdict(list)
    for doc in visible:
        by_unit[doc.unit].append(doc)
    checks: list[Check] = []
    memo = _Memo()
    for unit in units.values():
        declared = unit.extra.get("settles_procedures")
        settles = declared if isinstance(declared, bool) else unit.code in posting_units
        judge = _Judge(unit, units, today, responsible_unit(unit, units, today))
        for rule in rules.judged():
            if rule.continuous:
                check = _standing_check(judge, rule, settles, by_unit[unit.code], postings, start)
                if check is not None:
                    checks.append(check)
                continue
            mine = postings.get((unit.code, rule.id), [])
            checks += _periodic_checks(judge, rule, settles, mine, start, policy, memo)
    checks.sort(key=lambda c: (c.unit, c.rule.id, -(c.period.end.toordinal() if c.period else 0)))
    return Compliance(checks, today)


@dataclass(frozen=True)
class _Judge:
    """One unit being judged: the portal's units, today, and who must act for it today."""

    unit: Unit
    units: Units
    today: date
    responsible: str | None

    @property
    def as_of(self) -> date:
        return judged_on(self.unit, self.today)


def candidate_periods(rule: Obligation, first: date, today: date) -> list[Period]:
    """Return every period some version of `rule` recurs on that has begun by `today` and ends on or
    after `first`, oldest first."""
    found: dict[str, Period] = {}
    for year in range(first.year, today.year + 2):
        for version in rule.versions:
            for schedule in version.schedules:
                for period in schedule.periods_in(year):
                    if period.start <= today and period.end >= first:
                        found.setdefault(period.key, period)
    return sorted(found.values(), key=lambda p: (p.end, p.start, p.key))


class _Memo:
    """What every unit of one evaluation shares: the periods of a rule from a first day, and the
    version chosen for a period nobody has posted yet (it depends on the rule and the period alone)."""

    def __init__(self) -> None:
        self.periods: dict[tuple[str, date, date], list[Period]] = {}
        self.unposted: dict[tuple[str, str], Selection | None] = {}  # one policy per evaluation

    def candidate_periods(self, rule: Obligation, first: date, today: date) -> list[Period]:
        key = (rule.id, first, today)
        if key not in self.periods:
            self.periods[key] = candidate_periods(rule, first, today)
        return self.periods[key]

    def select_unposted(self, rule: Obligation, period: Period, policy: Policy) -> Selection | None:
        key = (rule.id, period.key)
        if key not in self.unposted:
            self.unposted[key] = select(rule, period, lambda name: None, policy)
        return self.unposted[key]


def _periodic_checks(judge: _Judge, rule: Obligation, settles: bool, mine: list[Document], start: date,
                     policy: Policy, memo: _Memo | None = None) -> list[Check]:
    """Return the checks of one unit and one periodic obligation."""
    memo = memo or _Memo()
    unit = judge.unit
    first = max(rule.starts, start, unit.active_from or start)
    checks = []
    for period in memo.candidate_periods(rule, first, judge.today):
        found = sorted((d for d in mine if d.period and d.period.key == period.key), key=lambda d: (d.posted, d.key))
        posting = found[0] if found else None
        if posting is None:
            selection = memo.select_unposted(rule, period, policy)
        else:
            selection = select(rule, period, lambda name: event_date(posting.details, name), policy)
        if selection is None:
            continue
        option = selection.chosen
        deadline = option.deadline
        if deadline is None or (deadline < option.version.effective_from and not selection.transitional):
            continue  # the rule was not in force when this period fell due (unless a transitional clause says so)
        if not unit.active_on(min(period.end, deadline)):
            continue  # the unit did not exist when the period closed or fell due
        if posting is None and unit.active_until is not None and deadline > unit.active_until:
            continue  # due after the unit ceased to exist: the duty passed on with its tasks
        if not binds(rule, unit, judge.units, settles, deadline):
            continue
        checks.append(_judge(judge, rule, selection, period, posting))
    return checks


def _judge(judge: _Judge, rule: Obligation, selection: Selection, period: Period, posting: Document | None) -> Check:
    option = selection.chosen
    deadline, as_of, today = option.deadline, judge.as_of, judge.today
    assert deadline is not None
    if posting is not None:
        late = (posting.posted - deadline).days
        if late > 0:
            standing, days = Standing.LATE, late
        elif getattr(posting.details, "nil", False):
            standing, days = Standing.NIL, 0
        else:
            standing, days = Standing.ON_TIME, 0
    elif deadline < as_of:
        standing, days = Standing.OVERDUE, (as_of - deadline).days
    elif (deadline - today).days <= DUE_SOON_DAYS:
        standing, days = Standing.DUE_SOON, (deadline - today).days
    else:
        standing, days = Standing.NOT_YET_DUE, (deadline - today).days
    return Check(judge.unit.code, rule, option.version, period, deadline, option.assumed, standing, days, posting,
                 selection, as_of, judge.responsible)


def _standing_check(judge: _Judge, rule: Obligation, settles: bool, visible: list[Document],
                    postings: dict[tuple[str, str], list[Document]], start: date) -> Check | None:
    """Judge a standing obligation (no periods) on `today`, or on the unit's last day."""
    unit, day = judge.unit, judge.as_of
    version = rule.version_on(day)
    if version is None or not binds(rule, unit, judge.units, settles, day):
        return None
    fulfils = [d for d in visible if d.unit == unit.code and d.is_current and d.kind in rule.fulfilled_by.kinds
               and (d.obligation in (None, rule.id))]
    fulfils += [d for d in postings[(unit.code, rule.id)] if d not in fulfils]
    contacts = rule.fulfilled_by.unit_contacts and bool(unit.address and (unit.phone or unit.email))
    if fulfils or contacts:
        first = min(fulfils, key=lambda d: (d.posted, d.key)) if fulfils else None
        return Check(unit.code, rule, version, None, None, False, Standing.ON_TIME, 0, first, None, day,
                     judge.responsible)
    since = max(version.effective_from, start, unit.active_from or start)
    return Check(unit.code, rule, version, None, since, False, Standing.OVERDUE, max((day - since).days, 0), None,
                 None, day, judge.responsible)


def check_declarations(documents: Iterable[Document], units: Units, rules: Rules, problems: Problems,
                       policy: Policy = DEFAULT_POLICY) -> None:
    """Record an error for each posting whose `obligation`/`period` is unknown, of the wrong shape,
    fulfilled by another kind of posting, or not binding on its unit."""
    for doc in documents:
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
        _check_period(doc, rule, unit, units, problems, policy)


def _check_period(doc: Document, rule: Obligation, unit: Unit, units: Units, problems: Problems,
                  policy: Policy) -> None:
    """Record an error when a posting's period is missing, outside the rule's schedule, or of a period
    the rule does not bind its unit for."""
    if doc.period is None:
        problems.error(doc.source, doc.line("obligation"), "period",
                       f"nghĩa vụ '{rule.id}' cần ghi kỳ công khai. Sửa: thêm 'period:' (ví dụ {_example(rule)}).")
        return
    selection = select(rule, doc.period, lambda name: event_date(doc.details, name), policy)
    if selection is None:
        allowed = "; ".join(f"{', '.join(PERIOD_WORD_LABELS[w] for w in s.periods)} (theo {v.basis})"
                            for v in rule.versions for s in v.schedules)
        problems.error(doc.source, doc.line("period"), "period", describe(
            f"kỳ này không có trong lịch công khai của nghĩa vụ '{rule.id}'", doc.period.key,
            f"Kỳ hợp lệ: {allowed}."))
        return
    day = selection.chosen.deadline or doc.period.end
    if not binds(rule, unit, units, True, day):
        problems.error(doc.source, doc.line("obligation"), "obligation", describe(
            f"nghĩa vụ '{rule.id}' không áp dụng cho {unit.name} ở kỳ {doc.period.label}", doc.obligation,
            "Sửa: kiểm tra lại mã nghĩa vụ hoặc xóa 'obligation'."))


def _example(rule: Obligation) -> str:
    word = rule.versions[-1].schedules[0].periods[0]
    return {"year": "2025", "school-year": "2025-2026", "H1": "2025-H1", "6M": "2025-H1", "3M": "2026-Q1",
            "9M": "2026-9M"}.get(word, f"2025-{word}")
