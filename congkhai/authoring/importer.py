"""`python build.py import`: a Word, text or Markdown document into content/<unit>/<kind>/<slug>.md.

Read the file (Word through pandoc; legacy encodings converted), read its administrative layout
(letterhead.py), write the front matter the loader accepts, copy the original beside it as an
attachment, then load the written file with the portal's own reader: a document that would not pass
`check` is kept as a draft or not written at all.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..kinds import REGISTRY, tai_chinh
from ..model.documents import read_document
from ..model.encodings import InputEncodingError, decode, guess_text
from ..model.files import content_matches
from ..model.kind import Kind
from ..model.problems import Problems, Severity, display_path
from ..model.text import fold, format_date, slugify
from ..model.units import Units, load_units
from . import letterhead, scaffold, word

SUPPORTED = (".docx", ".txt", ".md")
_MAX_SLUG = 60
class ImportFailure(Exception):
    """The import cannot go on: the message (Vietnamese) and the exit status (1 content, 2 usage)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Imported:
    """What an import wrote and found."""

    path: Path
    kind: Kind
    letter: letterhead.Letter
    values: dict[str, object]
    attachment: Path | None = None
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        """Return True when the document was written as a draft."""
        return self.values.get("status") == "draft"


def import_document(source: Path, unit: str, content: Path, units_dir: Path, kind: str | None = None,
                    force: bool = False, slug: str | None = None, today: date | None = None) -> Imported:
    """Write `source` as a document of `unit`; return what was written; raises ImportFailure."""
    if not source.is_file():
        raise ImportFailure(f"không tìm thấy tệp {display_path(source)}.", 2)
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED:
        fix = ("mở tệp bằng Word, chọn Lưu thành (Save As) kiểu 'Word Document (*.docx)'"
               if suffix in (".doc", ".rtf", ".odt") else "lưu văn bản thành tệp .docx, .txt hoặc .md")
        raise ImportFailure(f"không nhập được tệp '{suffix or source.name}': chỉ nhận .docx, .txt và .md. Sửa: {fix}.", 2)
    if kind is not None and kind not in REGISTRY:
        raise ImportFailure(f"loại văn bản không hợp lệ '{kind}'. Sửa: dùng một trong: {', '.join(REGISTRY)}.", 2)
    units = _units(units_dir, unit)
    text, notes = read_source(source)
    letter = letterhead.parse(text, markdown=suffix != ".txt")
    doc_kind = REGISTRY[kind] if kind else infer_kind(letter)
    if doc_kind is None:
        raise ImportFailure(
            "không nhận ra loại văn bản (không thấy dòng tên loại như KẾ HOẠCH, THÔNG BÁO, QUYẾT ĐỊNH, hay ký hiệu "
            "trong số). Sửa: chạy lại với --kind và một trong: " + ", ".join(REGISTRY) + ".", 2)
    if kind and letter.type and letter.type.kind != kind and infer_kind(letter) is not REGISTRY[kind]:
        notes.append(f"văn bản là {letter.type.name.lower()} nhưng được xếp vào thư mục '{kind}' theo --kind.")
    title = letter.title
    if title is None:
        title = f"Văn bản {source.stem}"
        notes.append(f"không tìm thấy tên loại và trích yếu; tạm đặt tiêu đề '{title}'. Sửa: ghi tiêu đề đúng vào 'title'.")
    name = slug or make_slug(title, letter.date)
    if slugify(name) != name or not name:
        raise ImportFailure(f"tên tệp '{name}' chỉ được gồm chữ thường không dấu, chữ số và dấu '-'. "
                            f"Sửa: dùng --slug {slugify(name) or 'ten-van-ban'}.", 2)
    unit_dir = content / unit
    target = unit_dir / doc_kind.folder / f"{name}.md"
    if target.exists() and not force:
        raise ImportFailure(f"đã có tệp {display_path(target)}; không ghi đè. Sửa: thêm --force để ghi đè, "
                            "hoặc đặt tên khác bằng --slug TÊN-TỆP.", 1)
    attachment = target.with_suffix(suffix) if suffix == ".docx" else None
    values = front_values(letter, doc_kind, title, attachment)
    if attachment is None:
        notes.append(f"tệp gốc {source.suffix} không được đính kèm (cổng chỉ đăng tệp pdf, doc, docx, xls, xlsx, odt, "
                     "ods, csv và ảnh). Sửa: nếu có bản scan có chữ ký, đặt tệp PDF cạnh tệp .md và thêm vào "
                     "'attachments'.")
    elif not content_matches(source, "docx"):
        raise ImportFailure(f"{display_path(source)} không phải tệp Word .docx thật (đuôi tệp bị đổi?). Sửa: mở bằng "
                            "Word và lưu lại kiểu .docx.", 1)
    result = Imported(target, doc_kind, letter, values, attachment, notes)
    _write(result, source, units, unit_dir, today or date.today())
    return result


