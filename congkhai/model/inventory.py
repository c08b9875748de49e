"""Every file under a unit's content folder accounted for: a document (`<kind>/<slug>.md`), a file a
document uses (an attachment, a table, a picture), or reported — a document saved with the wrong
extension (`.MD`, `.markdown`, `.md.txt`), an editor's or the system's temporary file, a file no
document uses, a symbolic link that leads nowhere, loops or leaves the unit's folder. Nothing an
author put there is dropped without a message naming it and the fix.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .kind import Kind
from .problems import Problems, display_path

# A document saved under another extension: the name it should have is the same stem with ".md".
MISNAMED = re.compile(r"(?i)^(?P<stem>.+?)(?:\.md|\.markdown|\.mdown|\.mkd)(?:\.txt)?$|^(?P<txt>.+?)\.txt$")
# Files editors, office suites and operating systems leave behind; never published.
TEMPORARY = re.compile(r"(?i)(^~\$|^\.~lock\..*#$|^#.*#$|~$|\.(bak|swp|swo|swx|tmp|orig|rej)$"
                       r"|^(thumbs\.db|desktop\.ini|\.ds_store)$)")
QUIET = frozenset({".gitkeep", ".gitignore", ".gitattributes"})


@dataclass
class UnitFiles:
    """What a unit's folder holds: its documents (path, kind) and the other regular files (by real path)."""

    documents: list[tuple[Path, Kind]] = field(default_factory=list)
    files: dict[Path, Path] = field(default_factory=dict)  # real path -> path as found
    # Files that cannot be published (a broken link, a device): reported unless a document refers to
    # them, in which case its own check of the reference says what is wrong.
    refused: dict[Path, str] = field(default_factory=dict)

    def unused(self, used: Iterable[Path]) -> list[Path]:
        """Return the files no document uses (as found), in order."""
        taken = {Path(os.path.realpath(p)) for p in used}
        return sorted(found for real, found in self.files.items() if real not in taken)


def link_problem(path: Path, inside: Path) -> str | None:
    """Return what is wrong with `path` when it is a symbolic link (None when it is fine or not a link):
    it leads nowhere, loops, or leaves the folder `inside`."""
    if not path.is_symlink():
        return None
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("liên kết tượng trưng tạo thành vòng lặp. Sửa: xóa liên kết và đặt tệp thật vào đây.")
        return "liên kết tượng trưng trỏ tới tệp không còn tồn tại. Sửa: xóa liên kết hoặc chép tệp thật vào đây."
    real = Path(os.path.realpath(path))
    own = Path(os.path.realpath(inside))
    if real != own and own not in real.parents:
        return (f"liên kết tượng trưng dẫn ra ngoài thư mục {display_path(inside)}/. Sửa: chép tệp thật vào "
                "đây thay cho liên kết.")
    return None


def scan_unit(unit_dir: Path, kinds: Mapping[str, Kind], problems: Problems) -> UnitFiles:
    """Return the documents and files of `unit_dir` (content/<unit>), reporting everything else."""
    found = UnitFiles()
    for entry in _entries(unit_dir):
        problem = link_problem(entry, unit_dir)
        if problem is not None:
            problems.error(entry, None, None, problem)
        elif entry.is_dir():
            _scan_kind(entry, unit_dir, kinds, problems, found)
        else:
            _stray(entry, unit_dir, problems, found, at_unit_level=True)
    return found


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _scan_kind(kind_dir: Path, unit_dir: Path, kinds: Mapping[str, Kind], problems: Problems,
               found: UnitFiles) -> None:
    kind = kinds.get(kind_dir.name)
    if kind is None:
        if not kind_dir.name.startswith("."):
            problems.error(kind_dir, None, None, f"loại văn bản không hợp lệ, nhận được '{kind_dir.name}'. Sửa: dùng "
                                                 f"một trong: {', '.join(kinds)}.")
        return
    for entry in _walk(kind_dir, unit_dir, problems, found):
        if entry.suffix == ".md" and entry.parent == kind_dir and stat.S_ISREG(os.stat(entry).st_mode):
            found.documents.append((entry, kind))
        elif entry.suffix == ".md":
            problems.error(entry, None, None, f"văn bản đặt sai chỗ (trong thư mục con). Sửa: chuyển lên "
                                              f"{display_path(kind_dir)}/.")
        else:
            _stray(entry, unit_dir, problems, found, at_unit_level=False)


def _walk(folder: Path, unit_dir: Path, problems: Problems, found: UnitFiles) -> Iterable[Path]:
    """Yield every file under `folder` (links checked; folders are entered, never through a link)."""
    for entry in _entries(folder):
        problem = link_problem(entry, unit_dir)
        if problem is not None and entry.suffix == ".md":
            problems.error(entry, None, None, problem)
        elif problem is not None:
            found.refused[entry] = problem
        elif entry.is_dir():
            if entry.is_symlink():
                continue  # a link to a folder inside the unit's own folder: its files are found there
            yield from _walk(entry, unit_dir, problems, found)
        else:
            yield entry


def _stray(entry: Path, unit_dir: Path, problems: Problems, found: UnitFiles, at_unit_level: bool) -> None:
    """Classify a file that is not a document where it stands."""
    name = entry.name
    if name in QUIET:
        return
    if TEMPORARY.search(name):
        problems.warning(entry, None, None, "tệp tạm của trình soạn thảo hay hệ điều hành, không được đăng. Sửa: "
                                            "xóa tệp này (đóng chương trình đang mở nó trước).")
        return
    misnamed = MISNAMED.match(name)
    if misnamed and not name.endswith(".md"):
        stem = misnamed.group("stem") or misnamed.group("txt")
        problems.error(entry, None, None, f"văn bản phải có đuôi .md (chữ thường) mới được đăng. Sửa: đổi tên tệp "
                                          f"thành {stem}.md.")
        return
    if at_unit_level and name.endswith(".md"):
        problems.error(entry, None, None, "văn bản đặt sai chỗ. Sửa: chuyển vào content/<mã đơn vị>/<loại>/.")
        return
    if not entry.is_file():
        found.refused[entry] = "đây không phải một tệp thông thường (thiết bị, đường ống). Sửa: xóa nó."
        return
    found.files[Path(os.path.realpath(entry))] = entry


def report_unused(found: UnitFiles, used: Iterable[Path], problems: Problems) -> None:
    """Warn about every file of the unit's folder that no document uses (it is not published), and
    report the files that cannot be published unless a document's reference to them already does."""
    used = list(used)
    referred = {os.path.normpath(p) for p in used}
    for path, problem in sorted(found.refused.items()):
        if os.path.normpath(path) not in referred:
            problems.error(path, None, None, problem)
    for path in found.unused(used):
        problems.warning(path, None, None, "tệp không được văn bản nào dùng đến nên không được đăng. Sửa: ghi tên "
                                           "tệp vào 'attachments' (hoặc 'table_file', 'image') của văn bản cần nó, "
                                           "hoặc xóa tệp.")
