"""Documents (what units publish): `content/<unit>/<kind>/<slug>.md` with YAML front matter."""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import fields as f
from .doctypes import OFFICIAL_LETTER, DocType, type_of_number, type_of_title
from .files import FileRefError, LocalFile
from .inventory import QUIET, link_problem, report_unused, scan_unit
from .kind import FieldSpec, Kind
from .limits import DEFAULT, MAX_DOCUMENT_BYTES, Limits
from .markup import BodyError, RenderedBody, render_body
from .periods import Period, parse_period
from .problems import Problems, describe, display_path
from .sources import (
    YAML_FIX,
    YamlData,
    YamlInputError,
    parse_yaml,
    read_text,
    split_front_matter,
)
from .text import format_date, slugify
from .units import Person, Unit, Units

GUID_NAMESPACE = uuid.UUID("6f1d3a52-7c0e-5b8e-9a57-2f4c8d1e0b93")


class Status(enum.Enum):
    """Where a document is in its life."""

    PUBLISHED = "published"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


STATUSES = {s.value: s for s in Status}


@dataclass(frozen=True)
class Attachment:
    """A file published with a document."""

    title: str
    file: LocalFile


@dataclass(frozen=True)
class Change:
    """A dated note of what changed in a published document."""

    date: date
    note: str


@dataclass(frozen=True)
class Withdrawal:
    """When and why a document was withdrawn."""

    date: date
    reason: str


@dataclass(frozen=True)
class Document:
    """One validated document."""

    unit: str
    kind: Kind
    slug: str
    source: Path
    title: str
    rendered: RenderedBody  # the Markdown body, converted once (model.markup)
    body_line: int
    date: date | None = None
    published: date | None = None
    number: str | None = None
    signer: Person | None = None
    basis: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str | None = None
    obligation: str | None = None
    period: Period | None = None
    attachments: tuple[Attachment, ...] = ()
    status: Status = Status.PUBLISHED
    withdrawn: Withdrawal | None = None
    superseded_by: str | None = None
    changes: tuple[Change, ...] = ()
    aliases: tuple[str, ...] = ()
    doc_id: str | None = None
    details: Any = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line(self, name: str) -> int | None:
        """Return the line of front-matter field `name` in the source file."""
        return self.lines.get(name)

    @property
    def key(self) -> str:
        """Return "unit/kind/slug", the document's address inside the portal."""
        return f"{self.unit}/{self.kind.folder}/{self.slug}"

    @property
    def identity(self) -> str:
        """Return what the document is, independent of its title and file name: an explicit `id`,
        else its first address (the oldest alias, kept when the file was renamed)."""
        if self.doc_id:
            return f"id:{self.doc_id}"
        first = self.aliases[0] if self.aliases else self.slug
        return f"{self.unit}/{self.kind.folder}/{first}"

    @property
    def guid(self) -> str:
        """Return the feed guid: a UUID derived from the identity, stable across edits and renames."""
        return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, self.identity)}"

    @property
    def doc_type(self) -> DocType | None:
        """Return the type of administrative document its number names (NĐ 30/2020: "BC" → Báo cáo),
        else the type its title starts with; None when neither says."""
        return type_of_number(self.number) or type_of_title(self.title)

    @property
    def posted(self) -> date | None:
        """Return the posting date (`published`, else `date`)."""
        return self.published or self.date

    @property
    def is_public(self) -> bool:
        """Return True for every document that gets a page (all but drafts)."""
        return self.status is not Status.DRAFT

    @property
    def is_current(self) -> bool:
        """Return True for documents shown in default listings (not drafts, not withdrawn)."""
        return self.status in (Status.PUBLISHED, Status.SUPERSEDED)


STATUS_CHOICES = (("draft", "Bản nháp (chưa hiện trên cổng)"), ("published", "Đã đăng"),
                  ("withdrawn", "Đã thu hồi"), ("superseded", "Đã được thay thế"))
_DATE = (r"^\d{4}-\d{2}-\d{2}$", "ngày dạng năm-tháng-ngày, ví dụ 2026-02-03")

