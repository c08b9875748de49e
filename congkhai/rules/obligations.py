"""Public posting obligations as data: who must post what, for which periods, by when, under which
legal text.

The national rules ship in `data/obligations.yml`: the legal texts (`texts`, with their real
effective dates, what amends or replaces them) and the obligations, each with its versions in time.
Each version says how it is chosen for a period (`select_by`: the version in force on the triggering
event, or on the deadline; `budget_years`: the budget years it applies to) and the obligation lists
its transitional clauses (`transitions`, by budget year, each with the article that says so). A
supervising unit's file may add local obligations (`obligations:` in units/<code>.yml) with the same
fields. Choosing the version and counting the deadline is `deadlines.py`; judging, `compliance.py`.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from ..kinds import KINDS, REGISTRY
from ..kinds.tai_chinh import REPORT_TYPES
from ..model import fields as f
from ..model.kind import Kind
from ..model.periods import Period, PeriodKind, parse_period, quarter, school_year
from ..model.problems import Problems, describe
from ..model.sources import YamlInputError, parse_yaml
from ..model.text import format_date, slugify
from ..model.units import KINDS_BY_CODE, OWNERSHIP, Unit, UnitKind
from .calendar import add_working_days, is_working_day, next_working_day  # noqa: F401 (re-exported)

RULES_FILE = "obligations.yml"
CERTAINTY = {
    "text": "đã đối chiếu văn bản pháp luật",
    "secondary": "cần đối chiếu thêm: lấy từ tài liệu có dẫn văn bản pháp luật, chưa so với nguyên văn",
    "unverified": "giả định của cổng: chưa tìm thấy trong văn bản pháp luật",
}
EVENTS = {
    "assigned_date": "ngày được cấp có thẩm quyền giao dự toán",
    "approved_date": "ngày quyết toán được cấp có thẩm quyền phê duyệt",
    "submitted_date": "ngày đơn vị báo cáo đơn vị dự toán cấp trên trực tiếp",
}
# The front-matter field a posting declares its event in, named for readers (never the field itself).
EVENT_FIELDS = {"assigned_date": "ngày được giao", "approved_date": "ngày phê duyệt",
                "submitted_date": "ngày gửi báo cáo"}
BUDGET_ROLES = {
    "su-dung": "đơn vị sử dụng ngân sách",
    "cap-tren": "đơn vị dự toán cấp trên",
    "ho-tro": "tổ chức được ngân sách nhà nước hỗ trợ",
    "xa": "ngân sách cấp xã (Ủy ban nhân dân cấp xã)",
    "khong": "không thuộc đối tượng",
}
# A unit's budget role when its file does not say: the Sở and the former Phòng are superior budget
# units of the education sector; a commune's budget is a local budget (its own rules, not those of a
# budget unit); a public school uses the state budget; a private or community school does not.
DEFAULT_BUDGET_ROLE = {UnitKind.SO: "cap-tren", UnitKind.PHONG: "cap-tren", UnitKind.XA: "xa"}
SELECT_BY = {"event": "ngày phát sinh nghĩa vụ (sự kiện hoặc ngày kết thúc kỳ)", "deadline": "ngày đến hạn"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "3M" and "6M" are TT 26/2026's names for the first quarter and the first half ("03 tháng, 06 tháng").
PERIOD_WORDS = ("year", "school-year", "Q1", "Q2", "Q3", "Q4", "H1", "3M", "6M", "9M", "continuous")
PERIOD_WORD_LABELS = {
    "year": "cả năm", "school-year": "năm học", "Q1": "quý I", "Q2": "quý II", "Q3": "quý III",
    "Q4": "quý IV", "H1": "6 tháng", "3M": "03 tháng", "6M": "06 tháng", "9M": "09 tháng",
    "continuous": "thường xuyên",
}
_ALIASES = {"3M": "Q1", "6M": "H1"}


class RulesError(Exception):
    """The shipped rules file is invalid (a bug in the package, not in user content)."""


class DeadlineKind(enum.Enum):
    FIXED = "fixed"
    AFTER_PERIOD = "after_period"
    AFTER_EVENT = "after_event"
    CONTINUOUS = "continuous"


def _two(number: int) -> str:
    """Return a count as legal texts write it: numbers below 10 with a leading zero ("05 ngày")."""
    return f"{number:02d}"


@dataclass(frozen=True)
class YearDay:
    """A day of the year. For a school year without `year_offset`: the occurrence of that day inside
    the school year (1 September to 31 August: 15/12 falls in its first calendar year, 30/6 in its
    second). Otherwise: in the year the period ends, plus `year_offset`."""

    month: int
    day: int
    year_offset: int | None = None

    def in_year_of(self, period: Period) -> date:
        """Return the date for `period`; 29 February becomes the 28th in a common year."""
        if self.year_offset is None and period.kind is PeriodKind.SCHOOL_YEAR:
            year = period.start.year if self.month >= period.start.month else period.start.year + 1
        else:
            year = period.end.year + (self.year_offset or 0)
        day = min(self.day, calendar.monthrange(year, self.month)[1])
        return date(year, self.month, day)

    def words(self) -> str:
        """Return "30 tháng 6" (months 1 and 2 with a leading zero, as documents write them)."""
        month = f"{self.month:02d}" if self.month <= 2 else str(self.month)
        later = {1: " năm sau", -1: " năm trước"}.get(self.year_offset or 0, "")
        return f"{_two(self.day)} tháng {month}{later}"


@dataclass(frozen=True)
class Deadline:
    """When a period's posting is due.

    `before`: a fixed date written "trước ngày …" (the last day on time is the day before, unless the
    portal reads it inclusively). `moves`: the last day moves to the next working day when it is a
    day off (BLDS 2015 Điều 148 k5); by default a time limit counted in days moves, a fixed date does
    not.
    """

    kind: DeadlineKind
    fixed: YearDay | None = None
    days: int = 0
    working: bool = False
    event: str | None = None
    assume: YearDay | None = None
    before: bool = False
    moves: bool | None = None

    @property
    def moves_on_day_off(self) -> bool:
        """Return True when a last day falling on a day off moves to the next working day."""
        if self.moves is not None:
            return self.moves
        return self.kind in (DeadlineKind.AFTER_PERIOD, DeadlineKind.AFTER_EVENT) and not self.working

    def describe(self) -> str:
        """Return the rule as the law words it ("chậm nhất là 15 ngày, kể từ ngày kết thúc kỳ")."""
        unit = "ngày làm việc" if self.working else "ngày"
        if self.kind is DeadlineKind.FIXED and self.fixed:
            return ("trước ngày " if self.before else "chậm nhất ngày ") + self.fixed.words()
        if self.kind is DeadlineKind.AFTER_PERIOD:
            return f"chậm nhất là {_two(self.days)} {unit}, kể từ ngày kết thúc kỳ"
        if self.kind is DeadlineKind.AFTER_EVENT and self.event:
            return f"chậm nhất là {_two(self.days)} {unit}, kể từ {EVENTS[self.event]}"
        return "thường xuyên, không theo kỳ"

    def describe_move(self) -> str:
        """Return whether a last day falling on a day off moves, in words."""
        if self.kind is DeadlineKind.CONTINUOUS or self.working:
            return ""
        if self.moves_on_day_off:
            return "ngày cuối rơi vào ngày nghỉ thì hạn lùi đến hết ngày làm việc tiếp theo, Bộ luật Dân sự 2015 Điều 148 khoản 5"
        return "là ngày cố định trong năm: không lùi khi rơi vào ngày nghỉ"


@dataclass(frozen=True)
class Schedule:
    """The periods a rule version recurs on, and their deadline."""

    periods: tuple[str, ...]
    deadline: Deadline

    def describe(self) -> str:
        """Return "quý I, quý II…: chậm nhất là 15 ngày, kể từ ngày kết thúc kỳ"."""
        if self.deadline.kind is DeadlineKind.CONTINUOUS:
            return "thường xuyên, không theo kỳ"
        words = ", ".join(PERIOD_WORD_LABELS[p] for p in self.periods)
        return f"{words}: {self.deadline.describe()}"

    def periods_in(self, year: int) -> list[Period]:
        """Return this schedule's periods that end in calendar year `year`."""
        found = []
        for word in (_ALIASES.get(w, w) for w in self.periods):
            if word == "year":
                found.append(parse_period(str(year)))
            elif word == "school-year":
                found.append(school_year(year - 1))
            elif word.startswith("Q"):
                found.append(quarter(year, int(word[1])))
            elif word in ("H1", "9M"):
                found.append(parse_period(f"{year}-{word}"))
        return [p for p in found if p is not None]

    def accepts(self, period: Period) -> bool:
        """Return True when `period` is one of this schedule's periods."""
        return any(p.key == period.key for p in self.periods_in(period.end.year))