def _units(units_dir: Path, unit: str) -> Units:
    problems = Problems()
    units = load_units(units_dir, problems)
    if unit not in units:
        codes = ", ".join(units) or "(chưa có đơn vị nào)"
        raise ImportFailure(f"không có đơn vị '{unit}' trong {display_path(units_dir)}/. Các mã đơn vị: {codes}.", 2)
    return units


def read_source(source: Path) -> tuple[str, list[str]]:
    """Return the text of a .docx, .txt or .md file (legacy encodings converted) and notes; raises ImportFailure."""
    notes: list[str] = []
    if source.suffix.lower() == ".docx":
        try:
            text = word.docx_to_markdown(source)
        except word.WordError as exc:
            raise ImportFailure(f"{display_path(source)}: {exc}", 1) from None
        font = guess_text(text)
        if font is not None:
            notes.append(f"văn bản Word gõ bằng {font.legacy.described}; đã chuyển sang Unicode. Sửa: đọc lại bản "
                         "chuyển, nhất là chữ hoa có dấu.")
            text = font.text
        return text, notes
    try:
        decoded = decode(source.read_bytes(), convert_fonts=True)
    except InputEncodingError as exc:
        where = f", dòng {exc.line}" if exc.line else ""
        raise ImportFailure(f"{display_path(source)}{where}: {exc.message}", 1) from None
    notes.extend(decoded.notes)
    return decoded.text, notes


def infer_kind(letter: letterhead.Letter) -> Kind | None:
    """Return the portal kind of a document from its type (a decision or report about a budget is a
    budget disclosure)."""
    if letter.type is None:
        return None
    if letter.type.kind != "ke-hoach" and letter.summary and letterhead.FINANCE_WORDS.search(fold(letter.summary).lower()):
        return tai_chinh.KIND
    return REGISTRY[letter.type.kind]


def make_slug(title: str, issued: date | None) -> str:
    """Return a file name from the title: folded, at most about 60 characters, ending with the year."""
    slug = slugify(title)
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0]
    year = str(issued.year) if issued else None
    if year and year not in slug.split("-"):
        slug = f"{slug}-{year}"
    return slug or "van-ban"


def front_values(letter: letterhead.Letter, kind: Kind, title: str, attachment: Path | None) -> dict[str, object]:
    """Return the front-matter fields found in `letter`, ready for scaffold.front_matter."""
    values: dict[str, object] = {"title": title}
    if letter.number:
        values["number"] = letter.number
    if letter.date:
        values["date"] = letter.date.isoformat()
    if letter.is_draft or letter.date is None:
        values["status"] = "draft"
    signer = {"authority": letter.signer_authority, "title": letter.signer_title, "name": letter.signer_name}
    if any(signer.values()):
        values["signer"] = signer
    values["basis"] = list(letter.basis)
    values["recipients"] = list(letter.recipients)
    if attachment is not None:
        values["attachments"] = [{"file": attachment.name, "title": "Tệp Word gốc"}]
    values.update(kind.from_title(title))
    return values


def _intro(letter: letterhead.Letter, source: Path, draft: bool) -> list[str]:
    lines = [f"Nhập từ tệp '{source.name}' bằng 'python build.py import'. Hãy đọc lại phần đầu và nội dung",
             "với bản giấy trước khi đăng." + (" Khi văn bản đã ký và đủ số, ngày: xóa dòng 'status: draft'."
                                               if draft else "")]
    if letter.issuer:
        lines.append(f"Cơ quan ban hành ghi trên văn bản: {letter.issuer}"
                     + (f" (cơ quan chủ quản: {letter.parent})" if letter.parent else ""))
    if letter.date_written:
        lines.append(f"Dòng địa danh, ngày tháng: {letter.date_written}")
    return lines + [""]