# The fields every kind accepts, in the order the scaffold writes them: name, label, meaning, example.
CORE_SPECS = (
    FieldSpec("title", "Tiêu đề (trích yếu)", "Trích yếu, tiêu đề văn bản (bắt buộc, kể cả bản nháp).", "",
              widget="text", required=True),
    FieldSpec("date", "Ngày ban hành", "Ngày ban hành (ngày ký), dạng năm-tháng-ngày; bắt buộc khi không còn là "
              "bản nháp.", "2026-02-03", widget="date", required="published", pattern=_DATE),
    FieldSpec("published", "Ngày đăng", "Ngày đăng lên cổng, chỉ ghi khi khác ngày ban hành; không được trước "
              "'date'.", "2026-02-05", widget="date", pattern=_DATE),
    FieldSpec("number", "Số, ký hiệu", "Số, ký hiệu như dòng 'Số:' của văn bản, bỏ chữ 'Số:'. Số dưới 10 có số 0 ở "
              "đầu.", "08/KH-THCSHS"),
    FieldSpec("signer", "Người ký", "Người ký: authority (dòng thẩm quyền KT., TM., Q., TL., TUQ. nếu có), title "
              "(chức vụ, viết hoa như văn bản), name (họ tên).",
              "\n  authority: KT. HIỆU TRƯỞNG\n  title: PHÓ HIỆU TRƯỞNG\n  name: Lương Thị Thúy", widget="object",
              fields=(FieldSpec("authority", "Thẩm quyền ký (KT., TM., Q., TL., TUQ.)", "", "KT. HIỆU TRƯỞNG"),
                      FieldSpec("title", "Chức vụ", "", "PHÓ HIỆU TRƯỞNG"),
                      FieldSpec("name", "Họ và tên", "", "Lương Thị Thúy"))),
    FieldSpec("basis", "Căn cứ", "Căn cứ: mỗi văn bản một dòng, có số, ký hiệu và ngày.",
              "\n- Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen về cải cách "
              "hành chính năm 2026", widget="list"),
    FieldSpec("recipients", "Nơi nhận", "Nơi nhận, mỗi nơi một dòng; dòng có dấu ':' đặt trong ngoặc đơn.",
              "\n- Ban giám hiệu\n- 'Lưu: VT.'", widget="list"),
    FieldSpec("tags", "Từ khóa", "Từ khóa tự do, mỗi từ khóa một dòng.", "\n- cải cách hành chính", widget="list"),
    FieldSpec("description", "Tóm tắt", "Một, hai câu tóm tắt cho danh sách và RSS (không ghi thì cổng lấy đoạn "
              "đầu).", "Kế hoạch cải cách hành chính năm 2026 của nhà trường.", widget="text"),
    FieldSpec("obligation", "Nghĩa vụ công khai", "Mã nghĩa vụ công khai văn bản này thực hiện (xem mục Nghĩa vụ "
              "công khai của hướng dẫn).", "edu-plan-results"),
    FieldSpec("period", "Kỳ công khai", "Kỳ công khai: 2026 (năm), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9M "
              "(9 tháng), 2025-2026 (năm học).", "2025-2026",
              pattern=(r"^\d{4}(-Q[1-4]|-H[12]|-[369]M|-\d{4})?$", "2026, 2026-Q1, 2026-H1, 2026-9M hoặc 2025-2026")),
    FieldSpec("attachments", "Tệp đính kèm", "Tệp đính kèm đặt cạnh tệp .md (pdf, doc, docx, xls, xlsx, odt, ods, "
              "csv, jpg, png, webp; tối đa 50 MB).", "\n- file: ban-scan-co-chu-ky.pdf\n  title: Bản scan có chữ ký",
              widget="objects", fields=(FieldSpec("file", "Tệp", "", "ban-scan.pdf", widget="file", required=True),
                                        FieldSpec("title", "Tên hiển thị", "", "Bản scan có chữ ký"))),
    FieldSpec("status", "Trạng thái", "Trạng thái: draft (bản nháp, không hiện trên cổng), published (mặc định), "
              "withdrawn, superseded. Khi văn bản đã ký ban hành: ghi 'date' (và 'number') rồi xóa dòng này.",
              "draft", widget="select", choices=STATUS_CHOICES),
    FieldSpec("withdrawn", "Thu hồi", "Khi 'status: withdrawn': ngày và lý do thu hồi.",
              "\n  date: 2026-03-01\n  reason: Văn bản được thu hồi để điều chỉnh mức thu.", widget="object",
              fields=(FieldSpec("date", "Ngày thu hồi", "", "2026-03-01", widget="date", required=True, pattern=_DATE),
                      FieldSpec("reason", "Lý do", "", "", widget="text", required=True))),
    FieldSpec("superseded_by", "Văn bản thay thế", "Khi 'status: superseded': văn bản thay thế, dạng <mã đơn vị>/"
              "<loại>/<tên tệp>.", "thcs-hoa-sen/thong-bao/thong-bao-dieu-chinh"),
    FieldSpec("changes", "Lịch sử thay đổi", "Lịch sử sửa văn bản đã đăng: mỗi lần một ngày và ghi chú.",
              "\n- date: 2026-03-10\n  note: Bổ sung phụ lục.", widget="objects",
              fields=(FieldSpec("date", "Ngày", "", "2026-03-10", widget="date", required=True, pattern=_DATE),
                      FieldSpec("note", "Nội dung thay đổi", "", "", widget="text", required=True))),
    FieldSpec("aliases", "Tên tệp cũ", "Tên cũ của tệp (không có .md) khi đã đổi tên tệp đã đăng, tên cũ nhất "
              "trước.", "\n- ten-tep-cu", widget="list"),
    FieldSpec("id", "Mã nhận diện", "Mã nhận diện cố định, không trùng trên toàn cổng (chỉ cần khi có thể chuyển "
              "thư mục).", "thcs-hoa-sen-kh-08-2026"),
)
CORE_FIELDS = tuple(spec.name for spec in CORE_SPECS)

