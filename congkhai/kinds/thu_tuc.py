"""Administrative procedures (thủ tục hành chính): the components of Nghị định 63/2010 Điều 8."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from ..model import fields as f
from ..model.documents import Document
from ..model.kind import FieldSpec, Kind
from ..model.problems import describe

CODE_RE = re.compile(r"^\d\.\d{6}$")


@dataclass(frozen=True)
class OnlineLevel:
    """How far a procedure can be done online."""

    key: str
    label: str
    explain: str


ONLINE_LEVELS = {
    "toan-trinh": OnlineLevel("toan-trinh", "Trực tuyến toàn trình",
                              "làm toàn bộ trên mạng, từ nộp hồ sơ đến nhận kết quả"),
    "mot-phan": OnlineLevel("mot-phan", "Trực tuyến một phần",
                            "nộp hồ sơ trên mạng, một số bước vẫn làm trực tiếp"),
    "khong": OnlineLevel("khong", "Không trực tuyến", "nộp hồ sơ trực tiếp hoặc qua bưu chính"),
}
_OLD_LEVELS = {"muc-do-3": "mot-phan", "muc-do-4": "toan-trinh", "3": "mot-phan", "4": "toan-trinh"}


@dataclass(frozen=True)
class Procedure:
    """A procedure as posted: every component the decree requires, and the optional ones."""

    code: str | None
    field: str | None
    online_level: OnlineLevel | None
    online_url: str | None
    steps: tuple[str, ...]
    channels: tuple[str, ...]
    documents: tuple[str, ...]
    sets: int | None
    time_limit: str | None
    applicants: str | None
    authority: str | None
    forms: tuple[str, ...]
    result: str | None
    requirements: tuple[str, ...]
    fees: str | None
    legal_basis: tuple[str, ...]


# (field, Vietnamese component name, required by NĐ 63/2010 Điều 8)
COMPONENTS = (
    ("steps", "Trình tự thực hiện", True),
    ("channels", "Cách thức thực hiện", True),
    ("documents", "Thành phần hồ sơ", True),
    ("sets", "Số lượng hồ sơ", True),
    ("time_limit", "Thời hạn giải quyết", True),
    ("applicants", "Đối tượng thực hiện", True),
    ("authority", "Cơ quan giải quyết", True),
    ("forms", "Mẫu đơn, tờ khai", False),
    ("result", "Kết quả thực hiện", False),
    ("requirements", "Yêu cầu, điều kiện", False),
    ("fees", "Phí, lệ phí", False),
    ("legal_basis", "Căn cứ pháp lý", True),
)
_LISTS = {"steps", "channels", "documents", "forms", "requirements", "legal_basis"}
_PUBLISHED = "published"  # required unless the document is a draft
FIELDS = (
    FieldSpec("code", "Mã thủ tục", "Mã thủ tục trên Cơ sở dữ liệu quốc gia (một chữ số, dấu chấm, sáu chữ số).",
              "'1.004476'", pattern=(r"^\d\.\d{6}$", "một chữ số, dấu chấm và sáu chữ số, ví dụ 1.004443")),
    FieldSpec("field", "Lĩnh vực", "Lĩnh vực của thủ tục.", "Giáo dục trung học"),
    FieldSpec("online_level", "Mức trực tuyến", "Mức trực tuyến: toan-trinh, mot-phan hoặc khong.", "toan-trinh",
              widget="select", choices=tuple((level.key, level.label) for level in ONLINE_LEVELS.values())),
    FieldSpec("online_url", "Địa chỉ nộp trực tuyến", "Địa chỉ nộp hồ sơ trực tuyến, bắt đầu bằng https://.",
              "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc.html?ma=1.004476",
              pattern=(r"^https?://", "địa chỉ bắt đầu bằng https://")),
    FieldSpec("steps", "Trình tự thực hiện", "Trình tự thực hiện, mỗi bước một dòng (bắt buộc khi đăng).",
              "\n- Nộp hồ sơ tại văn phòng nhà trường.\n- Nhà trường kiểm tra và trả kết quả.", widget="list",
              required=_PUBLISHED),
    FieldSpec("channels", "Cách thức thực hiện", "Cách thức thực hiện (bắt buộc khi đăng).",
              "\n- Trực tiếp\n- Trực tuyến", widget="list", required=_PUBLISHED),
    FieldSpec("documents", "Thành phần hồ sơ", "Thành phần hồ sơ (bắt buộc khi đăng).", "\n- Đơn đề nghị",
              widget="list", required=_PUBLISHED),
    FieldSpec("sets", "Số lượng hồ sơ", "Số lượng hồ sơ (số bộ), từ 1 trở lên (bắt buộc khi đăng).", "1",
              widget="number", required=_PUBLISHED),
    FieldSpec("time_limit", "Thời hạn giải quyết", "Thời hạn giải quyết (bắt buộc khi đăng).",
              "03 ngày làm việc kể từ ngày nhận đủ hồ sơ", required=_PUBLISHED),
    FieldSpec("applicants", "Đối tượng thực hiện", "Đối tượng thực hiện (bắt buộc khi đăng).",
              "Học sinh (thông qua cha mẹ học sinh)", required=_PUBLISHED),
    FieldSpec("authority", "Cơ quan giải quyết", "Cơ quan giải quyết (bắt buộc khi đăng).", "Hiệu trưởng nhà trường",
              required=_PUBLISHED),
    FieldSpec("forms", "Mẫu đơn, tờ khai", "Mẫu đơn, tờ khai.", "\n- Đơn đề nghị (mẫu kèm theo)", widget="list"),
    FieldSpec("result", "Kết quả thực hiện", "Kết quả thực hiện.", "Văn bản chấp thuận"),
    FieldSpec("requirements", "Yêu cầu, điều kiện", "Yêu cầu, điều kiện.", "\n- Không", widget="list"),
    FieldSpec("fees", "Phí, lệ phí", "Phí, lệ phí (không ghi thì cổng hiện 'Không').", "Không"),
    FieldSpec("legal_basis", "Căn cứ pháp lý", "Căn cứ pháp lý (bắt buộc khi đăng).",
              "\n- Thông tư số 50/2021/TT-BGDĐT ngày 31/12/2021 của Bộ trưởng Bộ Giáo dục và Đào tạo", widget="list",
              required=_PUBLISHED),
)


def _online_level(value: object) -> OnlineLevel | None:
    raw = f.text(value)
    if raw is None:
        return None
    if raw in ONLINE_LEVELS:
        return ONLINE_LEVELS[raw]
    if raw in _OLD_LEVELS:
        new = _OLD_LEVELS[raw]
        raise f.FieldError("cách gọi 'mức độ 3/4' đã được thay từ năm 2022", raw, f"Sửa thành '{new}'.")
    raise f.FieldError("mức độ trực tuyến không hợp lệ", raw, "Sửa: dùng toan-trinh, mot-phan hoặc khong.")


def _code(value: object) -> str | None:
    raw = f.text(value)
    if raw is None:
        return None
    if not CODE_RE.match(raw):
        raise f.FieldError("mã thủ tục phải gồm một chữ số, dấu chấm và sáu chữ số (ví dụ 1.004443)", raw,
                           "Sửa: chép đúng mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, đặt trong "
                           "ngoặc kép: \"1.004443\".")
    return raw


def _url(value: object) -> str | None:
    raw = f.text(value)
    if raw is not None and not re.match(r"https?://", raw):
        raise f.FieldError("địa chỉ nộp hồ sơ trực tuyến phải bắt đầu bằng https://", raw)
    return raw


def read(r: f.Reader, ctx: f.ReadContext) -> Procedure:
    """Return the procedure in the front matter; a missing required component is an error (not in drafts)."""
    values: dict[str, object] = {}
    for name, label, required in COMPONENTS:
        parser = f.text_list if name in _LISTS else (f.integer if name == "sets" else f.text)
        value = r.get(name, parser)
        if required and not value and not ctx.is_draft and not r.present(name):
            r.problems.error(
                r.path, r.line(), name,
                f"thủ tục hành chính thiếu thành phần bắt buộc '{label}' (Nghị định 63/2010/NĐ-CP, Điều 8). "
                f"Sửa: thêm trường '{name}:' vào phần đầu tệp.",
            )
        elif required and not value and not ctx.is_draft:
            r.problems.error(r.path, r.line(name), name,
                             f"thành phần bắt buộc '{label}' đang để trống. Sửa: điền nội dung.")
        values[name] = value
    sets = values["sets"]
    if isinstance(sets, int) and sets < 1:
        r.problems.error(r.path, r.line("sets"), "sets", describe("số bộ hồ sơ phải từ 1 trở lên", sets))
    level = r.get("online_level", _online_level)
    url = r.get("online_url", _url)
    if url and level is ONLINE_LEVELS["khong"]:
        r.problems.warning(r.path, r.line("online_url"), "online_url",
                           "thủ tục ghi 'khong' trực tuyến nhưng có địa chỉ nộp trực tuyến. Sửa: kiểm tra lại 'online_level'.")
    return Procedure(
        code=r.get("code", _code), field=r.get("field", f.text), online_level=level, online_url=url,
        **values,  # type: ignore[arg-type]
    )


def sections(procedure: Procedure) -> list[tuple[str, str, str | tuple[str, ...], bool]]:
    """Return (anchor, heading, text or items, numbered) for each component the procedure states."""
    from ..model.text import slugify

    found = []
    for name, label, _ in COMPONENTS:
        value = getattr(procedure, name)
        if name == "sets":
            value = f"{value:02d} bộ hồ sơ." if value else None
        elif name == "fees" and value is None:
            value = "Không."
        if value:
            found.append((slugify(label), label, value, name == "steps"))
    return found


def context(doc: Document) -> dict[str, object]:
    """Return what the procedure's page template needs: its components, in the decree's order."""
    return {"procedure_sections": sections(doc.details)} if isinstance(doc.details, Procedure) else {}


def groups(docs: Sequence[Document]) -> list[tuple[str, list[Document]]]:
    """Return a unit's procedures grouped by field (lĩnh vực), fields and titles in order."""
    field_of = lambda d: d.details.field if isinstance(d.details, Procedure) else None  # noqa: E731
    ordered = sorted(docs, key=lambda d: (field_of(d) or "~", d.title))
    return [(name, list(items)) for name, items in groupby(ordered, key=lambda d: field_of(d) or "Lĩnh vực khác")]


def search_text(doc: Document) -> list[str]:
    """Return the procedure's code and field, which people search by."""
    p = doc.details if isinstance(doc.details, Procedure) else None
    if p is None:
        return []
    return [f"Mã {p.code}" if p.code else "", f"Lĩnh vực {p.field}" if p.field else ""]


KIND = Kind(
    folder="thu-tuc",
    label="Thủ tục hành chính",
    lower="thủ tục hành chính",
    about="thủ tục hành chính đơn vị giải quyết, đủ các bộ phận theo Nghị định 63/2010/NĐ-CP",
    fields=FIELDS,
    read=read,
    body="Ghi chú thêm về thủ tục (nếu có). Các bộ phận của thủ tục ghi ở phần đầu.\n",
    context=context,
    groups=groups,
    search_text=search_text,
)