@dataclass(frozen=True)
class YearRange:
    """Budget years from `first` to `last` (inclusive; None = open)."""

    first: int | None = None
    last: int | None = None

    def contains(self, year: int | None) -> bool:
        """Return True when `year` is in the range (no year: never)."""
        return year is not None and (self.first is None or self.first <= year) and (self.last is None or year <= self.last)

    def describe(self) -> str:
        """Return "năm ngân sách 2025", "từ năm ngân sách 2026", "đến năm ngân sách 2024"."""
        if self.first is not None and self.first == self.last:
            return f"năm ngân sách {self.first}"
        if self.first is not None and self.last is not None:
            return f"năm ngân sách {self.first} đến {self.last}"
        return f"từ năm ngân sách {self.first}" if self.first is not None else f"đến năm ngân sách {self.last}"


@dataclass(frozen=True)
class LegalText:
    """A legal text a rule rests on, with its real dates and what amends or replaces it."""

    id: str
    name: str
    title: str
    effective_from: date
    effective_to: date | None = None
    replaced_by: str | None = None
    amends: str | None = None
    ended_by: str | None = None
    sure: str = "text"
    note: str | None = None

    def in_force(self, day: date) -> bool:
        """Return True when the text is in force on `day`."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def describe(self) -> str:
        """Return "Thông tư 61/2017/TT-BTC (hiệu lực từ 01/08/2017 đến 24/03/2026)"."""
        span = f"hiệu lực từ {format_date(self.effective_from)}"
        if self.effective_to:
            span += f" đến {format_date(self.effective_to)}"
        return f"{self.name} ({span})"


@dataclass(frozen=True)
class RuleVersion:
    """One version of a rule, in force from `effective_from` to `effective_to` (inclusive)."""

    effective_from: date
    effective_to: date | None
    basis: str
    note: str | None
    schedules: tuple[Schedule, ...]
    key: str = ""
    select_by: str = "event"
    budget_years: YearRange | None = None
    texts: tuple[str, ...] = ()
    sure: str | None = None

    def in_force(self, day: date) -> bool:
        """Return True when the version is in force on `day`."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def continuous(self) -> bool:
        """Return True for standing obligations that have no periods."""
        return any(s.deadline.kind is DeadlineKind.CONTINUOUS for s in self.schedules)

    def schedule_for(self, period: Period) -> Schedule | None:
        """Return the schedule of this version that covers `period`, or None."""
        return next((s for s in self.schedules if s.accepts(period)), None)


