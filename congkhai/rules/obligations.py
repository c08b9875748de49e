"""Public posting obligations as data: who must post what, for which periods, by when.

The national rules ship in `data/obligations.yml`; a supervising unit's file may add local ones
(`obligations:` in units/<code>.yml) with the same fields. Deadlines count calendar days unless a
rule says working days; working days skip weekends and Vietnamese public holidays (lunar ones
included) from the `holidays` library. A calendar-day deadline that ends on a day off moves to the
next working day (Bộ luật Dân sự 2015, Điều 148).
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import holidays

from ..kinds import KINDS, REGISTRY
from ..kinds.tai_chinh import REPORT_TYPES
from ..model import fields as f
from ..model.kind import Kind
from ..model.periods import Period, PeriodKind, parse_period, quarter, school_year
from ..model.problems import Problems, describe
from ..model.sources import YamlInputError, parse_yaml
from ..model.units import KINDS_BY_CODE, Unit, UnitKind

RULES_FILE = "obligations.yml"
CERTAINTY = {
    "text": "đã đối chiếu văn bản pháp luật",
    "secondary": "theo nguồn thứ cấp có dẫn văn bản, chưa đối chiếu nguyên văn",
    "unverified": "chưa xác minh; là giả định của cổng",
}
EVENTS = {
    "assigned_date": "ngày được giao dự toán",
    "approved_date": "ngày quyết toán được phê duyệt",
    "submitted_date": "ngày gửi báo cáo cấp trên",
}
BUDGET_ROLES = {"su-dung": "đơn vị sử dụng ngân sách", "cap-tren": "đơn vị dự toán cấp trên",
                "khong": "không thuộc đối tượng"}
# Which budget role a unit has when its file does not say (public schools use a budget).
DEFAULT_BUDGET_ROLE = {UnitKind.SO: "cap-tren", UnitKind.PHONG: "cap-tren", UnitKind.XA: "cap-tren"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERIOD_WORDS = ("year", "school-year", "Q1", "Q2", "Q3", "Q4", "H1", "9M", "continuous")
PERIOD_WORD_LABELS = {
    "year": "cả năm", "school-year": "năm học", "Q1": "quý I (3 tháng)", "Q2": "quý II", "Q3": "quý III",
    "Q4": "quý IV", "H1": "6 tháng đầu năm", "9M": "9 tháng", "continuous": "thường xuyên",
}


class DeadlineKind(enum.Enum):
    FIXED = "fixed"
    AFTER_PERIOD = "after_period"
    AFTER_EVENT = "after_event"
    CONTINUOUS = "continuous"


@dataclass(frozen=True)
class YearDay:
    """A day of the year relative to the year in which a period ends (`year_offset` years later)."""

    month: int
    day: int
    year_offset: int = 0

    def in_year_of(self, period: Period) -> date:
        """Return the date in the year the period ends (plus the offset); 29 February becomes the 28th
        in a common year."""
        year = period.end.year + self.year_offset
        day = min(self.day, calendar.monthrange(year, self.month)[1])
        return date(year, self.month, day)


@dataclass(frozen=True)
class Deadline:
    """When a period's posting is due."""

    kind: DeadlineKind
    fixed: YearDay | None = None
    days: int = 0
    working: bool = False
    event: str | None = None
    assume: YearDay | None = None

    def describe(self) -> str:
        """Return the rule in plain Vietnamese ("15 ngày sau khi kết thúc kỳ")."""
        unit = "ngày làm việc" if self.working else "ngày"
        if self.kind is DeadlineKind.FIXED and self.fixed:
            later = " năm sau" if self.fixed.year_offset == 1 else ""
            return f"trước hết ngày {self.fixed.day:02d}/{self.fixed.month:02d}{later}"
        if self.kind is DeadlineKind.AFTER_PERIOD:
            return f"chậm nhất {self.days} {unit} sau khi kết thúc kỳ"
        if self.kind is DeadlineKind.AFTER_EVENT and self.event:
            return f"chậm nhất {self.days} {unit} kể từ {EVENTS[self.event]}"
        return "thường xuyên, không theo kỳ"