NUMBER_RE = re.compile(
    r"^(?P<n>\d*)(?:/(?P<year>\d{4}))?/(?P<symbol>[A-ZĐ][A-Za-zĐđ0-9&]*(?:-[A-Za-zĐđ0-9&.]+)+)$"
)


def unit_folders(content: Path, units: Units, problems: Problems, units_dir: Path) -> list[Path]:
    """Return the folders of known units under `content`, in order; anything else there is a problem."""
    if not content.is_dir():
        problems.error(content, None, None, "không tìm thấy thư mục nội dung. Sửa: tạo thư mục content/<mã đơn vị>/<loại>/.")
        return []
    found = []
    for unit_dir in sorted(content.iterdir()):
        problem = link_problem(unit_dir, content)
        if problem is not None:
            problems.error(unit_dir, None, None, problem)
        elif not unit_dir.is_dir():
            if unit_dir.suffix == ".md":
                problems.error(unit_dir, None, None, "văn bản đặt sai chỗ. Sửa: chuyển vào content/<mã đơn vị>/<loại>/.")
            elif unit_dir.name not in QUIET:
                problems.warning(unit_dir, None, None, "tệp đặt thẳng trong thư mục nội dung không được đăng. Sửa: "
                                                       "chuyển vào content/<mã đơn vị>/<loại>/ và ghi vào văn bản cần nó, "
                                                       "hoặc xóa tệp.")
        elif unit_dir.name.startswith("."):
            continue  # a hidden folder (.git, an editor's): not the portal's
        elif unit_dir.name not in units:
            record = next((p for p in (units_dir / f"{unit_dir.name}.yml", units_dir / f"{unit_dir.name}.yaml")
                           if p.exists()), None)
            fix = (f"Sửa: sửa các lỗi của tệp {display_path(record)} (đơn vị có lỗi thì văn bản của nó chưa được đọc)."
                   if record else f"Sửa: tạo units/{unit_dir.name}.yml hoặc đổi tên thư mục theo mã đơn vị.")
            what = "đơn vị của thư mục này chưa đọc được" if record else "thư mục của một đơn vị không có trong units/"
            problems.error(unit_dir, None, None, describe(what, unit_dir.name, fix))
        else:
            found.append(unit_dir)
    return found


