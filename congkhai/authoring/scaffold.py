"""Writing front matter for people: every field of a kind with a Vietnamese comment (`new`), and the
fields an import found, followed by the ones it left for the person to fill (`import`).

One table says, for every field the loader accepts (documents.CORE_FIELDS and each kind's FIELDS),
what it means and an example; a test checks the table against the loader, so a new field cannot be
left out of the templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.documents import CORE_FIELDS, KIND_SPECS, DocKind


@dataclass(frozen=True)
class FieldDoc:
    """What a field means (a Vietnamese comment) and an example, as YAML lines without the name."""

    comment: str
    example: str


FIELD_DOCS: dict[str, FieldDoc] = {
    "title": FieldDoc("Trích yếu, tiêu đề văn bản (bắt buộc, kể cả bản nháp).", ""),
    "status": FieldDoc("Trạng thái: draft (bản nháp, không hiện trên cổng), published (mặc định), withdrawn, "
                       "superseded. Khi văn bản đã ký ban hành: ghi 'date' (và 'number') rồi xóa dòng này.", "draft"),
    "number": FieldDoc("Số, ký hiệu như dòng 'Số:' của văn bản, bỏ chữ 'Số:'. Số dưới 10 có số 0 ở đầu.",
                       "08/KH-THCSHS"),
    "date": FieldDoc("Ngày ban hành (ngày ký), dạng năm-tháng-ngày; bắt buộc khi không còn là bản nháp.",
                     "2026-02-03"),
    "published": FieldDoc("Ngày đăng lên cổng, chỉ ghi khi khác ngày ban hành; không được trước 'date'.",
                          "2026-02-05"),
    "signer": FieldDoc("Người ký: authority (dòng thẩm quyền KT., TM., Q., TL., TUQ. nếu có), title (chức vụ, "
                       "viết hoa như văn bản), name (họ tên).",
                       "\n  authority: KT. HIỆU TRƯỞNG\n  title: PHÓ HIỆU TRƯỞNG\n  name: Lương Thị Thúy"),
    "basis": FieldDoc("Căn cứ: mỗi văn bản một dòng, có số, ký hiệu và ngày.",
                      "\n- Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen về cải cách "
                      "hành chính năm 2026"),
    "recipients": FieldDoc("Nơi nhận, mỗi nơi một dòng; dòng có dấu ':' đặt trong ngoặc đơn.",
                           "\n- Ban giám hiệu\n- 'Lưu: VT.'"),
    "tags": FieldDoc("Từ khóa tự do, mỗi từ khóa một dòng.", "\n- cải cách hành chính"),
    "description": FieldDoc("Một, hai câu tóm tắt cho danh sách và RSS (không ghi thì cổng lấy đoạn đầu).",
                            "Kế hoạch cải cách hành chính năm 2026 của nhà trường."),
    "obligation": FieldDoc("Mã nghĩa vụ công khai văn bản này thực hiện (xem mục Nghĩa vụ công khai của hướng "
                           "dẫn).", "edu-plan-results"),
    "period": FieldDoc("Kỳ công khai: 2026 (năm), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng), "
                       "2025-2026 (năm học).", "2025-2026"),
    "attachments": FieldDoc("Tệp đính kèm đặt cạnh tệp .md (pdf, doc, docx, xls, xlsx, odt, ods, csv, jpg, png, "
                            "webp; tối đa 50 MB).", "\n- file: ban-scan-co-chu-ky.pdf\n  title: Bản scan có chữ ký"),
    "withdrawn": FieldDoc("Khi 'status: withdrawn': ngày và lý do thu hồi.",
                          "\n  date: 2026-03-01\n  reason: Văn bản được thu hồi để điều chỉnh mức thu."),
    "superseded_by": FieldDoc("Khi 'status: superseded': văn bản thay thế, dạng <mã đơn vị>/<loại>/<tên tệp>.",
                              "thcs-hoa-sen/thong-bao/thong-bao-dieu-chinh"),
    "changes": FieldDoc("Lịch sử sửa văn bản đã đăng: mỗi lần một ngày và ghi chú.",
                        "\n- date: 2026-03-10\n  note: Bổ sung phụ lục."),
    "aliases": FieldDoc("Tên cũ của tệp (không có .md) khi đã đổi tên tệp đã đăng, tên cũ nhất trước.",
                        "\n- ten-tep-cu"),
    "id": FieldDoc("Mã nhận diện cố định, không trùng trên toàn cổng (chỉ cần khi có thể chuyển thư mục).",
                   "thcs-hoa-sen-kh-08-2026"),
    # Procedures (thu-tuc), Nghị định 63/2010/NĐ-CP Điều 8.
    "code": FieldDoc("Mã thủ tục trên Cơ sở dữ liệu quốc gia (một chữ số, dấu chấm, sáu chữ số).", "'1.004476'"),
    "field": FieldDoc("Lĩnh vực của thủ tục.", "Giáo dục trung học"),
    "online_level": FieldDoc("Mức trực tuyến: toan-trinh, mot-phan hoặc khong.", "toan-trinh"),
    "online_url": FieldDoc("Địa chỉ nộp hồ sơ trực tuyến, bắt đầu bằng https://.",
                           "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc.html?ma=1.004476"),
    "steps": FieldDoc("Trình tự thực hiện, mỗi bước một dòng (bắt buộc khi đăng).",
                      "\n- Nộp hồ sơ tại văn phòng nhà trường.\n- Nhà trường kiểm tra và trả kết quả."),
    "channels": FieldDoc("Cách thức thực hiện (bắt buộc khi đăng).", "\n- Trực tiếp\n- Trực tuyến"),
    "documents": FieldDoc("Thành phần hồ sơ (bắt buộc khi đăng).", "\n- Đơn đề nghị"),
    "sets": FieldDoc("Số lượng hồ sơ (số bộ), từ 1 trở lên (bắt buộc khi đăng).", "1"),
    "time_limit": FieldDoc("Thời hạn giải quyết (bắt buộc khi đăng).", "03 ngày làm việc kể từ ngày nhận đủ hồ sơ"),
    "applicants": FieldDoc("Đối tượng thực hiện (bắt buộc khi đăng).", "Học sinh (thông qua cha mẹ học sinh)"),
    "authority": FieldDoc("Cơ quan giải quyết (bắt buộc khi đăng).", "Hiệu trưởng nhà trường"),
    "forms": FieldDoc("Mẫu đơn, tờ khai.", "\n- Đơn đề nghị (mẫu kèm theo)"),
    "result": FieldDoc("Kết quả thực hiện.", "Văn bản chấp thuận"),
    "requirements": FieldDoc("Yêu cầu, điều kiện.", "\n- Không"),
    "fees": FieldDoc("Phí, lệ phí (không ghi thì cổng hiện 'Không').", "Không"),
    "legal_basis": FieldDoc("Căn cứ pháp lý (bắt buộc khi đăng).",
                            "\n- Thông tư số 50/2021/TT-BGDĐT ngày 31/12/2021 của Bộ trưởng Bộ Giáo dục và Đào tạo"),
    # Budget disclosures (tai-chinh).
    "report": FieldDoc("Loại báo cáo: du-toan, thuc-hien-quy, thuc-hien-6-thang, thuc-hien-9-thang, thuc-hien-nam, "
                       "quyet-toan, thu-chi-nam-hoc, tai-tro (bắt buộc khi đăng).", "du-toan"),
    "fiscal_year": FieldDoc("Năm ngân sách (2026) hoặc năm học (2025-2026) (bắt buộc khi đăng).", "2026"),
    "money_unit": FieldDoc("Đơn vị tính của bảng: dong, nghin-dong, trieu-dong (bắt buộc khi có bảng).", "dong"),
    "assigned_date": FieldDoc("Ngày được giao dự toán.", "2026-01-08"),
    "approved_date": FieldDoc("Ngày quyết toán được phê duyệt.", "2026-06-20"),
    "submitted_date": FieldDoc("Ngày gửi báo cáo lên cấp trên.", "2026-01-20"),
    "columns": FieldDoc("Tên các cột số tiền khi bảng có nhiều cột.", "[Dự toán năm 2026, Thực hiện 3 tháng]"),
    "table": FieldDoc("Bảng số liệu: mỗi dòng code, name, amount (hoặc amounts), dòng con trong lines; dòng tổng "
                      "phải bằng tổng các dòng con.",
                      "\n- code: I\n  name: Dự toán chi ngân sách nhà nước\n  amount: 1200000"),
    "table_file": FieldDoc("Hoặc: bảng trong tệp CSV/XLSX cạnh tệp .md (cột code, name, parent, rồi các cột số tiền).",
                           "du-toan-2026.csv"),
    "nil": FieldDoc("true khi kỳ này không phát sinh số liệu.", "true"),
    # News (tin-tuc) and notices (thong-bao).
    "areas": FieldDoc("Lĩnh vực cải cách hành chính: the-che, thu-tuc-hanh-chinh, to-chuc-bo-may, che-do-cong-vu, "
                      "tai-chinh-cong, chinh-quyen-so.", "\n- chinh-quyen-so"),
    "image": FieldDoc("Ảnh minh họa cạnh tệp .md (jpg, png, webp) và lời mô tả ảnh (bắt buộc khi có ảnh).",
                      "\n  file: anh-minh-hoa.jpg\n  alt: Mô tả nội dung ảnh cho người không xem được ảnh"),
    "valid_until": FieldDoc("Ngày cuối cùng thông báo còn hiệu lực; không trước 'date'.", "2026-05-31"),
}


def kind_fields(kind: DocKind) -> tuple[str, ...]:
    """Return every front-matter field a document of `kind` accepts, in template order."""
    return CORE_FIELDS + KIND_SPECS[kind][0]


def scalar(value: str) -> str:
    """Return `value` as a one-line YAML scalar, quoted only when YAML needs it ('Lưu: VT.')."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style=None)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def render_value(name: str, value: object) -> list[str]:
    """Return the YAML lines of one field (text, date string, list of texts, or mapping of texts)."""
    if isinstance(value, Mapping):
        return [f"{name}:"] + [f"  {key}: {scalar(str(item))}" for key, item in value.items() if item]
    if isinstance(value, (list, tuple)):
        lines = [f"{name}:"]
        for item in value:
            if isinstance(item, Mapping):
                pairs = [(k, v) for k, v in item.items() if v]
                for position, (key, item_value) in enumerate(pairs):
                    lines.append(("- " if position == 0 else "  ") + f"{key}: {scalar(str(item_value))}")
            else:
                lines.append(f"- {scalar(str(item))}")
        return lines
    if value == "":
        return [f"{name}: ''"]
    return [f"{name}: {value if _is_iso_date(value) else scalar(str(value))}"]


