"""Admissions notices (tuyển sinh): the school year, the grade, the number of places, the window for
applications and how pupils are admitted — what Thông tư 09/2024/TT-BGDĐT asks a school to make public
about its admissions (secondary source: the article numbers are not verified, see DOMAIN.md).

This kind is also the demonstration of the registry: it is this module, its page template
(site/templates/kinds/tuyen-sinh.html), its section of the authoring guide and its tests; no other
file of the project names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..model import fields as f
from ..model.documents import Document
from ..model.kind import Badge, Banner, FieldSpec, Kind
from ..model.problems import describe
from ..model.text import format_date, format_date_long, format_int

METHODS = {
    "xet-tuyen": "Xét tuyển",
    "thi-tuyen": "Thi tuyển",
    "ket-hop": "Kết hợp thi tuyển và xét tuyển",
    "phan-tuyen": "Phân tuyến theo địa bàn (không tuyển chọn)",
}
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Admission:
    """What an admissions notice announces."""

    school_year: str | None
    grade: str | None
    places: int | None
    apply_from: date | None
    apply_until: date | None
    method: str | None
    area: str | None

    def open_on(self, day: date) -> bool:
        """Return True while applications are being received."""
        return bool(self.apply_from and self.apply_until and self.apply_from <= day <= self.apply_until)

    def closed_on(self, day: date) -> bool:
        return self.apply_until is not None and day > self.apply_until


_PUBLISHED = "published"
_DATE = (r"^\d{4}-\d{2}-\d{2}$", "ngày dạng năm-tháng-ngày")
FIELDS = (
    FieldSpec("school_year", "Năm học tuyển sinh", "Năm học tuyển sinh, dạng 2026-2027 (bắt buộc khi đăng).",
              "2026-2027", required=_PUBLISHED, pattern=(_SCHOOL_YEAR.pattern, "năm học dạng 2026-2027")),
    FieldSpec("grade", "Khối lớp tuyển", "Khối lớp hoặc nhóm tuổi tuyển sinh.", "Lớp 6"),
    FieldSpec("places", "Chỉ tiêu", "Chỉ tiêu tuyển sinh (số học sinh), số nguyên dương.", "315", widget="number"),
    FieldSpec("apply_from", "Nhận hồ sơ từ ngày", "Ngày bắt đầu nhận hồ sơ.", "2026-07-01", widget="date",
              pattern=_DATE),
    FieldSpec("apply_until", "Nhận hồ sơ đến ngày", "Ngày cuối cùng nhận hồ sơ; không trước 'apply_from'.",
              "2026-07-15", widget="date", pattern=_DATE),
    FieldSpec("method", "Phương thức tuyển sinh", "Phương thức: xet-tuyen, thi-tuyen, ket-hop hoặc phan-tuyen.",
              "xet-tuyen", widget="select", choices=tuple(METHODS.items())),
    FieldSpec("area", "Địa bàn tuyển sinh", "Địa bàn tuyển sinh (xã, phường, thôn, tổ dân phố).",
              "Phường Hoa Sen", widget="text"),
)


def _school_year(value: object) -> str | None:
    raw = f.text(value)
    if raw is None:
        return None
    match = _SCHOOL_YEAR.match(raw.replace("–", "-").replace(" ", ""))
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise f.FieldError("năm học phải có dạng 2026-2027 (hai năm liền nhau)", raw)
    return match.group(0)


def read(r: f.Reader, ctx: f.ReadContext) -> Admission:
    """Return the admissions fields; the school year is required once the notice is published."""
    places = r.get("places", f.integer)
    if places is not None and places < 1:
        r.problems.error(r.path, r.line("places"), "places", describe("chỉ tiêu phải từ 1 trở lên", places))
        places = None
    apply_from, apply_until = r.get("apply_from", f.date_value), r.get("apply_until", f.date_value)
    if apply_from and apply_until and apply_until < apply_from:
        r.problems.error(r.path, r.line("apply_until"), "apply_until",
                         describe(f"hạn nhận hồ sơ trước ngày bắt đầu nhận ({format_date(apply_from)})",
                                  apply_until.isoformat(), "Sửa: kiểm tra lại hai ngày nhận hồ sơ."))
    return Admission(
        school_year=r.get("school_year", _school_year, required=not ctx.is_draft), grade=r.get("grade", f.text),
        places=places, apply_from=apply_from, apply_until=apply_until,
        method=r.get("method", f.choice({key: key for key in METHODS}, "phương thức tuyển sinh")),
        area=r.get("area", f.text),
    )


def _admission(doc: Document) -> Admission | None:
    return doc.details if isinstance(doc.details, Admission) else None


def meta(doc: Document) -> list[str]:
    a = _admission(doc)
    if a is None or not a.school_year:
        return []
    return [" ".join(filter(None, (a.grade, "năm học " + a.school_year.replace("-", " – "))))]


def badges(doc: Document, today: date) -> list[Badge]:
    a = _admission(doc)
    if a is not None and a.open_on(today):
        return [Badge("Đang nhận hồ sơ", "warn")]
    if a is not None and a.closed_on(today):
        return [Badge("Đã hết hạn nhận hồ sơ")]
    return []


def banner(doc: Document, today: date) -> Banner | None:
    a = _admission(doc)
    if a is None or not a.closed_on(today):
        return None
    return Banner("Đã hết hạn nhận hồ sơ", f"Hạn nhận hồ sơ tuyển sinh là {format_date_long(a.apply_until)}; "
                  "thông báo dưới đây chỉ còn để tra cứu.")


def facts(doc: Document, today: date) -> list[tuple[str, str, Badge | None]]:
    a = _admission(doc)
    if a is None:
        return []
    rows: list[tuple[str, str, Badge | None]] = []
    if a.school_year:
        rows.append(("Năm học tuyển sinh", a.school_year.replace("-", " – "), None))
    if a.grade:
        rows.append(("Khối lớp", a.grade, None))
    if a.places:
        rows.append(("Chỉ tiêu", f"{format_int(a.places)} học sinh", None))
    if a.apply_from or a.apply_until:
        window = " – ".join(format_date(d) for d in (a.apply_from, a.apply_until) if d)
        rows.append(("Thời gian nhận hồ sơ", window, Badge("Đang nhận hồ sơ", "warn") if a.open_on(today) else None))
    if a.method:
        rows.append(("Phương thức", METHODS[a.method], None))
    if a.area:
        rows.append(("Địa bàn tuyển sinh", a.area, None))
    return rows


def search_text(doc: Document) -> list[str]:
    a = _admission(doc)
    return [w for w in (a.grade, a.school_year and f"năm học {a.school_year}") if w] if a else []


KIND = Kind(
    folder="tuyen-sinh",
    label="Tuyển sinh",
    lower="thông báo tuyển sinh",
    about="kế hoạch, thông báo và kết quả tuyển sinh: chỉ tiêu, thời gian nhận hồ sơ, phương thức, địa bàn",
    fields=FIELDS,
    read=read,
    body=("[Tên trường] thông báo tuyển sinh vào [khối lớp] năm học … như sau:\n\n## 1. Đối tượng, địa bàn\n\n…\n\n"
          "## 2. Hồ sơ\n\n- …\n\n## 3. Thời gian, địa điểm nhận hồ sơ\n\n…\n"),
    meta=meta,
    badges=badges,
    banner=banner,
    facts=facts,
    search_text=search_text,
)
