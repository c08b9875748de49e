"""Units (who publishes): loading `units/<code>.yml`, validating the hierarchy, and asking who
supervised whom on a given day."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import fields as f
from .inventory import QUIET, TEMPORARY, link_problem
from .limits import MAX_UNIT_FILE_BYTES
from .problems import Problems, describe
from .sources import YAML_FIX, YamlData, YamlInputError, parse_yaml, read_text
from .text import format_date, slugify

CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DISTRICT_LEVEL_END = date(2025, 6, 30)

# Top-level URL segments the portal itself uses; a unit code may not take them.
RESERVED_CODES = frozenset(
    {"assets", "data", "search", "nghia-vu", "linh-vuc", "huong-dan", "tim-kiem", "pagefind",
     "don-vi", "rss", "feeds", "404", "sitemap", "static", "javascripts", "stylesheets", "cchc",
     "quan-tri", "kha-nang-tiep-can"}
)


class UnitKind(enum.Enum):
    """The kinds of unit, with their Vietnamese names."""

    SO = ("so", "Sở Giáo dục và Đào tạo")
    PHONG = ("phong", "Phòng Giáo dục và Đào tạo cấp huyện")
    XA = ("xa", "Ủy ban nhân dân cấp xã")
    MN = ("mn", "Trường mầm non")
    TH = ("th", "Trường tiểu học")
    THCS = ("thcs", "Trường trung học cơ sở")
    THPT = ("thpt", "Trường trung học phổ thông")
    GDTX = ("gdtx", "Trung tâm giáo dục thường xuyên")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label = label

    @property
    def is_school(self) -> bool:
        """Return True for schools and centres (the kinds that teach)."""
        return self in SCHOOL_KINDS

    @property
    def short(self) -> str:
        """Return the abbreviation used in names: MN, TH, THCS, THPT, GDTX."""
        return self.code.upper()


SCHOOL_KINDS = frozenset({UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.THPT, UnitKind.GDTX})
KINDS_BY_CODE = {k.code: k for k in UnitKind}
# Loại hình of a school (Luật Giáo dục 2019 Điều 47: công lập, dân lập, tư thục; secondary).
OWNERSHIP = {"cong-lap": "công lập", "dan-lap": "dân lập", "tu-thuc": "tư thục"}
# Financial autonomy of a public service unit (Nghị định 60/2021/NĐ-CP, four groups; secondary).
AUTONOMY = {
    "1": "tự bảo đảm chi thường xuyên và chi đầu tư",
    "2": "tự bảo đảm chi thường xuyên",
    "3": "tự bảo đảm một phần chi thường xuyên",
    "4": "do Nhà nước bảo đảm chi thường xuyên",
}


@dataclass(frozen=True)
class ParentPeriod:
    """The body above a unit from `start` to `end` (inclusive; None = open): a unit of the portal
    (`unit`), or a body outside it named in full (`name`, e.g. the provincial People's Committee)."""

    unit: str | None
    start: date | None = None
    end: date | None = None
    line: int | None = None
    name: str | None = None

    def covers(self, day: date) -> bool:
        """Return True when `day` falls in the period."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class FormerName:
    """A name the unit used until a date."""

    name: str
    until: date


@dataclass(frozen=True)
class Person:
    """A named person with a title (the head of a unit, the signer of a document)."""

    name: str | None
    title: str | None
    authority: str | None = None


@dataclass(frozen=True)
class IndicatorValue:
    """One year's target and result of an indicator."""

    year: int
    target: Decimal | None
    result: Decimal | None

    @property
    def met(self) -> bool | None:
        """Return True when the result reached the target (None when either is missing)."""
        if self.target is None or self.result is None:
            return None
        return self.result >= self.target


@dataclass(frozen=True)
class Indicator:
    """A reform indicator a unit publishes with its targets and results (SIPAS %, files on time…)."""

    name: str
    unit: str | None
    values: tuple[IndicatorValue, ...]


@dataclass(frozen=True)
class Unit:
    """One publishing unit, as validated from its YAML file."""

    code: str
    name: str
    kind: UnitKind
    source: Path
    levels: tuple[UnitKind, ...] = ()
    short_name: str | None = None
    parents: tuple[ParentPeriod, ...] = ()
    sector_parents: tuple[ParentPeriod, ...] = ()
    ownership: str | None = None
    autonomy: str | None = None
    place: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    head: Person | None = None
    active_from: date | None = None
    active_until: date | None = None
    successor: str | None = None
    former_names: tuple[FormerName, ...] = ()
    description: str | None = None
    indicators: tuple[Indicator, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    yaml: Any = field(default=None, compare=False, repr=False)

    @property
    def display_name(self) -> str:
        """Return the short name when given, else the full name."""
        return self.short_name or self.name

    @property
    def kind_label(self) -> str:
        """Return "Trường tiểu học và trung học cơ sở" for a multi-level school, else the kind's name."""
        if len(self.levels) > 1:
            names = [lvl.label.removeprefix("Trường ").removeprefix("Trung tâm ") for lvl in self.levels]
            return "Trường " + " và ".join(names)
        return self.kind.label

    def active_on(self, day: date) -> bool:
        """Return True when the unit existed on `day`."""
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )

    @property
    def ownership_or_default(self) -> str:
        """Return the unit's loại hình: its file's `ownership`, else công lập (state bodies, and schools
        whose file does not say)."""
        return self.ownership or "cong-lap"

    def parent_on(self, day: date) -> str | None:
        """Return the code of the unit this one is under administratively on `day` ("trực thuộc"), or
        None (none, or a body outside the portal)."""
        period = self.parent_period_on(day)
        return period.unit if period else None

    def parent_period_on(self, day: date) -> ParentPeriod | None:
        """Return the administrative parent period covering `day`, or None."""
        return next((p for p in self.parents if p.covers(day)), None)

    def sector_parent_on(self, day: date) -> str | None:
        """Return the code of the unit guiding this one professionally on `day` (quan hệ chuyên môn,
        e.g. the Sở for a commune's education work), or None when the unit's file names none."""
        return next((p.unit for p in self.sector_parents if p.covers(day)), None)

    def name_on(self, day: date) -> str:
        """Return the name the unit bore on `day` (former names apply up to their `until`)."""
        for former in sorted(self.former_names, key=lambda n: n.until):
            if day <= former.until:
                return former.name
        return self.name


class Units(Mapping[str, Unit]):
    """Every unit by code, with questions about the hierarchy on a given day."""

    def __init__(self, units: Mapping[str, Unit]) -> None:
        self._units = dict(sorted(units.items()))
        self._ever_children: dict[str, list[Unit]] = {}
        for unit in self._units.values():
            links = [p.unit for p in (*unit.parents, *unit.sector_parents) if p.unit is not None]
            for parent in dict.fromkeys(links):
                self._ever_children.setdefault(parent, []).append(unit)
        boundaries = {p_day for u in self._units.values() for p in (*u.parents, *u.sector_parents)
                      for p_day in (p.start, p.end)}
        self._boundaries = sorted(d for d in boundaries if d is not None)
        self._ancestors: dict[tuple[str, date, bool], list[str]] = {}

    def __getitem__(self, code: str) -> Unit:
        return self._units[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)

    def children_on(self, code: str, day: date) -> list[Unit]:
        """Return the units directly under `code` on `day`, active that day, ordered by kind then name."""
        found = [u for u in self._ever_children.get(code, ()) if u.active_on(day) and u.parent_on(day) == code]
        return sorted(found, key=unit_order)

    def ancestors_on(self, code: str, day: date) -> list[str]:
        """Return the administrative chain of `code` on `day` ("trực thuộc"), nearest first."""
        held = self._ancestors.get((code, day, False))
        if held is None:
            held = self._ancestors[(code, day, False)] = self._chain(code, day, False)
        return list(held)

    def overseers_on(self, code: str, day: date) -> list[str]:
        """Return the chain of units overseeing `code` on `day`, nearest first: at each step the
        sector (professional) superior when the unit has one, else its administrative superior. A
        commune's schools are overseen by the commune and, through the commune's education work, by
        the Sở; that is the chain the Sở's oversight views and feeds follow."""
        held = self._ancestors.get((code, day, True))
        if held is None:
            held = self._ancestors[(code, day, True)] = self._chain(code, day, True)
        return list(held)

    def _chain(self, code: str, day: date, sector: bool) -> list[str]:
        chain: list[str] = []
        unit = self._units[code]
        current = (unit.sector_parent_on(day) or unit.parent_on(day)) if sector else unit.parent_on(day)
        while current is not None and current in self._units and current not in chain and current != code:
            chain.append(current)
            unit = self._units[current]
            current = (unit.sector_parent_on(day) or unit.parent_on(day)) if sector else unit.parent_on(day)
        return chain

    def is_within(self, code: str, ancestor: str, day: date) -> bool:
        """Return True when `code` is `ancestor` or sits under it administratively on `day`."""
        return code == ancestor or ancestor in self.ancestors_on(code, day)

    def is_overseen_by(self, code: str, ancestor: str, day: date) -> bool:
        """Return True when `code` is `ancestor` or `ancestor` oversees it on `day` (overseers_on)."""
        return code == ancestor or ancestor in self.overseers_on(code, day)

    def sector_children_on(self, code: str, day: date) -> list[Unit]:
        """Return the active units `code` guides professionally on `day` without managing them."""
        found = [u for u in self._units.values() if u.active_on(day) and u.sector_parent_on(day) == code]
        return sorted(found, key=unit_order)

    def parent_body_on(self, code: str, day: date) -> str | None:
        """Return the name of the body `code` is under administratively on `day` (its cơ quan chủ
        quản, as a document's header names it): a portal unit's name on that day, or the outside body
        named in the unit's file; None when there is none."""
        period = self._units[code].parent_period_on(day)
        if period is None:
            return None
        if period.unit is not None and period.unit in self._units:
            return self._units[period.unit].name_on(day)
        return period.name

    def ever_under(self, ancestor: str) -> list[Unit]:
        """Return every unit `ancestor` oversaw at some time (not including it), ordered."""
        found = []
        for unit in self.ever_below(ancestor):
            if unit.code != ancestor and any(
                self.is_overseen_by(unit.code, ancestor, day) for day in _sample_days(unit, self)
            ):
                found.append(unit)
        return sorted(found, key=unit_order)

    def ever_below(self, ancestor: str) -> list[Unit]:
        """Return every unit with a supervising chain that ever reaches `ancestor` (a superset of those
        really under it on some day), in code order."""
        found: dict[str, Unit] = {}
        queue = [ancestor]
        while queue:
            for child in self._ever_children.get(queue.pop(), ()):
                if child.code not in found and child.code != ancestor:
                    found[child.code] = child
                    queue.append(child.code)
        return [found[c] for c in sorted(found)]

    def former_children(self, code: str, day: date) -> list[Unit]:
        """Return the units that were directly under `code` (administratively) at some time but are
        not on `day`."""
        found = [
            u for u in self._ever_children.get(code, ())
            if any(p.unit == code for p in u.parents) and not (u.active_on(day) and u.parent_on(day) == code)
        ]
        return sorted(found, key=unit_order)

    def roots_on(self, day: date) -> list[Unit]:
        """Return the active units with no active supervisor on `day`."""
        roots = [
            u for u in self._units.values()
            if u.active_on(day) and (u.parent_on(day) is None or u.parent_on(day) not in self._units)
        ]
        return sorted(roots, key=unit_order)

    def dissolved_by(self, day: date) -> list[Unit]:
        """Return the units no longer active on `day` (kept as history)."""
        return sorted(
            (u for u in self._units.values() if u.active_until is not None and u.active_until < day),
            key=unit_order,
        )


_KIND_ORDER = {k: i for i, k in enumerate(UnitKind)}


def unit_order(unit: Unit) -> tuple[int, str]:
    """Return the sort key of units in lists: kind (Sở first, schools by level), then code."""
    return (_KIND_ORDER[unit.kind], unit.code)


def _sample_days(unit: Unit, units: Units) -> list[date]:
    """Return the days on which `unit`'s supervising chain may differ (every period boundary)."""
    days = {unit.active_from or date(1900, 1, 1), *units._boundaries}
    return sorted(d for d in days if unit.active_on(d))


UNIT_FIELDS = (
    "code", "name", "short_name", "kind", "levels", "parent", "address", "phone", "email", "website",
    "head", "active_from", "active_until", "successor", "former_names", "description", "obligations",
    "indicators", "budget_role", "settles_procedures", "sector_parent", "ownership", "autonomy", "place",
)


def load_units(folder: Path, problems: Problems) -> Units:
    """Return every unit in `folder` (`*.yml`), recording every problem; invalid units are left out
    only when they cannot be read at all."""
    raw: dict[str, list[Unit]] = {}
    if not folder.is_dir():
        problems.error(folder, None, None, "không tìm thấy thư mục đơn vị. Sửa: tạo thư mục units/ với một tệp <mã>.yml cho mỗi đơn vị.")
        return Units({})
    paths = unit_files(folder, problems)
    for path in paths:
        unit = _read_unit(path, problems)
        if unit is not None:
            raw.setdefault(unit.code, []).append(unit)
    units: dict[str, Unit] = {}
    for code, found in raw.items():
        if len(found) > 1:
            for unit in found[1:]:
                problems.error(
                    unit.source, None, "code",
                    describe("mã đơn vị trùng với tệp " + _rel(found[0].source), code,
                             "Sửa: mỗi đơn vị một mã riêng."),
                )
        units[code] = found[0]
    result = Units(units)
    _check_links(result, problems)
    _check_cycles(result, problems)
    return result


def unit_files(folder: Path, problems: Problems) -> list[Path]:
    """Return the unit files of `folder` (`<code>.yml`), reporting every other entry by name: a link that
    leads nowhere, loops or leaves the folder is an error; a subfolder, an editor's temporary file or a
    file of another type is a warning (it is not read). Nothing in units/ is passed over in silence."""
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        problem = link_problem(path, folder)
        if problem is not None:
            problems.error(path, None, None, problem)
        elif path.name in QUIET:
            continue
        elif path.is_dir():
            problems.warning(path, None, None, "thư mục con trong units/ không được đọc. Sửa: đặt mỗi tệp "
                                               "<mã>.yml ngay trong units/, không trong thư mục con.")
        elif TEMPORARY.search(path.name):
            problems.warning(path, None, None, "tệp tạm của trình soạn thảo hay hệ điều hành, không được đọc. "
                                               "Sửa: xóa tệp này.")
        elif path.suffix in (".yml", ".yaml") and path.is_file() and not path.name.startswith("."):
            found.append(path)
        else:
            problems.warning(path, None, None, "tệp này không phải tệp đơn vị <mã>.yml nên không được đọc. Sửa: "
                                               f"đổi tên thành {_suggested_name(path.name)} nếu đây là một đơn vị, "
                                               "hoặc chuyển tệp ra khỏi units/.")
    return found


def _suggested_name(name: str) -> str:
    stem = name.lstrip(".").split(".")[0].lower() or "ma-don-vi"
    return stem + ".yml"


def _rel(path: Path) -> str:
    from .problems import display_path

    return display_path(path)


def _read_unit(path: Path, problems: Problems) -> Unit | None:
    """Return the unit in `path` (units/<code>.yml), or None when it cannot be used (problems recorded)."""
    data = _unit_yaml(path, problems)
    if data is None:
        return None
    r = f.Reader(path, data, problems)
    r.unknown_keys(UNIT_FIELDS, " trong tệp đơn vị")
    code = _read_code(r, path)
    name = r.get("name", f.required_text, required=True)
    kind = r.get("kind", f.choice(KINDS_BY_CODE, "loại đơn vị"), required=True)
    levels = _read_levels(r, kind)
    parents = _read_parents(r, "parent")
    if kind is UnitKind.SO and any(p.unit for p in parents):
        problems.error(path, r.line("parent"), "parent", "Sở Giáo dục và Đào tạo là cấp cao nhất của cổng, không trực "
                                                         "thuộc đơn vị nào của cổng. Sửa: ghi cơ quan chủ quản bằng tên, "
                                                         "ví dụ 'parent: [{name: Ủy ban nhân dân tỉnh …}]'.")
    active_from, active_until, successor = _read_life(r, kind)
    email, website = _read_contacts(r)
    ownership, autonomy = _read_ownership(r, kind)
    if code is None or name is None or kind is None:
        return None
    return Unit(
        code=code, name=name, kind=kind, source=path, levels=levels,
        short_name=r.get("short_name", f.text), parents=parents, sector_parents=_read_parents(r, "sector_parent"),
        ownership=ownership, autonomy=autonomy, place=r.get("place", f.text),
        address=r.get("address", f.text), phone=r.get("phone", f.text), email=email, website=website,
        head=_read_head(r), active_from=active_from, active_until=active_until, successor=successor,
        former_names=_read_former_names(r), description=r.get("description", f.text),
        indicators=_read_indicators(r), extra=_read_extra(r), yaml=data,
    )


def _unit_yaml(path: Path, problems: Problems) -> YamlData | None:
    """Return the parsed YAML of a unit file, or None (problem recorded) when it is not a group of fields."""
    text = read_text(path, problems, MAX_UNIT_FILE_BYTES,
                     "Sửa: tệp đơn vị chỉ ghi thông tin của đơn vị; văn bản dài đặt trong content/.")
    if text is None:
        return None
    try:
        data = parse_yaml(text)
    except YamlInputError as exc:
        problems.error(path, exc.line, None, f"{exc.message}. {YAML_FIX}")
        return None
    if not isinstance(data.data, dict):
        problems.error(path, None, None, "tệp đơn vị phải là một nhóm trường dạng 'tên: giá trị' (code, name, kind…).")
        return None
    return data


def _read_code(r: f.Reader, path: Path) -> str | None:
    """Return the unit's code: the file's name (units/<code>.yml, the documented contract). A `code:`
    written in the file must agree with it; a missing one is fine."""
    code = path.stem
    written = r.get("code", f.text)
    if not CODE_RE.match(code):
        r.problems.error(path, r.line("code") or 1, "code",
                         describe("tên tệp đơn vị (mã đơn vị) chỉ gồm chữ thường không dấu, chữ số và dấu '-'",
                                  path.name, f"Sửa: đổi tên tệp thành {slugify(code) or 'ma-don-vi'}.yml."))
        return None
    if code in RESERVED_CODES:
        r.problems.error(path, r.line("code") or 1, "code",
                         describe("mã này trùng với một mục chung của cổng", code,
                                  "Sửa: chọn mã khác và đổi tên tệp theo mã đó."))
        return None
    if written is not None and written != code:
        r.problems.error(path, r.line("code"), "code",
                         describe(f"mã trong tệp không khớp với tên tệp '{path.name}' (mã đơn vị lấy theo tên tệp)",
                                  written, f"Sửa: xóa dòng 'code' hoặc ghi 'code: {code}' (hoặc đổi tên tệp thành "
                                           f"{written}.yml nếu '{written}' mới là mã đúng)."))
    return code


def _read_life(r: f.Reader, kind: UnitKind | None) -> tuple[date | None, date | None, str | None]:
    """Return when the unit started and stopped, and its successor (checked against each other)."""
    active_from = r.get("active_from", f.date_value)
    active_until = r.get("active_until", f.date_value)
    if active_from and active_until and active_from > active_until:
        r.problems.error(r.path, r.line("active_until"), "active_until",
                         describe(f"ngày kết thúc hoạt động trước ngày bắt đầu ({format_date(active_from)})",
                                  active_until.isoformat()))
    if kind is UnitKind.PHONG and (active_until is None or active_until > DISTRICT_LEVEL_END):
        r.problems.warning(
            r.path, r.line("active_until") or r.line("kind"), "active_until",
            "Phòng Giáo dục và Đào tạo cấp huyện kết thúc hoạt động từ ngày 01/07/2025 "
            "(sắp xếp chính quyền hai cấp). Sửa: ghi 'active_until: 2025-06-30' và 'successor'.",
        )
    successor = r.get("successor", f.text)
    if successor and active_until is None:
        r.problems.error(r.path, r.line("successor"), "successor",
                         "chỉ đơn vị đã giải thể mới có đơn vị kế thừa. Sửa: thêm 'active_until' hoặc xóa 'successor'.")
    return active_from, active_until, successor


def _read_contacts(r: f.Reader) -> tuple[str | None, str | None]:
    """Return the unit's email and website, each None when it cannot be used (problem recorded)."""
    email = r.get("email", f.text)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        r.problems.error(r.path, r.line("email"), "email", describe("địa chỉ thư điện tử không hợp lệ", email))
        email = None
    website = r.get("website", f.text)
    if website and not re.match(r"https?://", website):
        r.problems.error(r.path, r.line("website"), "website",
                         describe("địa chỉ trang web phải bắt đầu bằng https:// hoặc http://", website))
        website = None
    return email, website


def _read_head(r: f.Reader) -> Person | None:
    if not r.present("head"):
        return None
    hr = r.child("head")
    hr.unknown_keys(("name", "title"))
    return Person(hr.get("name", f.text), hr.get("title", f.text))


def _read_former_names(r: f.Reader) -> tuple[FormerName, ...]:
    former = []
    for fr in r.items("former_names"):
        fr.unknown_keys(("name", "until"))
        fname = fr.get("name", f.required_text, required=True)
        until = fr.get("until", f.date_value, required=True)
        if fname and until:
            former.append(FormerName(fname, until))
    return tuple(sorted(former, key=lambda n: n.until))


def _read_extra(r: f.Reader) -> dict[str, Any]:
    """Return what the rules read from a unit file: its local obligations, budget role, procedures."""
    extra: dict[str, Any] = {key: r.raw(key) for key in ("obligations",) if r.present(key)}
    role = r.get("budget_role", f.choice({k: k for k in ("su-dung", "cap-tren", "khong")}, "vai trò ngân sách"))
    if role:
        extra["budget_role"] = role
    settles = r.get("settles_procedures", f.boolean)
    if settles is not None:
        extra["settles_procedures"] = settles
    return extra


def _year(value: Any) -> int | None:
    raw = f.text(value)
    if raw is None:
        return None
    if not re.fullmatch(r"\d{4}", raw):
        raise f.FieldError("cần năm gồm 4 chữ số", raw)
    return int(raw)


def _read_indicators(r: f.Reader) -> tuple[Indicator, ...]:
    found = []
    for ir in r.items("indicators"):
        ir.unknown_keys(("name", "unit", "values"), " trong chỉ số")
        name = ir.get("name", f.required_text, required=True)
        values = []
        seen: set[int] = set()
        for vr in ir.items("values"):
            vr.unknown_keys(("year", "target", "result"), " trong chỉ số")
            year = vr.get("year", _year, required=True)
            if year in seen:
                r.problems.error(r.path, vr.line("year"), vr.label("year"),
                                 describe("năm bị lặp lại trong chỉ số", year, "Sửa: mỗi năm một dòng."))
                continue
            if year is not None:
                seen.add(year)
                values.append(IndicatorValue(year, vr.get("target", f.decimal_value), vr.get("result", f.decimal_value)))
        if name:
            found.append(Indicator(name, ir.get("unit", f.text), tuple(sorted(values, key=lambda v: v.year))))
    return tuple(found)


def _read_levels(r: f.Reader, kind: UnitKind | None) -> tuple[UnitKind, ...]:
    levels = r.get("levels", f.text_list)
    if not levels:
        return (kind,) if kind else ()
    result = []
    for level in levels:
        found = KINDS_BY_CODE.get(level)
        if found is None or not found.is_school:
            r.problems.error(
                r.path, r.line("levels"), "levels",
                describe("cấp học không hợp lệ", level, "Sửa: dùng mn, th, thcs, thpt hoặc gdtx."),
            )
            continue
        result.append(found)
    if kind is not None and not kind.is_school:
        r.problems.error(r.path, r.line("levels"), "levels",
                         "chỉ trường học mới có cấp học. Sửa: xóa trường 'levels'.")
        return (kind,)
    if kind is not None and result and kind not in result:
        r.problems.error(
            r.path, r.line("levels"), "levels",
            describe(f"danh sách cấp học phải gồm cả cấp '{kind.code}' của trường", ", ".join(levels)),
        )
    return tuple(sorted(set(result), key=lambda k: _KIND_ORDER[k]))


def _read_ownership(r: f.Reader, kind: UnitKind | None) -> tuple[str | None, str | None]:
    """Return the school's loại hình and financial autonomy group (only schools have them; autonomy
    only for public ones)."""
    ownership = r.get("ownership", f.choice({k: k for k in OWNERSHIP}, "loại hình (cong-lap, dan-lap, tu-thuc)"))
    autonomy = r.get("autonomy", f.choice({k: k for k in AUTONOMY}, "nhóm tự chủ tài chính (1, 2, 3, 4)"))
    if ownership and kind is not None and not kind.is_school:
        r.problems.error(r.path, r.line("ownership"), "ownership", describe(
            "chỉ trường học, trung tâm mới có loại hình công lập, dân lập, tư thục", ownership,
            "Sửa: xóa trường 'ownership'."))
        ownership = None
    if autonomy and (ownership or "cong-lap") != "cong-lap":
        r.problems.error(r.path, r.line("autonomy"), "autonomy", describe(
            "chỉ đơn vị sự nghiệp công lập mới có nhóm tự chủ tài chính", autonomy, "Sửa: xóa trường 'autonomy'."))
        autonomy = None
    return ownership, autonomy


def _read_parents(r: f.Reader, field: str) -> tuple[ParentPeriod, ...]:
    """Return the dated superiors in `field` ('parent': administrative; 'sector_parent': professional).
    A 'parent' item may name a body outside the portal (`name`) instead of a unit code (`unit`)."""
    raw = r.raw(field)
    if raw is None:
        return ()
    if isinstance(raw, str):
        code = f.text(raw)
        return (ParentPeriod(code, line=r.line(field)),) if code else ()
    periods = []
    for pr in r.items(field):
        pr.unknown_keys(("unit", "name", "from", "until") if field == "parent" else ("unit", "from", "until"))
        name = pr.get("name", f.text) if field == "parent" else None
        code = pr.get("unit", f.required_text, required=name is None)
        start = pr.get("from", f.date_value)
        end = pr.get("until", f.date_value)
        if start and end and start > end:
            r.problems.error(r.path, pr.line("until"), pr.label("until"),
                             describe(f"ngày kết thúc trước ngày bắt đầu ({format_date(start)})", end.isoformat()))
            continue
        if code and name:
            r.problems.error(r.path, pr.line("name"), pr.label("name"), describe(
                "mỗi giai đoạn ghi một đơn vị của cổng ('unit') hoặc tên một cơ quan ngoài cổng ('name'), không cả hai",
                name, "Sửa: xóa một trong hai dòng."))
            continue
        if code or name:
            periods.append(ParentPeriod(code, start, end, pr.line(), name))
    periods.sort(key=lambda p: (p.start or date.min))
    _check_sequence(r, field, periods)
    return tuple(periods)


def _check_sequence(r: f.Reader, label: str, periods: list[ParentPeriod]) -> None:
    """Record an error when dated superiors overlap, leave a gap, or miss a start date."""
    for before, after in zip(periods, periods[1:]):
        first, second = before.unit or before.name, after.unit or after.name
        if before.end is None or (after.start is not None and after.start <= before.end):
            r.problems.error(
                r.path, after.line, label,
                f"hai giai đoạn trực thuộc chồng lên nhau ({first} và {second}). "
                "Sửa: giai đoạn trước phải có 'until' sớm hơn 'from' của giai đoạn sau.",
            )
        elif after.start is None:
            r.problems.error(r.path, after.line, label,
                             f"giai đoạn trực thuộc {second} thiếu 'from'. Sửa: ghi ngày bắt đầu.")
        elif after.start != before.end + timedelta(days=1):
            r.problems.error(
                r.path, after.line, label,
                f"có khoảng trống giữa hai giai đoạn trực thuộc: {first} đến {format_date(before.end)}, "
                f"{second} từ {format_date(after.start)}. Sửa: 'from' của giai đoạn sau phải là "
                f"{(before.end + timedelta(days=1)).isoformat()}.",
            )


def _check_links(units: Units, problems: Problems) -> None:
    for unit in units.values():
        for label, periods in (("parent", unit.parents), ("sector_parent", unit.sector_parents)):
            for period in periods:
                if period.unit is not None:
                    _check_link(units, unit, period, label, problems)
        if unit.successor is not None and unit.successor not in units:
            problems.error(
                unit.source, None, "successor",
                describe("không có đơn vị kế thừa mang mã này", unit.successor,
                         "Sửa: dùng mã của một tệp trong thư mục units/."),
            )


def _check_link(units: Units, unit: Unit, period: ParentPeriod, label: str, problems: Problems) -> None:
    """Record an error when a superior is unknown or did not exist during the period; warn when a
    commune is put under the Sở administratively."""
    parent = units.get(period.unit or "")
    if parent is None:
        problems.error(unit.source, period.line, label,
                       describe("không có đơn vị cấp trên mang mã này", period.unit,
                                "Sửa: dùng mã của một tệp trong thư mục units/."))
        return
    if parent.code == unit.code:
        return  # reported as a cycle
    start = period.start or unit.active_from
    end = period.end or unit.active_until
    if parent.active_until is not None and (end is None or end > parent.active_until):
        problems.error(
            unit.source, period.line, label,
            f"đơn vị cấp trên {parent.code} chỉ hoạt động đến {format_date(parent.active_until)}. "
            f"Sửa: ghi 'until: {parent.active_until.isoformat()}' cho giai đoạn này và thêm "
            "giai đoạn trực thuộc đơn vị mới.",
        )
    if parent.active_from is not None and (start is None or start < parent.active_from):
        problems.error(
            unit.source, period.line, label,
            f"đơn vị cấp trên {parent.code} chỉ hoạt động từ {format_date(parent.active_from)}. "
            f"Sửa: ghi 'from: {parent.active_from.isoformat()}' cho giai đoạn này.",
        )
    if label == "parent" and unit.kind is UnitKind.XA and parent.kind is UnitKind.SO:
        problems.warning(
            unit.source, period.line, label,
            describe("Ủy ban nhân dân cấp xã không trực thuộc Sở Giáo dục và Đào tạo: về hành chính xã thuộc Ủy ban "
                     "nhân dân tỉnh, Sở chỉ hướng dẫn, kiểm tra chuyên môn (Thông tư 15/2025/TT-BGDĐT)", parent.code,
                     f"Sửa: ghi 'sector_parent: {parent.code}' và 'parent: [{{name: Ủy ban nhân dân tỉnh …}}]'."),
        )


_ORIGIN = date(1900, 1, 1)


def _check_cycles(units: Units, problems: Problems) -> None:
    days = {_ORIGIN}
    for unit in units.values():
        for period in unit.parents:
            days.update(d for d in (period.start, period.end) if d is not None)
    reported: set[frozenset[str]] = set()
    for day in sorted(days):
        for unit in units.values():
            seen = [unit.code]
            current = unit.parent_on(day)
            while current is not None and current in units:
                if current in seen:
                    cycle = seen[seen.index(current):]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        first = units[min(cycle)]
                        start = cycle.index(first.code)
                        ordered = cycle[start:] + cycle[:start] + [first.code]
                        period = next(p for p in first.parents if p.covers(day))
                        when = "" if day == _ORIGIN else f" (ngày {format_date(day)})"
                        problems.error(
                            first.source, period.line, "parent",
                            "vòng lặp cấp trên: " + " → ".join(ordered)
                            + f"{when}. Sửa: một đơn vị không thể trực thuộc chính nó hay đơn vị cấp dưới của nó.",
                        )
                    break
                seen.append(current)
                current = units[current].parent_on(day)
