"""Notices (thông báo): how long a notice stays in force, and what readers see once it has expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import fields as f
from ..model.documents import Document
from ..model.kind import Badge, Banner, FieldSpec, Kind
from ..model.problems import describe
from ..model.text import format_date, format_date_long


@dataclass(frozen=True)
class Notice:
    """A notice's data."""

    valid_until: date | None

    def expired(self, today: date) -> bool:
        """Return True once the notice's validity has passed."""
        return self.valid_until is not None and self.valid_until < today


FIELDS = (
    FieldSpec("valid_until", "Hiệu lực đến", "Ngày cuối cùng thông báo còn hiệu lực; không trước 'date'.",
              "2026-05-31", widget="date", pattern=(r"^\d{4}-\d{2}-\d{2}$", "ngày dạng năm-tháng-ngày")),
)


def read(r: f.Reader, ctx: f.ReadContext) -> Notice:
    """Return the notice fields."""
    valid_until = r.get("valid_until", f.date_value)
    if valid_until and ctx.date and valid_until < ctx.date:
        r.problems.error(r.path, r.line("valid_until"), "valid_until",
                         describe("thông báo hết hiệu lực trước ngày ban hành", valid_until.isoformat()))
    return Notice(valid_until)


def _expired(doc: Document, today: date) -> bool:
    return isinstance(doc.details, Notice) and doc.details.expired(today)


def badges(doc: Document, today: date) -> list[Badge]:
    return [Badge("Đã hết hiệu lực")] if _expired(doc, today) else []


def banner(doc: Document, today: date) -> Banner | None:
    if not _expired(doc, today):
        return None
    return Banner("Thông báo đã hết hiệu lực", f"Thông báo này có hiệu lực đến {format_date_long(doc.details.valid_until)}; "
                  "nội dung dưới đây chỉ còn để tra cứu.")


def facts(doc: Document, today: date) -> list[tuple[str, str, Badge | None]]:
    if not isinstance(doc.details, Notice) or doc.details.valid_until is None:
        return []
    return [("Hiệu lực đến", format_date(doc.details.valid_until),
             Badge("Đã hết hiệu lực", "warn") if _expired(doc, today) else None)]


KIND = Kind(
    folder="thong-bao",
    label="Thông báo",
    lower="thông báo",
    about="thông báo công khai, lịch tiếp dân, báo cáo thường niên, thông tin chung của nhà trường…",
    fields=FIELDS,
    read=read,
    body="[Tên đơn vị] thông báo …\n",
    badges=badges,
    banner=banner,
    facts=facts,
)