@dataclass(frozen=True)
class Schedule:
    """The periods a rule version recurs on, and their deadline."""

    periods: tuple[str, ...]
    deadline: Deadline

    def describe(self) -> str:
        """Return the schedule in Vietnamese: "quý I, 6 tháng đầu năm: chậm nhất 15 ngày sau khi kết thúc kỳ"."""
        if self.deadline.kind is DeadlineKind.CONTINUOUS:
            return "thường xuyên, không theo kỳ"
        words = ", ".join(PERIOD_WORD_LABELS[p] for p in self.periods)
        return f"{words}: {self.deadline.describe()}"

    def periods_in(self, year: int) -> list[Period]:
        """Return this schedule's periods that end in calendar year `year`."""
        found = []
        for word in self.periods:
            if word == "year":
                found.append(parse_period(str(year)))
            elif word == "school-year":
                found.append(school_year(year - 1))
            elif word.startswith("Q"):
                found.append(quarter(year, int(word[1])))
            elif word == "H1":
                found.append(parse_period(f"{year}-H1"))
            elif word == "9M":
                found.append(parse_period(f"{year}-9M"))
        return [p for p in found if p is not None]

    def accepts(self, period: Period) -> bool:
        """Return True when `period` is one of this schedule's periods."""
        return any(p.key == period.key for p in self.periods_in(period.end.year))


@dataclass(frozen=True)
class RuleVersion:
    """One version of a rule, in force from `effective_from` to `effective_to` (inclusive)."""

    effective_from: date
    effective_to: date | None
    basis: str
    note: str | None
    schedules: tuple[Schedule, ...]

    def in_force(self, day: date) -> bool:
        """Return True when the version is in force on `day`."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def continuous(self) -> bool:
        """Return True for standing obligations that have no periods."""
        return any(s.deadline.kind is DeadlineKind.CONTINUOUS for s in self.schedules)


@dataclass(frozen=True)
class Applicability:
    """Which units a rule binds."""

    units: frozenset[UnitKind] = frozenset()
    budget_roles: frozenset[str] = frozenset()
    settles_procedures: bool = False

    def binds(self, unit: Unit, settles: bool) -> bool:
        """Return True when the rule binds `unit` (its kind or any level it teaches, its budget role)."""
        if self.units and not (self.units & ({unit.kind} | set(unit.levels))):
            return False
        if self.budget_roles and budget_role(unit) not in self.budget_roles:
            return False
        if self.settles_procedures and not settles:
            return False
        return True

    def describe(self) -> str:
        """Return who must post, in Vietnamese."""
        parts = []
        if self.units:
            parts.append(", ".join(k.label.lower() for k in UnitKind if k in self.units))
        if self.budget_roles:
            parts.append(" và ".join(BUDGET_ROLES[r] for r in sorted(self.budget_roles, reverse=True)))
        if self.settles_procedures:
            parts.append("đơn vị giải quyết thủ tục hành chính")
        return "; ".join(parts) or "mọi đơn vị"


@dataclass(frozen=True)
class Fulfilment:
    """Which postings fulfil a rule."""

    kinds: frozenset[Kind]
    reports: frozenset[str] = frozenset()
    unit_contacts: bool = False

    def describe(self) -> str:
        """Return which postings count, in Vietnamese."""
        text = ", ".join(k.lower for k in KINDS if k in self.kinds)
        if self.reports:
            text += " (" + ", ".join(REPORT_TYPES[r].label.lower() for r in sorted(self.reports)) + ")"
        return text


@dataclass(frozen=True)
class Obligation:
    """A posting obligation: national (shipped) or local (imposed by a supervising unit)."""

    id: str
    title: str
    short: str
    summary: str
    applies_to: Applicability
    fulfilled_by: Fulfilment
    versions: tuple[RuleVersion, ...]
    sure: str
    retention_years: int = 0
    imposed_by: str | None = None

    def version_on(self, day: date) -> RuleVersion | None:
        """Return the version in force on `day`."""
        return next((v for v in self.versions if v.in_force(day)), None)

    @property
    def continuous(self) -> bool:
        """Return True for standing obligations (no periods)."""
        return any(v.continuous for v in self.versions)

    @property
    def starts(self) -> date:
        """Return the first day any version is in force."""
        return min(v.effective_from for v in self.versions)


def budget_role(unit: Unit) -> str:
    """Return the unit's budget role: its file's `budget_role`, else the default for its kind."""
    declared = unit.extra.get("budget_role")
    if isinstance(declared, str) and declared in BUDGET_ROLES:
        return declared
    return DEFAULT_BUDGET_ROLE.get(unit.kind, "su-dung")


# Working days ----------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    """Return True on a weekday that is not a Vietnamese public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """Return the day `count` working days after `start`."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def next_working_day(day: date) -> date:
    """Return `day`, or the first working day after it when it is a day off."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_date(deadline: Deadline, period: Period, event: date | None) -> tuple[date | None, bool]:
    """Return (the last on-time day, whether it rests on an assumed event date) for `period`."""
    if deadline.kind is DeadlineKind.CONTINUOUS:
        return None, False
    if deadline.kind is DeadlineKind.FIXED and deadline.fixed:
        return deadline.fixed.in_year_of(period), False
    assumed = False
    start = period.end
    if deadline.kind is DeadlineKind.AFTER_EVENT:
        if event is None:
            if deadline.assume is None:
                return None, False
            event, assumed = deadline.assume.in_year_of(period), True
        start = event
    if deadline.working:
        return add_working_days(start, deadline.days), assumed
    return next_working_day(start + timedelta(days=deadline.days)), assumed


