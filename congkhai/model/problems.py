"""Problems found in the input: every one collected, each naming the file, line, field, value and fix."""

from __future__ import annotations

import enum
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, worded in Vietnamese for the person who wrote the file."""

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, str, str]:
        """Return the key that orders problems by file, then line, then field."""
        return (self.path, self.line or 0, self.field or "", self.message)

    def location(self) -> str:
        """Return "path, dòng N: 'field'" (line and field only where known)."""
        where = self.path
        if self.line is not None:
            where += f", dòng {self.line}"
        if self.field:
            where += f": '{self.field}'"
        return where

    def render(self, strict: bool = False) -> str:
        """Return the message as printed: "Lỗi: path, dòng N: 'field': message" (a warning reads
        "Cảnh báo: …", and "Lỗi: …" under --strict, which stops on it)."""
        label = "Lỗi" if self.severity is Severity.ERROR or strict else "Cảnh báo"
        return f"{label}: {self.location()}: {self.message}"


def display_path(path: Path | str) -> str:
    """Return `path` as printed in messages: relative to the working folder when inside it, POSIX slashes."""
    path = Path(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if rel.startswith(".."):
        return path.as_posix()
    return Path(rel).as_posix()


def describe(what: str, value: object | None = None, fix: str | None = None) -> str:
    """Return a message of the form "what, nhận được 'value'. fix"."""
    text = what
    if value is not None:
        shown = str(value)
        if len(shown) > 80:
            shown = shown[:77] + "…"
        text += f", nhận được '{shown}'"
    text += "."
    if fix:
        text += f" {fix}"
    return text


@dataclass
class Problems:
    """A collector of problems, shared by every stage of the pipeline."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: Path | str, line: int | None, fld: str | None, message: str) -> None:
        """Record an error (the build stops before writing)."""
        self.items.append(_problem(path, line, fld, message, Severity.ERROR))

    def warning(self, path: Path | str, line: int | None, fld: str | None, message: str) -> None:
        """Record a warning (an error under --strict)."""
        self.items.append(_problem(path, line, fld, message, Severity.WARNING))

    def extend(self, other: Problems) -> None:
        """Add every problem of `other`."""
        self.items.extend(other.items)

    def sorted(self) -> list[Problem]:
        """Return the problems ordered by file, line and field, without exact duplicates."""
        return sorted(set(self.items), key=Problem.sort_key)

    def errors(self, strict: bool = False) -> list[Problem]:
        """Return the problems that stop the build (warnings too when `strict`)."""
        return [p for p in self.sorted() if strict or p.severity is Severity.ERROR]

    def warnings(self) -> list[Problem]:
        """Return the warnings."""
        return [p for p in self.sorted() if p.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        """Return True when the build must stop."""
        return bool(self.errors(strict))


def _path(path: Path | str) -> str:
    return path if isinstance(path, str) else display_path(path)


def printable(text: str) -> str:
    """Return `text` as it can be printed in UTF-8: a file name whose bytes are not UTF-8 (Python
    holds them as lone surrogates) shows those bytes as "\\xff"."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _problem(path: Path | str, line: int | None, fld: str | None, message: str, severity: Severity) -> Problem:
    return Problem(printable(_path(path)), line, printable(fld) if fld else fld, printable(message), severity)


# What the operating system said, in Vietnamese, with the fix (never the system's English text).
_FAULTS = {
    errno.ENOSPC: ("ổ đĩa đầy, không ghi được", "giải phóng chỗ trống trên ổ đĩa rồi dựng lại"),
    errno.EDQUOT: ("đã hết hạn mức dung lượng, không ghi được", "xóa bớt tệp hoặc xin thêm dung lượng rồi dựng lại"),
    errno.EROFS: ("ổ đĩa chỉ cho đọc, không ghi được",
                  "chọn thư mục ở ổ đĩa ghi được (--out cho trang, --cache-dir cho bộ nhớ đệm, hoặc --no-cache)"),
    errno.EACCES: ("không có quyền truy cập",
                   "cấp quyền đọc, ghi cho người dùng chạy lệnh, hoặc chọn thư mục khác (--out, --cache-dir)"),
    errno.EPERM: ("hệ điều hành không cho phép thao tác trên",
                  "cấp quyền cho người dùng chạy lệnh, hoặc chọn thư mục khác (--out, --cache-dir)"),
    errno.ENOENT: ("tệp hoặc thư mục biến mất trong khi dựng (bị xóa hay đổi tên):",
                   "chờ việc sao chép, đồng bộ tệp xong rồi dựng lại"),
    errno.ELOOP: ("liên kết tượng trưng tạo thành vòng lặp:", "xóa hoặc sửa liên kết đó"),
    errno.ENAMETOOLONG: ("tên tệp hoặc đường dẫn quá dài:", "đặt tên tệp, tên thư mục ngắn hơn"),
    errno.EMFILE: ("quá nhiều tệp đang mở cùng lúc khi xử lý", "dựng lại với ít tiến trình hơn, ví dụ --jobs 1"),
    errno.ENFILE: ("hệ thống đang mở quá nhiều tệp khi xử lý", "dựng lại sau, hoặc với --jobs 1"),
    errno.EIO: ("ổ đĩa báo lỗi đọc, ghi ở", "kiểm tra ổ đĩa, chép dữ liệu sang ổ khác rồi dựng lại"),
    errno.ENOTDIR: ("một phần của đường dẫn không phải thư mục:", "kiểm tra lại đường dẫn"),
    errno.EISDIR: ("cần một tệp nhưng đây là thư mục:", "kiểm tra lại đường dẫn"),
}


def os_problem(exc: OSError) -> str:
    """Return a fault of the machine (a full disk, a read-only folder, a file that vanished) as one
    Vietnamese line naming the path and the fix."""
    what, fix = _FAULTS.get(exc.errno or 0, ("lỗi hệ thống khi đọc, ghi",
                                           "kiểm tra ổ đĩa và quyền truy cập rồi dựng lại"))
    where = exc.filename or exc.filename2
    path = f" {display_path(where)}" if where else ""
    code = f" (mã lỗi {errno.errorcode.get(exc.errno, exc.errno)})" if exc.errno and exc.errno not in _FAULTS else ""
    return f"{what}{path}{code}. Sửa: {fix}."
