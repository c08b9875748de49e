"""Files a document points at (attachments, tables, images): where they may live, what they may be."""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import filetype

from .limits import DEFAULT, MAX_UNPACK_RATIO, MAX_UNPACKED_BYTES, MB
from .text import slugify

DEFAULT_MAX_BYTES = DEFAULT.max_file_bytes
# Names Windows reserves for devices, with or without an extension ("CON", "nul.pdf", "COM1.xlsx").
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


@dataclass(frozen=True)
class FileType:
    """An allowed file type: MIME type and the name readers know it by."""

    mime: str
    label: str


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "PDF"),
    "doc": FileType("application/msword", "Word"),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xls": FileType("application/vnd.ms-excel", "Excel"),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "odt": FileType("application/vnd.oasis.opendocument.text", "OpenDocument văn bản"),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument bảng tính"),
    "csv": FileType("text/csv", "CSV"),
    "jpg": FileType("image/jpeg", "Ảnh JPEG"),
    "jpeg": FileType("image/jpeg", "Ảnh JPEG"),
    "png": FileType("image/png", "Ảnh PNG"),
    "webp": FileType("image/webp", "Ảnh WebP"),
}
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp"})
# What the `filetype` library calls each allowed type; a file whose detected type is one of these must
# be the one its extension names.
DETECTED_AS = {"pdf": {"pdf"}, "doc": {"doc"}, "docx": {"docx"}, "xls": {"xls"}, "xlsx": {"xlsx"},
               "odt": {"odt"}, "ods": {"ods"}, "jpg": {"jpg"}, "jpeg": {"jpg"}, "png": {"png", "apng"},
               "webp": {"webp"}}
_KNOWN = frozenset(name for names in DETECTED_AS.values() for name in names)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MARKERS = {"docx": "word/", "xlsx": "xl/"}
_ODF_MIMES = {"odt": b"application/vnd.oasis.opendocument.text", "ods": b"application/vnd.oasis.opendocument.spreadsheet"}