@dataclass(frozen=True)
class Transition:
    """A transitional clause: the budget years (and periods) a named version governs, and the
    versions that could also be argued, with the article that says so."""

    budget_years: YearRange
    use: str
    basis: str
    periods: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    note: str | None = None

    def covers(self, period: Period) -> bool:
        """Return True when the clause governs `period`."""
        if not self.budget_years.contains(budget_year(period)):
            return False
        return not self.periods or any(Schedule((w,), Deadline(DeadlineKind.CONTINUOUS)).accepts(period)
                                       for w in self.periods)


def budget_year(period: Period) -> int | None:
    """Return the budget year a period belongs to (None for a school year)."""
    return None if period.kind is PeriodKind.SCHOOL_YEAR else period.start.year


@dataclass(frozen=True)
class Applicability:
    """Which units a rule binds."""

    units: frozenset[UnitKind] = frozenset()
    budget_roles: frozenset[str] = frozenset()
    settles_procedures: bool = False
    ownership: frozenset[str] = frozenset()

    def binds(self, unit: Unit, settles: bool) -> bool:
        """Return True when the rule binds `unit` (its kind or any level it teaches, its ownership,
        its budget role)."""
        if self.units and not (self.units & ({unit.kind} | set(unit.levels))):
            return False
        if self.ownership and unit.ownership_or_default not in self.ownership:
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
        if self.ownership:
            parts.append(", ".join(OWNERSHIP[o] for o in OWNERSHIP if o in self.ownership))
        if self.budget_roles:
            parts.append("; ".join(BUDGET_ROLES[r] for r in BUDGET_ROLES if r in self.budget_roles))
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
    transitions: tuple[Transition, ...] = ()
    enabled: bool = True
    reach: str = "managed"

    def version_on(self, day: date) -> RuleVersion | None:
        """Return the version in force on `day`."""
        return next((v for v in self.versions if v.in_force(day)), None)

    def version(self, key: str) -> RuleVersion | None:
        """Return the version named `key`."""
        return next((v for v in self.versions if v.key == key), None)

    @cached_property  # read for every check and matrix cell; a frozen dataclass still has a __dict__
    def slug(self) -> str:
        """Return the obligation's address segment: a shipped obligation's short name folded ("Dự toán" ->
        "du-toan"), a local obligation's own id (already a slug its author chose)."""
        return self.id if self.imposed_by else (slugify(self.short) or self.id)

    @property
    def continuous(self) -> bool:
        """Return True for standing obligations (no periods)."""
        return any(v.continuous for v in self.versions)

    @property
    def starts(self) -> date:
        """Return the first day any version is in force."""
        return min(v.effective_from for v in self.versions)