def load_unit_documents(unit_dir: Path, units: Units, problems: Problems, today: date,
                        limits: Limits, kinds: Mapping[str, Kind]) -> list[Document]:
    """Return the documents of one unit's folder, recording every problem; every other file there is
    used by a document or reported (model.inventory).

    What it returns depends only on the files under `unit_dir` and on that unit's own record. `kinds`
    is the registry of document kinds by folder name (congkhai.kinds.REGISTRY).
    """
    found = scan_unit(unit_dir, kinds, problems)
    documents: list[Document] = []
    claims: dict[str, Document] = {}
    used: list[Path] = []
    for path, kind in found.documents:
        doc = read_document(path, units, kind, unit_dir, problems, today, limits, used)
        if doc is None:
            continue
        _claim(doc, doc.slug, claims, problems)
        for alias in doc.aliases:
            _claim(doc, alias, claims, problems)
        documents.append(doc)
    report_unused(found, used, problems)
    _check_numbers(documents, problems)
    return documents


def number_key(doc: Document) -> tuple[int, str] | None:
    """Return (year, number) under which a document's number must be unique: an issuer numbers its
    documents from 01 each 1 January, and a number and symbol are unique in a year (Nghị định
    30/2020/NĐ-CP Điều 15 khoản 1). None for a document without a number or a date."""
    if not doc.number or doc.status is Status.DRAFT:
        return None
    match = NUMBER_RE.match(doc.number)
    if match is None or not match.group("n"):
        return None
    year = int(match.group("year")) if match.group("year") else (doc.date.year if doc.date else None)
    if year is None:
        return None
    return year, f"{int(match.group('n'))}/{match.group('symbol').upper()}"


def _check_numbers(documents: list[Document], problems: Problems) -> None:
    """Record an error for each document of a unit reusing a number and symbol already used that year,
    naming both files."""
    seen: dict[tuple[int, str], Document] = {}
    for doc in sorted(documents, key=lambda d: (d.date or date.min, d.source.as_posix())):
        key = number_key(doc)
        if key is None:
            continue
        first = seen.setdefault(key, doc)
        if first is not doc:
            problems.error(doc.source, doc.line("number"), "number", describe(
                f"số, ký hiệu đã dùng cho văn bản {_posix(first.source)} cùng năm {key[0]} (Nghị định 30/2020/NĐ-CP "
                "Điều 15: số và ký hiệu văn bản của một cơ quan là duy nhất trong một năm)", doc.number,
                "Sửa: đối chiếu sổ đăng ký văn bản đi và ghi đúng số của văn bản này."))


def _stays_in(path: Path, content: Path, unit_dir: Path) -> bool:
    """Return True when `path`, followed through every symlink, is inside the unit's own folder (a unit
    folder that is itself a link out of content/ counts as outside)."""
    own = content.resolve() / unit_dir.name
    real = path.resolve()
    return own in real.parents


def _claim(doc: Document, slug: str, claims: dict[str, Document], problems: Problems) -> None:
    address = f"{doc.unit}/{doc.kind.folder}/{slug}"
    other = claims.get(address)
    if other is not None and other is not doc:
        problems.error(
            doc.source, None, None,
            f"hai văn bản cùng một địa chỉ /{address}/ (tệp này và {_posix(other.source)}). "
            "Sửa: đổi tên một trong hai tệp (tên tệp quyết định địa chỉ trang).",
        )
        return
    claims[address] = doc


def _posix(path: Path) -> str:
    from .problems import display_path

    return display_path(path)