def _is_iso_date(value: object) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def comment_block(name: str) -> list[str]:
    """Return a field as commented lines: its meaning ("# …"), then an example to uncomment ("#name: …")."""
    doc = FIELD_DOCS[name]
    lines = [f"# ({name}) {doc.comment}"]
    if doc.example.startswith("\n"):
        lines.append(f"#{name}:")
        lines.extend("#" + line for line in doc.example[1:].split("\n"))
    else:
        lines.append(f"#{name}: {doc.example}")
    return lines


def front_matter(kind: DocKind, values: Mapping[str, object], intro: Iterable[str] = (),
                 always: tuple[str, ...] = ()) -> str:
    """Return a front matter ("---" … "---\\n"): `values` written out, each after its comment (the
    fields in `always` even when empty), then every other field of `kind` as a commented example."""
    lines = ["---", *(f"# {line}" if line else "#" for line in intro)]
    written = []
    for name in kind_fields(kind):
        value = values.get(name)
        if value in (None, "", [], ()) and name not in always:
            continue
        lines.append(f"# ({name}) {FIELD_DOCS[name].comment}")
        lines.extend(render_value(name, value if value not in (None,) else ""))
        written.append(name)
    others = [name for name in kind_fields(kind) if name not in written]
    if others:
        lines.append("#")
        lines.append("# Các trường khác: muốn dùng trường nào, xóa dấu '#' ở đầu các dòng mẫu của trường đó")
        lines.append("# (dòng '#tên: …' và các dòng '#  …' ngay dưới nó).")
        for name in others:
            lines.extend(comment_block(name))
    lines.append("---")
    return "\n".join(lines) + "\n"