# Loading ---------------------------------------------------------------------------------------

OBLIGATION_FIELDS = ("id", "title", "short", "summary", "applies_to", "fulfilled_by", "retention_years", "sure", "versions")


class RulesError(Exception):
    """The shipped rules file is invalid (a bug in the package, not in user content)."""


def load_national(problems: Problems | None = None) -> list[Obligation]:
    """Return the rules shipped with the package; raises RulesError when the data file is invalid."""
    own = Problems()
    source = resources.files("congkhai.rules") / "data" / RULES_FILE
    text = source.read_text(encoding="utf-8")
    path = Path(str(source))
    try:
        data = parse_yaml(text)
    except YamlInputError as exc:
        raise RulesError(f"{path}, dòng {exc.line}: {exc.message}") from None
    r = f.Reader(path, data, own)
    rules = [read_obligation(item, None) for item in _list_items(r)]
    if own.has_errors():
        raise RulesError("\n".join(p.render() for p in own.sorted()))
    return [rule for rule in rules if rule is not None]


def _list_items(r: f.Reader) -> list[f.Reader]:
    if not isinstance(r.yaml.data, list):
        raise RulesError("tệp nghĩa vụ phải là một danh sách")
    return [f.Reader(r.path, r.yaml, r.problems, (i,)) for i in range(len(r.yaml.data))]


def local_obligations(units: Iterable[Unit], problems: Problems, national: Iterable[Obligation]) -> list[Obligation]:
    """Return the obligations supervising units impose on their subordinates (from `obligations:`)."""
    taken = {rule.id: None for rule in national}
    found = []
    for unit in units:
        if unit.extra.get("obligations") is None or unit.yaml is None:
            continue
        r = f.Reader(unit.source, unit.yaml, problems)
        for item in r.items("obligations"):
            rule = read_obligation(item, unit)
            if rule is None:
                continue
            if rule.id in taken:
                other = taken[rule.id]
                where = f"đã có trong tệp {other}" if other else "trùng với một nghĩa vụ theo quy định chung"
                problems.error(unit.source, item.line("id"), item.label("id"),
                               describe(f"mã nghĩa vụ {where}", rule.id, "Sửa: chọn mã khác, ví dụ thêm tên đơn vị."))
                continue
            taken[rule.id] = unit.code
            found.append(rule)
    return found