def read_document(
    path: Path, units: Units, kind: Kind, unit_dir: Path, problems: Problems, today: date,
    limits: Limits = DEFAULT, used: list[Path] | None = None,
) -> Document | None:
    """Return the document in `path`, or None when it cannot be read (problems recorded). The files of
    the unit's folder it refers to (attachments, tables, pictures) are added to `used`."""
    parts = _front_matter(path, problems)
    if parts is None:
        return None
    data, body, body_line = parts
    rendered = _render(path, body, body_line, problems)
    r = f.Reader(path, data, problems)
    unit = units[unit_dir.name]
    r.unknown_keys(CORE_FIELDS + kind.field_names(), f" cho loại '{kind.folder}'")
    title = _visible(r, "title", r.get("title", f.required_text, required=True))
    status = r.get("status", f.choice(STATUSES, "trạng thái")) or Status.PUBLISHED
    issued, published = _read_dates(r, unit, status)
    for name, day in (("date", issued), ("published", published)):
        _plausible_day(r, name, day, today)
    context = f.ReadContext(path, unit_dir, unit.code, status is Status.DRAFT, issued, limits,
                            used if used is not None else [])
    number = _read_number(r, status)
    _check_type(r, number, title)
    signer = _read_signer(r)
    attachments = _read_attachments(r, context)
    withdrawn = _read_withdrawal(r, status)
    superseded_by = r.get("superseded_by", f.text)
    if status is Status.SUPERSEDED and not superseded_by:
        problems.error(path, r.line("status"), "superseded_by",
                       "văn bản 'superseded' phải ghi văn bản thay thế. Sửa: thêm 'superseded_by: <đơn vị>/<loại>/<tên tệp>'.")
    changes, aliases = _read_changes(r), _read_aliases(r)
    details = kind.read(r, context) if kind.read else None
    if title is None or rendered is None:
        return None
    doc = Document(
        unit=unit.code, kind=kind, slug=slugify(path.stem) or "van-ban", source=path, title=title, rendered=rendered,
        body_line=body_line, date=issued, published=published, number=number, signer=signer,
        basis=r.get("basis", f.text_list) or (), recipients=r.get("recipients", f.text_list) or (),
        tags=r.get("tags", f.text_list) or (), description=_visible(r, "description", r.get("description", f.text)),
        obligation=r.get("obligation", f.text), period=r.get("period", period_value),
        attachments=attachments, status=status, withdrawn=withdrawn, superseded_by=superseded_by,
        changes=changes, aliases=aliases, doc_id=r.get("id", f.text), details=details,
        lines={k[0]: v + data.offset for k, v in data.lines.items() if len(k) == 1},
    )
    _check_outputs(doc, problems)
    return doc


def _check_outputs(doc: Document, problems: Problems) -> None:
    """Record an error for every two files the document would publish at the same address (two
    attachments whose names fold alike, an attachment named like its page or like a file its kind
    makes) and for an old address (`aliases`) that is its own."""
    owners: dict[str, str] = {"index.html": "trang của văn bản"}
    for attachment in doc.attachments:
        _claim_file(doc, attachment.file.name, f"tệp đính kèm '{attachment.file.written}'", owners, problems)
    for made in doc.kind.files(doc):
        _claim_file(doc, made.name, f"tệp '{made.name}' do cổng tạo cho {doc.kind.lower}", owners, problems)
    if doc.slug in doc.aliases:
        problems.error(doc.source, doc.line("aliases"), "aliases",
                       describe("địa chỉ cũ trùng với địa chỉ hiện tại của văn bản", doc.slug,
                                "Sửa: xóa tên này khỏi 'aliases' (chỉ ghi các tên tệp cũ, trước khi đổi tên)."))


def _claim_file(doc: Document, name: str, owner: str, owners: dict[str, str], problems: Problems) -> None:
    other = owners.get(name)
    if other is None:
        owners[name] = owner
        return
    problems.error(doc.source, doc.line("attachments"), "attachments",
                   f"{owner} và {other} cùng được đăng ở một địa chỉ …/{doc.slug}/{name} (tên tệp sau khi bỏ dấu, "
                   "viết thường). Sửa: đổi tên một trong hai tệp.")


UNSAFE_FIX = ("Sửa: xóa các phần này khỏi tệp (cổng không cho phép script, khung nhúng, biểu mẫu, kiểu CSS hay "
              "thuộc tính sự kiện; bảng, ảnh có mô tả và chữ định dạng vẫn dùng được).")