def budget_role(unit: Unit) -> str:
    """Return the unit's budget role: its file's `budget_role`, else the default for its kind and
    ownership (a private or community school uses no state budget unless its file says so)."""
    declared = unit.extra.get("budget_role")
    if isinstance(declared, str) and declared in BUDGET_ROLES:
        return declared
    if unit.kind in DEFAULT_BUDGET_ROLE:
        return DEFAULT_BUDGET_ROLE[unit.kind]
    return "su-dung" if unit.ownership_or_default == "cong-lap" else "khong"


@dataclass(frozen=True)
class Rules:
    """Every obligation by id (national first, then local), the legal texts, and which obligations
    the portal has switched off."""

    by_id: Mapping[str, Obligation] = field(default_factory=dict)
    texts: Mapping[str, LegalText] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()

    def __iter__(self) -> Iterator[Obligation]:
        return iter(self.by_id.values())

    def get(self, rule_id: str) -> Obligation | None:
        """Return the obligation with `rule_id`, or None."""
        return self.by_id.get(rule_id)

    def is_enabled(self, rule: Obligation) -> bool:
        """Return True when the portal judges `rule`."""
        return rule.id not in self.disabled

    def judged(self) -> list[Obligation]:
        """Return the obligations the portal judges."""
        return [rule for rule in self if self.is_enabled(rule)]

    def texts_on(self, version: RuleVersion, day: date) -> list[LegalText]:
        """Return the legal texts of `version` in force on `day` (amending texts from their date)."""
        return [self.texts[t] for t in version.texts if t in self.texts and self.texts[t].in_force(day)]


# Loading ---------------------------------------------------------------------------------------

OBLIGATION_FIELDS = ("id", "title", "short", "summary", "applies_to", "fulfilled_by", "retention_years", "sure",
                     "versions", "transitions", "enabled")
LOCAL_FIELDS = ("basis", "period", "periods", "deadline", "effective_from", "effective_to", "note", "reach")
TEXT_FIELDS = ("id", "name", "title", "signed", "effective_from", "effective_to", "replaced_by", "amends",
               "ended_by", "sure", "note")


def load_national() -> Rules:
    """Return the rules shipped with the package; raises RulesError when the data file is invalid."""
    own = Problems()
    source = resources.files("congkhai.rules") / "data" / RULES_FILE
    path = Path(str(source))
    rules = read_rules_file(path, source.read_text(encoding="utf-8"), own)
    if own.has_errors():
        raise RulesError("\n".join(p.render() for p in own.sorted()))
    return rules


def read_rules_file(path: Path, text: str, problems: Problems) -> Rules:
    """Return the legal texts and obligations of a rules file, recording every problem."""
    try:
        data = parse_yaml(text)
    except YamlInputError as exc:
        raise RulesError(f"{path}, dòng {exc.line}: {exc.message}") from None
    if not isinstance(data.data, dict):
        raise RulesError(f"{path}: tệp nghĩa vụ phải có hai mục 'texts' và 'obligations'.")
    r = f.Reader(path, data, problems)
    r.unknown_keys(("texts", "obligations"), " trong tệp nghĩa vụ")
    texts = {t.id: t for t in (read_text_entry(tr) for tr in r.items("texts")) if t is not None}
    check_texts(r, texts)
    rules = [read_obligation(item, None) for item in r.items("obligations")]
    found = [rule for rule in rules if rule is not None]
    for index, rule in enumerate(found):
        check_versions(f.Reader(path, data, problems, ("obligations", index)), rule, texts)
    return Rules({rule.id: rule for rule in found}, texts)