def _write(result: Imported, source: Path, units: Units, unit_dir: Path, today: date) -> None:
    """Write the document (and its attachment), check it with the loader; a document with errors
    becomes a draft, and one that still has errors is removed (ImportFailure)."""
    target = result.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if result.attachment is not None:
        shutil.copyfile(source, result.attachment)
    for attempt in range(2):
        text = scaffold.front_matter(result.kind, result.values,
                                     _intro(result.letter, source, result.values.get("status") == "draft")) + "\n" + result.letter.body
        target.write_text(text, encoding="utf-8")
        problems = Problems()
        read_document(target, units, result.kind, unit_dir, problems, today)
        errors = [p for p in problems.sorted() if p.severity is Severity.ERROR]
        result.checks = [p.render() for p in problems.sorted()]
        if not errors:
            return
        if attempt == 0 and result.values.get("status") != "draft":
            result.values["status"] = "draft"
            result.notes.append("văn bản chưa đủ để đăng (xem các lỗi dưới đây) nên được lưu là bản nháp (status: draft): "
                                + " ".join(p.message for p in errors))
            continue
        target.unlink()
        if result.attachment is not None:
            result.attachment.unlink(missing_ok=True)
        raise ImportFailure("văn bản nhập vào không qua được bước kiểm tra, nên không được ghi:\n"
                            + "\n".join(p.render() for p in errors), 1)


_FIELD_LABELS = (
    ("issuer", "Cơ quan ban hành"),
    ("parent", "Cơ quan chủ quản"),
    ("number", "Số, ký hiệu (number)"),
    ("date", "Ngày ban hành (date)"),
    ("place", "Địa danh"),
    ("type", "Loại văn bản"),
    ("summary", "Trích yếu (title)"),
    ("basis", "Căn cứ (basis)"),
    ("recipients", "Nơi nhận (recipients)"),
    ("signer_authority", "Dòng thẩm quyền của người ký (signer.authority)"),
    ("signer_title", "Chức vụ người ký (signer.title)"),
    ("signer_name", "Họ tên người ký (signer.name)"),
)


def summary(result: Imported) -> list[str]:
    """Return the lines printed after an import: the file, each field found and not found, the notes."""
    letter = result.letter
    status = "bản nháp (status: draft)" if result.is_draft else "sẵn sàng đăng"
    lines = [f"Đã tạo {display_path(result.path)} ({result.kind.lower}, {status})."]
    if result.attachment is not None:
        lines.append(f"Đã chép tệp gốc thành tệp đính kèm {display_path(result.attachment)}.")
    found, missing = [], []
    for name, label in _FIELD_LABELS:
        value = getattr(letter, name)
        if name == "summary" and value:
            value = result.values["title"]
        if value in (None, "", []):
            missing.append(label)
        elif isinstance(value, list):
            found.append(f"{label}: {len(value)} mục")
            found.extend(f"    - {item}" for item in value)
        elif name == "date":
            found.append(f"{label}: {value.isoformat()} ({format_date(value)})")
        elif name == "type":
            found.append(f"{label}: {value.name} → thư mục {result.kind.folder}")
        else:
            found.append(f"{label}: {value}")
    if letter.missing_number:
        missing.append("Số của văn bản (dòng 'Số:' để trống)")
    if letter.missing_day:
        missing.append("Ngày ban hành (dòng ngày tháng để trống ngày)")
    lines.append("Tìm thấy:")
    lines.extend(f"  {line}" for line in found)
    if missing:
        lines.append("Không tìm thấy:")
        lines.extend(f"  {line}" for line in missing)
    notes = [n.text for n in letter.notes] + result.notes
    if result.is_draft and (letter.missing_number or letter.missing_day):
        what = " và ".join(x for x, missing_ in (("số", letter.missing_number), ("ngày ban hành", letter.missing_day))
                           if missing_)
        notes.append(f"văn bản chưa có {what} nên được lưu là bản nháp (status: draft), không hiện trên cổng. Sửa: "
                     f"khi văn bản đã ký, ghi {'number' if letter.missing_number else ''}"
                     f"{' và ' if letter.missing_number and letter.missing_day else ''}"
                     f"{'date' if letter.missing_day else ''} rồi xóa dòng 'status: draft'.")
    if notes:
        lines.append("Cần xem lại:")
        lines.extend(f"  - {note[0].upper() + note[1:]}" for note in notes)
    if result.checks:
        lines.append("Kết quả kiểm tra tệp vừa tạo:")
        lines.extend(f"  {check}" for check in result.checks)
    lines.append("Tiếp theo: mở tệp để đọc lại, chạy 'python build.py check', xem trước bằng 'python build.py serve'.")
    return lines