def _render(path: Path, body: str, body_line: int, problems: Problems) -> RenderedBody | None:
    """Return the body converted for publication (once, within the time limit), or None when it cannot
    be (an error names the file and, where known, the line). What the sanitiser removed is a warning."""
    try:
        rendered = render_body(body)
    except BodyError as exc:
        problems.error(path, None if exc.line is None else body_line + exc.line, None, exc.message)
        return None
    if rendered.removed:
        problems.warning(path, None, None, "nội dung có mã HTML không an toàn, đã bị loại bỏ khi đăng: "
                         + ", ".join(rendered.removed) + ". " + UNSAFE_FIX)
    return rendered


def _front_matter(path: Path, problems: Problems) -> tuple[YamlData, str, int] | None:
    """Return a document file's front matter (parsed), its Markdown body and the body's first line, or
    None when the file cannot be read or has no usable front matter (problem recorded)."""
    text = read_text(path, problems, MAX_DOCUMENT_BYTES,
                     "Sửa: đăng nội dung dài thành tệp PDF đính kèm, hoặc chia thành nhiều văn bản.")
    if text is None:
        return None
    try:
        parts = split_front_matter(text)
    except ValueError:
        problems.error(path, 1, None, "tệp thiếu phần đầu (front matter). Sửa: dòng đầu tiên là '---', tiếp theo "
                                      "các trường như 'title: …', rồi một dòng '---' trước nội dung.")
        return None
    if parts is None:
        problems.error(path, 1, None, "phần đầu mở bằng '---' nhưng không có dòng '---' đóng lại. Sửa: thêm một "
                                      "dòng '---' sau trường cuối cùng.")
        return None
    front, body, body_line = parts
    try:
        data = parse_yaml(front, offset=1)
    except YamlInputError as exc:
        problems.error(path, exc.line, None, f"phần đầu YAML không đọc được: {exc.message}. {YAML_FIX}")
        return None
    if data.data is None:
        data = type(data)({}, data.lines, data.offset)
    if not isinstance(data.data, dict):
        problems.error(path, 2, None, "phần đầu phải là các dòng 'tên: giá trị'. " + YAML_FIX)
        return None
    return data, body, body_line


# Characters that change the direction text is shown in (a title could read differently from what it
# says), and characters that take no room (a number that looks like another one).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# The earliest date a posting can plausibly carry: a year before it was mistyped (a "1026" for "2026").
EARLIEST = date(1990, 1, 1)


def _visible(r: f.Reader, name: str, value: str | None) -> str | None:
    """Return a text field without invisible characters: a direction control is an error (it can make
    the text read otherwise than it is), a zero-width character a warning (it is removed)."""
    if value is None:
        return None
    if _BIDI.search(value):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _BIDI.findall(value)}))
        r.problems.error(r.path, r.line(name), name, f"có ký tự điều khiển hướng chữ vô hình ({codes}) làm chữ hiện "
                                                     "khác với chữ thật. Sửa: gõ lại giá trị này (không chép từ nguồn lạ).")
        value = _BIDI.sub("", value)
    if _ZERO_WIDTH.search(value):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _ZERO_WIDTH.findall(value)}))
        r.problems.warning(r.path, r.line(name), name, f"có ký tự vô hình ({codes}), đã được bỏ khi đăng. Sửa: gõ lại "
                                                       "giá trị này.")
        value = _ZERO_WIDTH.sub("", value)
    return value


def _plausible_day(r: f.Reader, name: str, day: date | None, today: date) -> None:
    """Warn about a date that is most likely a mistyped year: before 1990, or more than a year ahead."""
    if day is None:
        return
    if day < EARLIEST or day > today.replace(year=today.year + 1, day=min(today.day, 28)):
        r.problems.warning(r.path, r.line(name), name, describe(
            f"ngày khó có thật (trước năm {EARLIEST.year} hoặc hơn một năm sau hôm nay {format_date(today)}), có thể "
            "gõ nhầm năm", day.isoformat(), "Sửa: kiểm tra lại năm."))