def read_text_entry(r: f.Reader) -> LegalText | None:
    """Return one legal text of the `texts` list."""
    r.unknown_keys(TEXT_FIELDS, " trong văn bản pháp luật")
    text_id, name = r.get("id", f.required_text, required=True), r.get("name", f.required_text, required=True)
    start = r.get("effective_from", f.date_value, required=True)
    sure = r.get("sure", f.choice({k: k for k in CERTAINTY}, "mức độ chắc chắn")) or "unverified"
    if text_id is None or name is None or start is None:
        return None
    return LegalText(text_id, name, r.get("title", f.text) or "", start, r.get("effective_to", f.date_value),
                     r.get("replaced_by", f.text), r.get("amends", f.text), r.get("ended_by", f.text), sure,
                     r.get("note", f.text))


def check_texts(r: f.Reader, texts: Mapping[str, LegalText]) -> None:
    """Record an error for a replaced text without an end date, an end before its replacement's
    start is missing, or a reference to a text that is not listed."""
    for index, text in enumerate(texts.values()):
        tr = f.Reader(r.path, r.yaml, r.problems, ("texts", index))
        for name in ("replaced_by", "amends"):
            other = getattr(text, name)
            if other is not None and other not in texts:
                r.problems.error(r.path, tr.line(name), tr.label(name),
                                 describe("không có văn bản pháp luật mang mã này trong 'texts'", other))
        replacement = texts.get(text.replaced_by) if text.replaced_by else None
        if text.replaced_by and text.effective_to is None:
            r.problems.error(r.path, tr.line("replaced_by"), tr.label("effective_to"), describe(
                f"{text.name} đã bị thay thế nhưng không ghi ngày hết hiệu lực", text.replaced_by,
                "Sửa: ghi 'effective_to' là ngày trước ngày văn bản thay thế có hiệu lực."))
        elif replacement and text.effective_to and text.effective_to >= replacement.effective_from:
            r.problems.error(r.path, tr.line("effective_to"), tr.label("effective_to"), describe(
                f"{text.name} hết hiệu lực sau ngày {replacement.name} có hiệu lực "
                f"({format_date(replacement.effective_from)})", text.effective_to.isoformat(),
                f"Sửa: ghi '{(replacement.effective_from - timedelta(days=1)).isoformat()}'."))


def check_versions(r: f.Reader, rule: Obligation, texts: Mapping[str, LegalText]) -> None:
    """Record an error for a version resting on an unknown text, or outside its principal text's
    dates, and for a transition naming an unknown version."""
    for index, version in enumerate(rule.versions):
        vr = f.Reader(r.path, r.yaml, r.problems, r.prefix + ("versions", index))
        for text_id in version.texts:
            if text_id not in texts:
                r.problems.error(r.path, vr.line("texts"), vr.label("texts"),
                                 describe("không có văn bản pháp luật mang mã này trong 'texts'", text_id))
        principal = texts.get(version.texts[0]) if version.texts else None
        if principal is None:
            continue
        ends_late = principal.effective_to and (version.effective_to is None or version.effective_to > principal.effective_to)
        if version.effective_from < principal.effective_from or ends_late:
            r.problems.error(r.path, vr.line("effective_from"), vr.label("effective_from"), describe(
                f"phiên bản ra ngoài thời gian hiệu lực của {principal.describe()}",
                f"{version.effective_from.isoformat()} – {version.effective_to.isoformat() if version.effective_to else '…'}",
                "Sửa: đặt effective_from/effective_to trong thời gian văn bản có hiệu lực."))
    keys = {v.key for v in rule.versions}
    for index, transition in enumerate(rule.transitions):
        tr = f.Reader(r.path, r.yaml, r.problems, r.prefix + ("transitions", index))
        for key in (transition.use, *transition.also):
            if key not in keys:
                r.problems.error(r.path, tr.line("use"), tr.label("use"),
                                 describe("không có phiên bản mang mã này ('key')", key))


