"""Content hashes that key the build cache: of plain data, of files, of folders, of the code.

`digest` encodes nested data canonically (dataclasses field by field, dicts and sets sorted) so
that equal inputs always give the same key, whatever the object identities or insertion orders.
File contents are hashed; a memo of (size, mtime, inode) per path lets an unchanged file skip the
read, the way version-control systems do.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What the rendered output depends on besides our own code.
RENDER_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "nh3",
                        "feedgen", "lxml", "icalendar", "pagefind", "pagefind-bin-extended", "holidays")


def digest(*parts: Any) -> str:
    """Return the hex SHA-256 of `parts` encoded canonically."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


def _feed(h: Any, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, float)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data) + data)
    elif isinstance(value, (bytes, bytearray)):
        h.update(b"b%d:" % len(value) + bytes(value))
    elif isinstance(value, enum.Enum):
        h.update(f"e:{type(value).__name__}.{value.name};".encode())
    elif isinstance(value, (date, datetime, Decimal, PurePath)):
        h.update(f"{type(value).__name__}:{value};".encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"d:{type(value).__name__}{{".encode())
        for item in dataclasses.fields(value):
            if item.compare:
                _feed(h, item.name)
                _feed(h, getattr(value, item.name))
        h.update(b"}")
    elif isinstance(value, Mapping):
        h.update(b"m{")
        for key in sorted(value, key=repr):
            _feed(h, key)
            _feed(h, value[key])
        h.update(b"}")
    elif isinstance(value, (set, frozenset)):
        h.update(b"S[")
        for item in sorted(value, key=repr):
            _feed(h, item)
        h.update(b"]")
    elif isinstance(value, (list, tuple)):
        h.update(b"l[")
        for item in value:
            _feed(h, item)
        h.update(b"]")
    elif hasattr(value, "__fingerprint__"):
        _feed(h, value.__fingerprint__())
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


class FileDigests:
    """Content hashes of files, remembered by (size, mtime, inode) so unchanged files are not read."""

    def __init__(self, memo: Path | None = None) -> None:
        self.memo_path = memo
        self.known: dict[str, list[Any]] = {}
        self.dirty = False
        if memo is not None:
            try:
                loaded = json.loads(memo.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and all(isinstance(v, list) and len(v) == 4 for v in loaded.values()):
                    self.known = loaded
            except (OSError, ValueError):
                self.known = {}

    def of(self, path: Path | str, stat: os.stat_result | None = None) -> str:
        """Return the SHA-256 of the file's bytes; raises OSError when it cannot be read."""
        key = os.fspath(path)
        info = stat or os.stat(key)
        stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
        held = self.known.get(key)
        if held is not None and held[:3] == stamp:
            return str(held[3])
        h = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
        value = h.hexdigest()
        self.known[key] = [*stamp, value]
        self.dirty = True
        return value

    def tree(self, root: Path) -> str:
        """Return the hash of every file under `root` (relative names and contents), "" when absent."""
        if not root.is_dir():
            return digest("absent", root.name) if not root.exists() else digest("file", self.of(root))
        entries = []
        top = os.fspath(root)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            prefix = os.path.relpath(folder, top).replace(os.sep, "/")
            prefix = "" if prefix == "." else prefix + "/"
            for name in sorted(files):
                try:
                    entries.append((prefix + name, self.of(os.path.join(folder, name))))
                except OSError:
                    entries.append((prefix + name, "unreadable"))
        return digest(entries)

    def save(self) -> None:
        """Write the memo back when it changed (best effort: a memo is only a speed-up)."""
        if self.memo_path is None or not self.dirty:
            return
        try:
            self.memo_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.memo_path.with_name(f".{self.memo_path.name}.{os.getpid()}")
            temporary.write_text(json.dumps(self.known, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.memo_path)
        except OSError:
            pass


def code_fingerprint() -> str:
    """Return the hash of this package's own files and the versions of what renders the site.
    A build asks three times (the up-to-date check, the parse and render keys): a file is read
    again only when its size, modification time or inode changed, and the versions are those of
    the libraries this process has loaded, looked up once."""
    files = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        try:
            info = path.stat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        key = os.fspath(path)
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        held = _CODE_FILES.get(key)
        if held is None or held[0] != stamp:
            held = _CODE_FILES[key] = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
        files.append((path.relative_to(PACKAGE_DIR).as_posix(), held[1]))
    return digest(files, _render_versions(), sys.version_info[:2])


_CODE_FILES: dict[str, tuple[tuple[int, int, int], str]] = {}


@lru_cache(maxsize=1)
def _render_versions() -> tuple[tuple[str, str | None], ...]:
    versions = []
    for name in RENDER_DISTRIBUTIONS:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, None))
    return tuple(versions)


def stable_json(data: Any) -> str:
    """Return `data` as JSON with sorted keys (for manifests)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def iter_files(root: Path) -> Iterable[Path]:
    """Yield every file under `root`, sorted."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder) / name