def _read_dates(r: f.Reader, unit: Unit, status: Status) -> tuple[date | None, date | None]:
    """Return the issue and posting dates (the issue date is required unless the document is a draft)."""
    issued = r.get("date", f.date_value, required=status is not Status.DRAFT)
    published = r.get("published", f.date_value)
    if issued and published and published < issued:
        r.problems.warning(
            r.path, r.line("published"), "published",
            describe(f"ngày đăng trước ngày ban hành ({format_date(issued)})", published.isoformat(),
                     "Sửa: ngày đăng ('published') phải bằng hoặc sau ngày ban hành ('date')."),
        )
    if issued and unit.active_until and issued > unit.active_until:
        r.problems.error(
            r.path, r.line("date"), "date",
            describe(f"văn bản ban hành sau ngày đơn vị {unit.code} giải thể ({format_date(unit.active_until)})",
                     issued.isoformat(),
                     "Sửa: kiểm tra lại ngày, hoặc đăng văn bản dưới đơn vị kế thừa"
                     + (f" ({unit.successor})." if unit.successor else ".")),
        )
    return issued, published


def _read_changes(r: f.Reader) -> tuple[Change, ...]:
    changes = []
    for cr in r.items("changes"):
        cr.unknown_keys(("date", "note"))
        cdate = cr.get("date", f.date_value, required=True)
        note = cr.get("note", f.required_text, required=True)
        if cdate and note:
            changes.append(Change(cdate, note))
    return tuple(sorted(changes, key=lambda c: c.date, reverse=True))


def _read_aliases(r: f.Reader) -> tuple[str, ...]:
    aliases = []
    for alias in r.get("aliases", f.text_list) or ():
        if slugify(alias) != alias:
            r.problems.error(r.path, r.line("aliases"), "aliases",
                             describe("địa chỉ cũ phải là tên tệp cũ không đuôi .md (chữ thường, không dấu, dấu '-')",
                                      alias, f"Sửa thành '{slugify(alias)}'."))
            continue
        aliases.append(alias)
    return tuple(aliases)


def period_value(value: Any) -> Period | None:
    """Return the reporting period written in `period`."""
    raw = f.text(value)
    if raw is None:
        return None
    period = parse_period(raw)
    if period is None:
        raise f.FieldError("kỳ không đúng dạng", raw,
                           "Sửa: dùng 2024 (năm), 2024-Q1 (quý), 2024-H1 (6 tháng), 2024-9M (9 tháng) "
                           "hoặc 2024-2025 (năm học).")
    return period


def _read_number(r: f.Reader, status: Status) -> str | None:
    number = _visible(r, "number", r.get("number", f.text))
    if number is None:
        return None
    number = number.removeprefix("Số:").removeprefix("Số").strip()
    match = NUMBER_RE.match(number)
    if match is None:
        r.problems.warning(
            r.path, r.line("number"), "number",
            describe("số, ký hiệu không đúng dạng số/ký hiệu (Nghị định 30/2020/NĐ-CP)", number,
                     "Sửa: ghi dạng '108/KH-PGDĐT' (số/loại văn bản-cơ quan ban hành) hoặc "
                     "'1234/UBND-VP' cho công văn."),
        )
        return number
    if not match.group("n"):
        if status is not Status.DRAFT:
            r.problems.warning(
                r.path, r.line("number"), "number",
                describe("văn bản đã đăng nhưng chưa có số", number,
                         "Sửa: ghi số của văn bản đã ký, hoặc đặt 'status: draft' nếu văn bản chưa ban hành."),
            )
        return number
    if int(match.group("n")) < 10 and len(match.group("n")) < 2:
        r.problems.warning(
            r.path, r.line("number"), "number",
            describe("số dưới 10 phải có số 0 ở đầu (Nghị định 30/2020/NĐ-CP)", number,
                     f"Sửa thành '0{number}'."),
        )
    return number