def blank_document(kind: DocKind, unit_name: str, title: str | None) -> str:
    """Return a new document of `kind`: a draft with every field of the kind explained."""
    intro = [
        f"Văn bản mới ({kind.lower}) của {unit_name}.",
        "Dòng bắt đầu bằng '#' là ghi chú, công cụ bỏ qua. Hướng dẫn: docs/huong-dan-soan-thao.md",
        "Kiểm tra: python build.py check; xem trước khi soạn: python build.py serve",
        "",
    ]
    values: dict[str, object] = {"title": title or "", "status": "draft"}
    return front_matter(kind, values, intro, always=("title",)) + "\n" + _BODIES[kind]


_BODIES = {
    DocKind.KE_HOACH: ("Căn cứ …, [tên đơn vị] xây dựng Kế hoạch … như sau:\n\n## I. MỤC ĐÍCH, YÊU CẦU\n\n"
                       "- …\n\n## II. NỘI DUNG\n\n1. …\n\n## III. TỔ CHỨC THỰC HIỆN\n\n"
                       "| Nội dung | Người chủ trì | Thời gian |\n|---|---|---|\n| … | … | … |\n"),
    DocKind.THU_TUC: "Ghi chú thêm về thủ tục (nếu có). Các bộ phận của thủ tục ghi ở phần đầu.\n",
    DocKind.TAI_CHINH: "Căn cứ …, [tên đơn vị] công khai … như sau:\n",
    DocKind.TIN_TUC: "Nội dung tin.\n",
    DocKind.THONG_BAO: "[Tên đơn vị] thông báo …\n",
}


