"""Reform news (tin cải cách hành chính): the reform areas it belongs to, and a picture with its description."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import fields as f
from ..model.documents import Document
from ..model.files import IMAGE_EXTENSIONS, FileRefError, LocalFile
from ..model.kind import FieldSpec, Kind, KindFile
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


FIELDS = (
    FieldSpec("areas", "Lĩnh vực cải cách hành chính", "Lĩnh vực cải cách hành chính: the-che, thu-tuc-hanh-chinh, "
              "to-chuc-bo-may, che-do-cong-vu, tai-chinh-cong, chinh-quyen-so.", "\n- chinh-quyen-so",
              widget="select", choices=tuple((a.key, a.label) for a in AREAS.values())),
    FieldSpec("image", "Ảnh minh họa", "Ảnh minh họa cạnh tệp .md (jpg, png, webp) và lời mô tả ảnh (bắt buộc khi "
              "có ảnh).", "\n  file: anh-minh-hoa.jpg\n  alt: Mô tả nội dung ảnh cho người không xem được ảnh",
              widget="object", fields=(FieldSpec("file", "Tệp ảnh", "", "anh.jpg", widget="file", required=True),
                                       FieldSpec("alt", "Mô tả ảnh", "", "", widget="text", required=True))),
)


def read(r: f.Reader, ctx: f.ReadContext) -> News:
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
                local = ctx.resolve(written, allowed=IMAGE_EXTENSIONS)
            except FileRefError as exc:
                r.problems.error(r.path, ir.line("file"), "image.file", describe(exc.what, written, exc.fix))
            else:
                if alt:
                    image = Image(local, alt)
    return News(tuple(dict.fromkeys(areas)), image)


def files(doc: Document) -> list[KindFile]:
    """Return the news item's picture, published next to its page."""
    image = doc.details.image if isinstance(doc.details, News) else None
    return [KindFile(image.file.name, image.file.path)] if image else []


KIND = Kind(
    folder="tin-tuc",
    label="Tin cải cách hành chính",
    lower="tin cải cách hành chính",
    about="tin về kết quả cải cách hành chính, theo sáu lĩnh vực của Chương trình tổng thể",
    fields=FIELDS,
    read=read,
    body="Nội dung tin.\n",
    files=files,
)