def _check_type(r: f.Reader, number: str | None, title: str | None) -> None:
    """Warn when the number's type abbreviation and the title name different types (NĐ 30/2020/NĐ-CP:
    the type named in the document and in its number agree, e.g. "BC" is a Báo cáo)."""
    by_number = type_of_number(number)
    by_title = type_of_title(title) if title else None
    if by_number is None or by_title is None or by_number is OFFICIAL_LETTER or by_number == by_title:
        return
    r.problems.warning(r.path, r.line("number"), "number", describe(
        f"ký hiệu '{by_number.abbreviation}' trong số là {by_number.name.lower()}, nhưng tiêu đề bắt đầu bằng "
        f"'{by_title.name}' (Nghị định 30/2020/NĐ-CP: tên loại và chữ viết tắt trong số phải khớp nhau)", number,
        f"Sửa: nếu văn bản là {by_title.name.lower()}, ký hiệu là '{by_title.abbreviation}'; nếu không, sửa tiêu đề."))


SIGNING_MARKS = {"TM.": "thay mặt tập thể", "KT.": "ký thay người đứng đầu", "Q.": "quyền",
                 "TL.": "thừa lệnh", "TUQ.": "thừa ủy quyền"}


def _read_signer(r: f.Reader) -> Person | None:
    """Return the signer: the authority line (TM., KT., Q., TL., TUQ. before the head's title or the body's
    name), the signer's own title and name (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    if not r.present("signer"):
        return None
    sr = r.child("signer")
    sr.unknown_keys(("name", "title", "authority"))
    person = Person(sr.get("name", f.text), sr.get("title", f.text), sr.get("authority", f.text))
    if person.authority:
        mark = person.authority.split(" ", 1)[0].upper()
        if mark.rstrip(".") + "." not in SIGNING_MARKS:
            sr.problems.warning(r.path, sr.line("authority"), sr.label("authority"), describe(
                "dòng thẩm quyền ký bắt đầu bằng TM., KT., Q., TL. hoặc TUQ. (Nghị định 30/2020/NĐ-CP)",
                person.authority, "Sửa: ví dụ 'KT. HIỆU TRƯỞNG'; chức vụ của người ký ghi ở 'title'."))
        elif not person.title and mark.rstrip(".") != "Q":
            sr.problems.warning(r.path, sr.line("authority"), sr.label("title"), describe(
                "người ký thay, thừa lệnh hay thừa ủy quyền ghi hai dòng: thẩm quyền rồi chức vụ của chính người ký",
                person.authority, "Sửa: thêm 'title', ví dụ 'PHÓ HIỆU TRƯỞNG' dưới 'KT. HIỆU TRƯỞNG'."))
    return person if (person.name or person.title or person.authority) else None


def _read_attachments(r: f.Reader, context: f.ReadContext) -> tuple[Attachment, ...]:
    found = []
    for ar in r.items("attachments"):
        ar.unknown_keys(("file", "title"))
        written = ar.get("file", f.required_text, required=True)
        if written is None:
            continue
        try:
            local = context.resolve(written)
        except FileRefError as exc:
            r.problems.error(r.path, ar.line("file"), ar.label("file"), describe(exc.what, written, exc.fix))
            continue
        found.append(Attachment(ar.get("title", f.text) or local.name, local))
    return tuple(found)


def _read_withdrawal(r: f.Reader, status: Status) -> Withdrawal | None:
    if not r.present("withdrawn"):
        if status is Status.WITHDRAWN:
            r.problems.error(r.path, r.line("status"), "withdrawn",
                             "văn bản bị thu hồi phải ghi ngày và lý do. Sửa: thêm 'withdrawn:' với "
                             "'date: YYYY-MM-DD' và 'reason: …'.")
        return None
    wr = r.child("withdrawn")
    wr.unknown_keys(("date", "reason"))
    wdate = wr.get("date", f.date_value, required=True)
    reason = wr.get("reason", f.required_text, required=True)
    if status is not Status.WITHDRAWN:
        r.problems.error(r.path, r.line("withdrawn"), "withdrawn",
                         "có thông tin thu hồi nhưng trạng thái không phải 'withdrawn'. Sửa: thêm "
                         "'status: withdrawn' hoặc xóa mục 'withdrawn'.")
    if wdate and reason:
        return Withdrawal(wdate, reason)
    return None