class FileRefError(Exception):
    """A file reference that cannot be accepted: what is wrong, and how to fix it."""

    def __init__(self, what: str, fix: str, mismatched: Path | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix
        self.mismatched = mismatched  # the checked file, when only its content disagrees with its extension


@dataclass(frozen=True)
class LocalFile:
    """A checked file next to a document."""

    written: str
    path: Path
    size: int
    type: FileType

    @property
    def name(self) -> str:
        """Return the name the file is published under: its own name folded to ASCII
        ("Dự toán 2024.PDF" -> "du-toan-2024.pdf")."""
        pure = PurePosixPath(self.written.replace("\\", "/"))
        return (slugify(pure.stem) or "tep") + pure.suffix.lower()


def resolve_file(
    written: str,
    doc_dir: Path,
    unit_dir: Path,
    allowed: frozenset[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LocalFile:
    """Return the checked file `written` (relative to the document's folder); raises FileRefError.

    The file must stay inside the unit's folder (no absolute path, no '..', no symlink leading out),
    be a regular file of an allowed type whose content matches its extension, and fit `max_bytes`.
    """
    pure = PurePosixPath(written.replace("\\", "/"))
    if pure.is_absolute() or (len(written) > 1 and written[1] == ":"):
        raise FileRefError("đường dẫn tệp phải tương đối so với thư mục của văn bản, không bắt đầu bằng '/' hay ổ đĩa",
                           "Sửa: đặt tệp cạnh tệp .md và chỉ ghi tên tệp.")
    if ".." in pure.parts:
        raise FileRefError("đường dẫn tệp không được chứa '..' (ra ngoài thư mục của đơn vị)",
                           "Sửa: chép tệp vào thư mục của văn bản và chỉ ghi tên tệp.")
    if any(part.split(".", 1)[0].strip().lower() in DEVICE_NAMES for part in pure.parts):
        raise FileRefError("tên tệp là tên thiết bị của hệ điều hành (CON, NUL, COM1…), không phải tệp",
                           "Sửa: đổi tên tệp, ví dụ 'ke-hoach.pdf'.")
    extension = pure.suffix.lower().lstrip(".")
    permitted = allowed if allowed is not None else frozenset(FILE_TYPES)
    if extension not in permitted:
        listed = ", ".join(sorted(permitted))
        raise FileRefError(f"loại tệp '.{extension}' không được phép đăng", f"Sửa: dùng một trong các loại: {listed}.")
    path = doc_dir.joinpath(*pure.parts)
    try:
        os.lstat(path)
    except (OSError, ValueError):
        raise FileRefError("không tìm thấy tệp", "Sửa: đặt tệp cạnh tệp .md của văn bản, hoặc sửa tên tệp cho đúng "
                           "(phân biệt chữ hoa, chữ thường).") from None
    real = path.resolve()
    unit_real = unit_dir.resolve()
    if real != unit_real and unit_real not in real.parents:
        raise FileRefError("tệp nằm ngoài thư mục của đơn vị (qua liên kết tượng trưng)",
                           "Sửa: chép tệp thật vào thư mục của văn bản.")
    try:
        info = os.stat(real)
    except OSError:
        raise FileRefError("không tìm thấy tệp (liên kết hỏng)", "Sửa: chép tệp thật vào thư mục của văn bản.") from None
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
        raise FileRefError("đây là một thiết bị hay đường ống của hệ điều hành, không phải tệp",
                           "Sửa: ghi tên một tệp thật đặt cạnh tệp .md.")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefError("đây không phải một tệp thông thường (thư mục hay thiết bị)", "Sửa: ghi tên một tệp.")
    if info.st_size > max_bytes:
        raise FileRefError(
            f"tệp quá lớn ({_megabytes(info.st_size)} MB, tối đa {_megabytes(max_bytes)} MB)",
            "Sửa: nén hoặc chia nhỏ tệp (giới hạn đặt ở 'max_file_mb' trong mkdocs.yml).",
        )
    if not content_matches(real, extension):
        raise FileRefError(f"nội dung tệp không phải tệp .{extension} thật (đuôi tệp bị đổi?)",
                           "Sửa: xuất lại tệp từ phần mềm gốc với đúng định dạng.", real)
    unpacked = _unpacked_size(real, extension, info.st_size)
    if unpacked is not None:
        raise FileRefError(
            f"tệp nén bên trong quá lớn (giải nén ra {_megabytes(unpacked)} MB, tối đa "
            f"{MAX_UNPACKED_BYTES // MB} MB và {MAX_UNPACK_RATIO} lần cỡ tệp)",
            "Sửa: mở tệp bằng phần mềm gốc, xóa các trang tính hay hình ảnh thừa rồi lưu lại.",
        )
    return LocalFile(written, real, info.st_size, FILE_TYPES[extension])


def _megabytes(size: int) -> str:
    """Return a size in MB as authors read it: whole numbers, a decimal comma below 10 MB ("2,5")."""
    value = size / MB
    return f"{value:.1f}".replace(".", ",") if value < 10 and size % MB else str(round(value))


def _unpacked_size(path: Path, extension: str, size: int) -> int | None:
    """Return what an Office/OpenDocument file unpacks to when that is too much (a "zip bomb"), else None;
    raises FileRefError when the file is not a readable zip."""
    if extension not in ("docx", "xlsx", "odt", "ods"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise FileRefError(f"tệp .{extension} bị hỏng (không mở được)",
                           "Sửa: mở tệp bằng phần mềm gốc và lưu lại.") from None
    if total > MAX_UNPACKED_BYTES or (total > 10 * MB and total > MAX_UNPACK_RATIO * size):
        return total
    return None


def content_matches(path: Path, extension: str) -> bool:
    """Return True when the file's content is of its extension's format: the type the `filetype`
    library detects, else (a type it cannot name, such as a .docx whose parts come late in the zip,
    or text) the format's own signature and structure."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    detected = filetype.guess(head)
    name = detected.extension if detected is not None else None
    if name in _KNOWN:
        return name in DETECTED_AS.get(extension, set())
    if name is not None and name != "zip":
        return False  # a file of another kind (a program, a video, an archive…)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("doc", "xls"):
        return head.startswith(_OLE)
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "csv":
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start > len(head) - 4  # a character cut at the 8 KB boundary
        return True
    if extension in ("docx", "xlsx", "odt", "ods"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if extension in _ZIP_MARKERS:
                    return any(n.startswith(_ZIP_MARKERS[extension]) for n in names)
                return "mimetype" in names and archive.read("mimetype").strip() == _ODF_MIMES[extension]
        except (zipfile.BadZipFile, OSError, KeyError):
            return False
    return False