def local_obligations(units: Iterable[Unit], problems: Problems, national: Iterable[Obligation]) -> list[Obligation]:
    """Return the obligations supervising units impose on their subordinates (from `obligations:`)."""
    # a local id is also the address of its page, so it may take neither a shipped id nor a shipped address
    taken: dict[str, str | None] = {name: None for rule in national for name in (rule.id, rule.slug)}
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
    r.unknown_keys(OBLIGATION_FIELDS + (LOCAL_FIELDS if imposer else ()), " trong nghĩa vụ")
    rule_id = r.get("id", f.required_text, required=True)
    if rule_id and not ID_RE.match(rule_id):
        r.problems.error(r.path, r.line("id"), r.label("id"),
                         describe("mã nghĩa vụ chỉ gồm chữ thường không dấu, chữ số và dấu '-'", rule_id))
        rule_id = None
    title = r.get("title", f.required_text, required=True)
    applies = _read_applicability(r.child("applies_to"))
    fulfils = _read_fulfilment(r.child("fulfilled_by"))
    sure = r.get("sure", f.choice({k: k for k in CERTAINTY}, "mức độ chắc chắn")) or ("text" if imposer else "unverified")
    versions = [_read_version(r, imposer)] if imposer is not None else [_read_version(vr, None) for vr in r.items("versions")]
    versions = [v for v in versions if v is not None]
    if not versions:
        r.problems.error(r.path, r.line(), r.label("versions"), "nghĩa vụ cần ít nhất một phiên bản có thời hạn.")
    reach = r.get("reach", f.choice({"managed": "managed", "guided": "guided"}, "phạm vi")) if imposer else None
    if None in (rule_id, title, fulfils) or not versions:
        return None
    enabled = r.get("enabled", f.boolean)
    return Obligation(
        id=rule_id, title=title, short=r.get("short", f.text) or title, summary=r.get("summary", f.text) or title,  # type: ignore[arg-type]
        applies_to=applies, fulfilled_by=fulfils,  # type: ignore[arg-type]
        versions=tuple(sorted(versions, key=lambda v: v.effective_from)), sure=sure,
        retention_years=r.get("retention_years", f.integer) or 0, imposed_by=imposer.code if imposer else None,
        transitions=tuple(t for t in (_read_transition(tr) for tr in r.items("transitions")) if t is not None),
        enabled=enabled if enabled is not None else True, reach=reach or "managed",
    )


def _read_applicability(r: f.Reader) -> Applicability:
    r.unknown_keys(("units", "budget_roles", "settles_procedures", "ownership"), " trong 'applies_to'")
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
                             describe("vai trò ngân sách không hợp lệ", role, "Sửa: dùng " + ", ".join(BUDGET_ROLES) + "."))
    owners = r.get("ownership", f.text_list) or ()
    for owner in owners:
        if owner not in OWNERSHIP:
            r.problems.error(r.path, r.line("ownership"), r.label("ownership"),
                             describe("loại hình không hợp lệ", owner, "Sửa: dùng " + ", ".join(OWNERSHIP) + "."))
    return Applicability(frozenset(kinds), frozenset(x for x in roles if x in BUDGET_ROLES),
                         bool(r.get("settles_procedures", f.boolean)), frozenset(o for o in owners if o in OWNERSHIP))


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


def _year_range(r: f.Reader) -> YearRange | None:
    r.unknown_keys(("from", "to"))
    first, last = r.get("from", f.integer), r.get("to", f.integer)
    return YearRange(first, last) if first is not None or last is not None else None


def _read_version(r: f.Reader, imposer: Unit | None) -> RuleVersion | None:
    if imposer is None:
        r.unknown_keys(("key", "effective_from", "effective_to", "basis", "note", "schedules", "select_by",
                        "budget_years", "texts", "sure"), " trong phiên bản")
    start = r.get("effective_from", f.date_value, required=imposer is None)
    if start is None and imposer is not None:
        start = imposer.active_from or date(2000, 1, 1)
    end = r.get("effective_to", f.date_value)
    basis = r.get("basis", f.required_text, required=True)
    schedules = [_read_schedule(sr) for sr in r.items("schedules")] if imposer is None else [_read_schedule(r)]
    schedules = [s for s in schedules if s is not None]
    if start is None or basis is None or not schedules:
        return None
    if imposer is not None:
        return RuleVersion(start, end, basis, r.get("note", f.text), tuple(schedules), key="", select_by="deadline")
    return RuleVersion(
        start, end, basis, r.get("note", f.text), tuple(schedules), key=r.get("key", f.text) or "",
        select_by=r.get("select_by", f.choice({k: k for k in SELECT_BY}, "cách chọn phiên bản")) or "event",
        budget_years=_year_range(r.child("budget_years")) if r.present("budget_years") else None,
        texts=r.get("texts", f.text_list) or (), sure=r.get("sure", f.choice({k: k for k in CERTAINTY}, "mức độ chắc chắn")),
    )