def read_obligation(r: f.Reader, imposer: Unit | None) -> Obligation | None:
    """Return one obligation (national when `imposer` is None), recording its problems."""
    local_fields = ("basis", "period", "periods", "deadline", "effective_from", "effective_to", "note")
    r.unknown_keys(OBLIGATION_FIELDS + (local_fields if imposer else ()), " trong nghĩa vụ")
    rule_id = r.get("id", f.required_text, required=True)
    if rule_id and not ID_RE.match(rule_id):
        r.problems.error(r.path, r.line("id"), r.label("id"),
                         describe("mã nghĩa vụ chỉ gồm chữ thường không dấu, chữ số và dấu '-'", rule_id))
        rule_id = None
    title = r.get("title", f.required_text, required=True)
    summary = r.get("summary", f.text) or title
    applies = _read_applicability(r.child("applies_to"), imposer)
    fulfils = _read_fulfilment(r.child("fulfilled_by"))
    sure = r.get("sure", f.choice({k: k for k in CERTAINTY}, "mức độ chắc chắn")) or ("text" if imposer else "unverified")
    if imposer is not None:
        versions = [_read_version(r, imposer)]
    else:
        versions = [_read_version(vr, None) for vr in r.items("versions")]
    versions = [v for v in versions if v is not None]
    if not versions:
        r.problems.error(r.path, r.line(), r.label("versions"), "nghĩa vụ cần ít nhất một phiên bản có thời hạn.")
    if None in (rule_id, title, fulfils) or not versions:
        return None
    return Obligation(
        id=rule_id, title=title, short=r.get("short", f.text) or title, summary=summary, applies_to=applies, fulfilled_by=fulfils,  # type: ignore[arg-type]
        versions=tuple(sorted(versions, key=lambda v: v.effective_from)), sure=sure,
        retention_years=r.get("retention_years", f.integer) or 0,
        imposed_by=imposer.code if imposer else None,
    )


def _read_applicability(r: f.Reader, imposer: Unit | None) -> Applicability:
    r.unknown_keys(("units", "budget_roles", "settles_procedures"), " trong 'applies_to'")
    kinds = []
    for code in r.get("units", f.text_list) or ():
        kind = KINDS_BY_CODE.get(code)
        if kind is None:
            r.problems.error(r.path, r.line("units"), r.label("units"),
                             describe("loại đơn vị không hợp lệ", code, "Sửa: dùng so, phong, xa, mn, th, thcs, thpt, gdtx."))
        else:
            kinds.append(kind)
    roles = r.get("budget_roles", f.text_list) or ()
    for role in roles:
        if role not in BUDGET_ROLES:
            r.problems.error(r.path, r.line("budget_roles"), r.label("budget_roles"),
                             describe("vai trò ngân sách không hợp lệ", role, "Sửa: dùng su-dung, cap-tren hoặc khong."))
    return Applicability(frozenset(kinds), frozenset(x for x in roles if x in BUDGET_ROLES),
                         bool(r.get("settles_procedures", f.boolean)))


def _read_fulfilment(r: f.Reader) -> Fulfilment | None:
    r.unknown_keys(("kinds", "reports", "unit_contacts"), " trong 'fulfilled_by'")
    kinds = []
    for folder in r.get("kinds", f.text_list) or ():
        if folder in REGISTRY:
            kinds.append(REGISTRY[folder])
        else:
            r.problems.error(r.path, r.line("kinds"), r.label("kinds"),
                             describe("loại văn bản không hợp lệ", folder, "Sửa: dùng " + ", ".join(REGISTRY) + "."))
    reports = r.get("reports", f.text_list) or ()
    for report in reports:
        if report not in REPORT_TYPES:
            r.problems.error(r.path, r.line("reports"), r.label("reports"),
                             describe("loại báo cáo tài chính không hợp lệ", report))
    if not kinds:
        r.problems.error(r.path, r.line(), r.label("kinds"), "cần ghi loại văn bản đáp ứng nghĩa vụ ('kinds').")
        return None
    return Fulfilment(frozenset(kinds), frozenset(reports), bool(r.get("unit_contacts", f.boolean)))


