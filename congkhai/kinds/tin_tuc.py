"""Reform news (tin cải cách hành chính) and notices (thông báo): their own fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import fields as f
from ..model.files import IMAGE_EXTENSIONS, FileRefError, LocalFile, resolve_file
from ..model.problems import describe


@dataclass(frozen=True)
class Area:
    """One of the six areas of administrative reform (Chương trình tổng thể CCHC)."""

    key: str
    label: str


AREAS = {
    a.key: a for a in (
        Area("the-che", "Cải cách thể chế"),
        Area("thu-tuc-hanh-chinh", "Cải cách thủ tục hành chính"),
        Area("to-chuc-bo-may", "Cải cách tổ chức bộ máy"),
        Area("che-do-cong-vu", "Cải cách chế độ công vụ"),
        Area("tai-chinh-cong", "Cải cách tài chính công"),
        Area("chinh-quyen-so", "Xây dựng chính quyền điện tử, chính quyền số"),
    )
}


@dataclass(frozen=True)
class Image:
    """A picture shown with a news item; `alt` describes it for readers who cannot see it."""

    file: LocalFile
    alt: str


@dataclass(frozen=True)
class News:
    """A reform news item's data."""

    areas: tuple[Area, ...]
    image: Image | None


@dataclass(frozen=True)
class Notice:
    """A notice's data."""

    valid_until: date | None

    def expired(self, today: date) -> bool:
        """Return True once the notice's validity has passed."""
        return self.valid_until is not None and self.valid_until < today


NEWS_FIELDS = ("areas", "image")
NOTICE_FIELDS = ("valid_until",)


def read_news(r: f.Reader, ctx: f.ReadContext) -> News:
    """Return the news fields: areas from the controlled list, and an optional image with alt text."""
    areas = []
    for key in r.get("areas", f.text_list) or ():
        if key in AREAS:
            areas.append(AREAS[key])
        else:
            listed = ", ".join(AREAS)
            r.problems.error(r.path, r.line("areas"), "areas",
                             describe("lĩnh vực cải cách hành chính không có trong danh mục", key,
                                      f"Sửa: dùng một trong: {listed}. Từ khóa tự do đặt ở 'tags'."))
    image = None
    if r.present("image"):
        ir = r.child("image")
        ir.unknown_keys(("file", "alt"))
        written = ir.get("file", f.required_text, required=True)
        alt = ir.get("alt", f.required_text)
        if written and not alt:
            r.problems.error(r.path, ir.line(), "image.alt",
                             "ảnh phải có lời mô tả cho người không xem được ảnh. Sửa: thêm 'alt: …' mô tả nội dung ảnh.")
        if written:
            try:
                local = resolve_file(written, ctx.path.parent, ctx.unit_dir, allowed=IMAGE_EXTENSIONS,
                                     max_bytes=ctx.limits.max_file_bytes)
            except FileRefError as exc:
                r.problems.error(r.path, ir.line("file"), "image.file", describe(exc.what, written, exc.fix))
            else:
                if alt:
                    image = Image(local, alt)
    return News(tuple(dict.fromkeys(areas)), image)


def read_notice(r: f.Reader, ctx: f.ReadContext) -> Notice:
    """Return the notice fields."""
    valid_until = r.get("valid_until", f.date_value)
    if valid_until and ctx.date and valid_until < ctx.date:
        r.problems.error(r.path, r.line("valid_until"), "valid_until",
                         describe("thông báo hết hiệu lực trước ngày ban hành", valid_until.isoformat()))
    return Notice(valid_until)