def _read_transition(r: f.Reader) -> Transition | None:
    r.unknown_keys(("budget_years", "periods", "use", "also", "basis", "note"), " trong điều khoản chuyển tiếp")
    years = _year_range(r.child("budget_years"))
    use, basis = r.get("use", f.required_text, required=True), r.get("basis", f.required_text, required=True)
    if years is None:
        r.problems.error(r.path, r.line(), r.label("budget_years"), "điều khoản chuyển tiếp cần 'budget_years'.")
    if years is None or use is None or basis is None:
        return None
    return Transition(years, use, basis, r.get("periods", f.text_list) or (), r.get("also", f.text_list) or (),
                      r.get("note", f.text))


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
    return Schedule(tuple(periods), deadline)  # type: ignore[arg-type]


def _year_day(r: f.Reader) -> YearDay | None:
    r.unknown_keys(("month", "day", "year_offset", "before", "moves"))
    month, day = r.get("month", f.integer, required=True), r.get("day", f.integer, required=True)
    if month is None or day is None:
        return None
    try:
        date(2024, month, day)
    except ValueError:
        r.problems.error(r.path, r.line(), r.label(), describe("ngày tháng không có thật", f"{day}/{month}"))
        return None
    return YearDay(month, day, r.get("year_offset", f.integer))


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
        before, moves = sub.get("before", f.boolean), sub.get("moves", f.boolean)
        return Deadline(kind, fixed=day, before=bool(before), moves=moves) if day else None
    sub.unknown_keys(("days", "working", "event", "assume", "moves"))
    days = sub.get("days", f.integer, required=True)
    event = assume = None
    if kind is DeadlineKind.AFTER_EVENT:
        event = sub.get("event", f.choice({e: e for e in EVENTS}, "sự kiện"), required=True)
        assume = _year_day(sub.child("assume")) if sub.present("assume") else None
    if days is None or (kind is DeadlineKind.AFTER_EVENT and event is None):
        return None
    return Deadline(kind, days=days, working=bool(sub.get("working", f.boolean)), event=event, assume=assume,
                    moves=sub.get("moves", f.boolean))


def load_rules(units: Iterable[Unit], problems: Problems, enabled: Iterable[str] = (),
               disabled: Iterable[str] = ()) -> Rules:
    """Return the national rules and every unit's local ones. An obligation shipped off
    (`enabled: false`, those whose basis is unverified) is judged only when `enabled` names it;
    `disabled` switches any obligation off."""
    national = load_national()
    units = list(units)
    local = local_obligations(units, problems, national)
    every = {rule.id: rule for rule in [*national, *local]}
    on, off = set(enabled), set(disabled)
    switched_off = {rid for rid, rule in every.items() if (not rule.enabled and rid not in on) or rid in off}
    return Rules(every, national.texts, frozenset(switched_off))


def check_switches(rules: Rules, switches: Mapping[str, Iterable[str]], config_file: Path, problems: Problems) -> None:
    """Record an error for each obligation id in the settings (`obligations_on`, `obligations_off`)
    that names no obligation."""
    for key, ids in switches.items():
        for rule_id in ids:
            if rules.get(rule_id) is None:
                problems.error(config_file, None, f"extra.congkhai.{key}", describe(
                    "không có nghĩa vụ công khai mang mã này", rule_id,
                    "Sửa: dùng một trong: " + ", ".join(r.id for r in rules) + "."))


def event_date(details: Any, event: str | None) -> date | None:
    """Return the event date a posting declares (e.g. the budget's `assigned_date`)."""
    if event is None or details is None:
        return None
    return getattr(details, event, None)


__all__ = ["Obligation", "Rules", "load_rules", "is_working_day", "PeriodKind", "next_working_day"]