class NewDocumentError(Exception):
    """`new` cannot create the file: the message (Vietnamese) and the exit status (2 usage)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def create_document(kind: str, unit: str, title: str | None, content: Path, units_dir: Path) -> str:
    """Write a new draft of `kind` for `unit` under `content` (never over an existing file); return
    its path as printed. Raises NewDocumentError."""
    from ..model.documents import DOC_KINDS
    from ..model.problems import Problems, display_path
    from ..model.text import slugify
    from ..model.units import load_units

    doc_kind = DOC_KINDS.get(kind)
    if doc_kind is None:
        raise NewDocumentError(f"loại văn bản không hợp lệ '{kind}'. Sửa: dùng một trong: {', '.join(DOC_KINDS)}.")
    units = load_units(units_dir, Problems())
    if unit not in units:
        codes = ", ".join(units) or "(chưa có đơn vị nào)"
        raise NewDocumentError(f"không có đơn vị '{unit}' trong {display_path(units_dir)}/. Các mã đơn vị: {codes}.")
    folder = content / unit / doc_kind.folder
    stem = (slugify(title)[:60].rsplit("-", 1)[0] if len(slugify(title or "")) > 60 else slugify(title or "")) \
        or f"{doc_kind.folder}-moi"
    path = folder / f"{stem}.md"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.md"
        number += 1
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(blank_document(doc_kind, units[unit].name, title), encoding="utf-8")
    return display_path(path)