def _read_version(r: f.Reader, imposer: Unit | None) -> RuleVersion | None:
    if imposer is None:
        r.unknown_keys(("effective_from", "effective_to", "basis", "note", "schedules"), " trong phiên bản")
    start = r.get("effective_from", f.date_value, required=imposer is None)
    if start is None and imposer is not None:
        start = imposer.active_from or date(2000, 1, 1)
    end = r.get("effective_to", f.date_value)
    basis = r.get("basis", f.required_text, required=True)
    if imposer is None:
        schedules = [_read_schedule(sr) for sr in r.items("schedules")]
    else:
        schedules = [_read_schedule(r)]
    schedules = [s for s in schedules if s is not None]
    if start is None or basis is None or not schedules:
        return None
    return RuleVersion(start, end, basis, r.get("note", f.text), tuple(schedules))


def _read_schedule(r: f.Reader) -> Schedule | None:
    periods = r.get("periods", f.text_list) or ((r.get("period", f.text),) if r.present("period") else ())
    for word in periods:
        if word not in PERIOD_WORDS:
            r.problems.error(r.path, r.line("periods") or r.line("period"), r.label("period"),
                             describe("kỳ không hợp lệ", word, "Sửa: dùng " + ", ".join(PERIOD_WORDS) + "."))
            return None
    if not periods:
        r.problems.error(r.path, r.line(), r.label("period"), "thiếu kỳ công khai ('period'), ví dụ year hoặc school-year.")
        return None
    deadline = _read_deadline(r.child("deadline"))
    if deadline is None:
        return None
    return Schedule(tuple(periods), deadline)


def _year_day(r: f.Reader) -> YearDay | None:
    r.unknown_keys(("month", "day", "year_offset"))
    month, day = r.get("month", f.integer, required=True), r.get("day", f.integer, required=True)
    if month is None or day is None:
        return None
    try:
        date(2024, month, day)
    except ValueError:
        r.problems.error(r.path, r.line(), r.label(), describe("ngày tháng không có thật", f"{day}/{month}"))
        return None
    return YearDay(month, day, r.get("year_offset", f.integer) or 0)


def _read_deadline(r: f.Reader) -> Deadline | None:
    data = r.mapping()
    kinds = [k for k in ("fixed", "after_period", "after_event", "continuous") if k in data]
    if len(kinds) != 1:
        r.problems.error(r.path, r.line(), r.label(),
                         "hạn công khai cần đúng một trong: fixed, after_period, after_event, continuous.")
        return None
    kind = DeadlineKind(kinds[0])
    sub = r.child(kinds[0])
    if kind is DeadlineKind.CONTINUOUS:
        return Deadline(kind)
    if kind is DeadlineKind.FIXED:
        day = _year_day(sub)
        return Deadline(kind, fixed=day) if day else None
    sub.unknown_keys(("days", "working", "event", "assume"))
    days = sub.get("days", f.integer, required=True)
    working = bool(sub.get("working", f.boolean))
    event = None
    assume = None
    if kind is DeadlineKind.AFTER_EVENT:
        event = sub.get("event", f.choice({e: e for e in EVENTS}, "sự kiện"), required=True)
        assume = _year_day(sub.child("assume")) if sub.present("assume") else None
    if days is None or (kind is DeadlineKind.AFTER_EVENT and event is None):
        return None
    return Deadline(kind, days=days, working=working, event=event, assume=assume)


@dataclass(frozen=True)
class Rules:
    """Every obligation by id, national first, then local."""

    by_id: Mapping[str, Obligation] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.by_id.values())

    def get(self, rule_id: str) -> Obligation | None:
        """Return the obligation with `rule_id`, or None."""
        return self.by_id.get(rule_id)


def load_rules(units: Iterable[Unit], problems: Problems) -> Rules:
    """Return the national rules and every unit's local ones."""
    national = load_national()
    local = local_obligations(units, problems, national)
    return Rules({rule.id: rule for rule in [*national, *local]})


def event_date(details: Any, event: str | None) -> date | None:
    """Return the event date a posting declares (e.g. the budget's `assigned_date`)."""
    if event is None or details is None:
        return None
    return getattr(details, event, None)


__all__ = ["Obligation", "Rules", "load_rules", "due_date", "is_working_day", "PeriodKind"]
