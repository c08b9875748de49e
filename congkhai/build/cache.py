"""The build cache: what earlier builds produced, reused when the content hash of its inputs is
unchanged. Safe to delete at any time (`.congkhai-cache/` by default).

Layout, under `<root>/v<FORMAT>/`:

- `files.json`: the memo of file hashes (see fingerprint.FileDigests);
- `parse/<unit>.bin`: a unit's documents as read and checked, with the problems found;
- `sections/<name>/`: the output files of one part of the site (a unit's folder, the portal-wide
  pages, the theme's assets, a search bundle) under `files/`, with `entry.json`, its manifest, and
  under `aside/` what the part made for later steps but does not publish (a unit's register lines).

Every entry carries its key and a checksum of itself; files are checked against the manifest's
sizes and modification times before reuse. Anything that does not match exactly - another format,
another key, a damaged or truncated file - is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filelock

from .fingerprint import FileDigests, iter_files, stable_json

FORMAT = 2
DEFAULT_DIR = Path(".congkhai-cache")


@dataclass(frozen=True)
class Entry:
    """A usable cache entry: its folder, files (site-relative), their inodes (in the same order, as
    found when the entry was checked), metadata, and the names of its files aside (not published)."""

    folder: Path
    files: tuple[str, ...]
    inodes: tuple[int, ...]
    meta: dict[str, Any]
    aside: tuple[str, ...] = ()

    def aside_file(self, name: str) -> Path | None:
        """Return the file `name` kept aside by the part (checked with the entry), None if it has none."""
        return self.folder / "aside" / name if name in self.aside else None

    def link_into(self, root: Path, made: set[str] | None = None) -> None:
        """Place the entry's files under `root` (hard links; copies where links are impossible).
        `made` remembers the folders already created, across entries."""
        made = set() if made is None else made
        source_root = os.path.join(self.folder, "files")
        target_root = os.fspath(root)
        for rel in self.files:
            _link(os.path.join(source_root, rel), os.path.join(target_root, rel), made)


def _scan(folder: str, prefix: str, found: dict[str, int]) -> None:
    with os.scandir(folder) as entries:
        for item in entries:
            if item.is_dir(follow_symlinks=False):
                _scan(item.path, prefix + item.name + "/", found)
            else:
                found[prefix + item.name] = item.inode()


def wanted_files(entries: list[Entry]) -> dict[str, tuple[str, int]]:
    """Return, for every file the entries make up, its cached path and inode; raises FileClash when
    two entries hold the same file (every output path has one owner: nothing is overwritten)."""
    wanted: dict[str, tuple[str, int]] = {}
    owner: dict[str, Path] = {}
    for entry in entries:
        base = os.path.join(entry.folder, "files")
        for rel, inode in zip(entry.files, entry.inodes):
            if rel in wanted:
                raise FileClash(rel, owner[rel].name, entry.folder.name)
            wanted[rel] = (os.path.join(base, rel), inode)
            owner[rel] = entry.folder
    return wanted


class FileClash(Exception):
    """Two parts of the site would write the same file."""

    def __init__(self, rel: str, first: str, second: str) -> None:
        super().__init__(f"hai phần của cổng ({first.lstrip('_')} và {second.lstrip('_')}) cùng tạo tệp /{rel}; cổng "
                         "không ghi đè tệp nào nên chưa đăng lần dựng này. Sửa: đổi mã đơn vị hoặc tên thư mục trùng với "
                         "một mục chung của cổng.")


def link_tree(wanted: dict[str, tuple[str, int]], root: Path, keep: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Make `root` hold exactly the `wanted` files (see wanted_files) as hard links: link what is
    missing or differs, remove what is not wanted (except `keep`), and drop folders left empty."""
    present = tree_inodes(root)
    target_root = os.fspath(root)
    emptied: set[str] = set()
    for rel, inode in present.items():
        if rel in keep:
            continue
        if rel not in wanted or wanted[rel][1] != inode:
            os.unlink(os.path.join(target_root, rel))
            emptied.add(os.path.dirname(rel))
    made: set[str] = set()
    for rel, (source, inode) in wanted.items():
        if present.get(rel) != inode:
            _link(source, os.path.join(target_root, rel), made)
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(os.path.join(target_root, folder))
            except OSError:
                break  # not empty (or gone): its parents are not empty either
            folder = os.path.dirname(folder)


def tree_inodes(root: Path) -> dict[str, int]:
    """Return the inode of every file under `root`, by relative path."""
    found: dict[str, int] = {}
    if root.is_dir():
        _scan(os.fspath(root), "", found)
    return found


def _link(source: str, target: str, made: set[str]) -> None:
    folder = os.path.dirname(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_file(source: Path, target: Path) -> None:
    """Hard-link `source` at `target` (creating folders), copying when linking fails."""
    _link(os.fspath(source), os.fspath(target), set())


# The documents as parsed, by parse file, for a process that builds again and again (the preview):
# file -> (key, family, value). Parsed documents are immutable, so a later build can share them.
_PARSED: dict[str, tuple[str, str | None, Any]] = {}
_ENTRIES: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}  # manifest -> (stat, body)
_ASIDE: dict[str, tuple[tuple[int, int, int, int], list[Any]]] = {}  # file aside -> (stat, what was read)


class Cache:
    """One cache folder, held by one build at a time. A Cache made with `root=None` keeps nothing
    between builds.

    Builds that share a cache folder (a `serve` and a `build`, a unit's site and the portal, two CI
    jobs) take turns: each holds the folder's lock (`lock`, an OS file lock through filelock) from
    opening the cache to closing it, and the next one waits, saying so through `wait`. Each build's
    scratch space is its own, and closing it removes only that."""

    def __init__(self, root: Path | None, wait: Callable[[str], None] = lambda _: None, keep_parsed: bool = False) -> None:
        """`keep_parsed`: keep the documents as parsed in this process for the next build (a preview's)."""
        self.temporary = root is None
        self.keep_parsed = keep_parsed and not self.temporary
        if root is None:
            _sweep_temporary()
        base = Path(tempfile.mkdtemp(prefix=f"congkhai-cache-{os.getpid()}-")) if root is None else root
        base.mkdir(parents=True, exist_ok=True)
        self._lock = None if self.temporary else hold(base / "lock", wait, f"bộ nhớ đệm {base}")
        self.folder = base
        self.read_again: set[str] = set()  # the units whose documents this build read again (edited)
        self.root = base / f"v{FORMAT}"
        self.root.mkdir(parents=True, exist_ok=True)
        self._scratch: Path | None = None
        if not self.temporary:
            for other in base.glob("v*"):
                if other.is_dir() and other.name != self.root.name:
                    shutil.rmtree(other, ignore_errors=True)  # another format: never read, so drop it
        self.hashes = FileDigests(None if self.temporary else self.root / "files.json")
        self.stats = {"reused": 0, "built": 0}

    # Documents as parsed ------------------------------------------------------------------------

    def load_parsed(self, unit: str, key: str | None, family: str | None = None) -> Any | None:
        """Return what was stored for `unit` under `key` (or, when `key` is None, under any key of
        `family`), or None (absent, stale or damaged)."""
        path = self.root / "parse" / f"{unit}.bin"
        memo = _PARSED.get(str(path))
        if memo is not None and (memo[0] == key if key is not None else memo[1] == family):
            return memo[2]  # a preview's previous build: the same objects, not unpickled again
        try:
            raw = path.read_bytes()
            header, _, payload = raw.partition(b"\n")
            meta = json.loads(header)
            if meta.get("format") != FORMAT or (meta.get("key") != key if key is not None
                                                  else meta.get("family") != family):
                return None
            if hashlib.sha256(payload).hexdigest() != meta.get("sha256"):
                return None
            value = pickle.loads(payload)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, TypeError):
            return None
        if key is not None and self.keep_parsed:
            _PARSED[str(path)] = (key, meta.get("family"), value)
        return value

    def store_parsed(self, unit: str, key: str, value: Any, family: str = "", payload: bytes | None = None) -> None:
        """Remember `value` for `unit` under `key`, one of `family` (replacing what was there); `payload`:
        `value` already pickled."""
        if payload is None:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = json.dumps({"format": FORMAT, "key": key, "family": family,
                             "sha256": hashlib.sha256(payload).hexdigest()})
        path = self.root / "parse" / f"{unit}.bin"
        _write_atomic(path, header.encode() + b"\n" + payload)
        if self.keep_parsed:
            _PARSED[str(path)] = (key, family, value)

    # Output parts ---------------------------------------------------------------------------------

    def section_dir(self, name: str) -> Path:
        """Return the folder of the entry `name`."""
        return self.root / "sections" / _safe(name)

    def lookup(self, name: str, key: str | None) -> Entry | None:
        """Return the entry `name` if it was stored under `key` (any key when None) and every file is
        intact."""
        folder = self.section_dir(name)
        try:
            body = self._entry_body(folder / "entry.json")
            if body is None:
                return None
            if body.get("format") != FORMAT or (key is not None and body.get("key") != key):
                return None
            files, inodes = [], []
            base = os.path.join(folder, "files")
            for rel, size, mtime in body["files"]:
                info = os.stat(os.path.join(base, rel))
                if info.st_size != size or info.st_mtime_ns != mtime:
                    return None
                files.append(rel)
                inodes.append(info.st_ino)
            aside = []
            for rel, size, mtime in body.get("aside") or ():
                info = os.stat(os.path.join(folder, "aside", rel))
                if info.st_size != size or info.st_mtime_ns != mtime:
                    return None
                aside.append(rel)
            return Entry(folder, tuple(files), tuple(inodes), dict(body.get("meta") or {}), tuple(aside))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _entry_body(self, path: Path) -> dict[str, Any] | None:
        """Return the manifest at `path` (see _read_entry); a preview keeps the ones it read, by the
        file's identity and change time (which no edit in place can keep), to skip reading them again."""
        if not self.keep_parsed:
            return _read_entry(path)
        info = os.stat(path)
        stamp = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        held = _ENTRIES.get(str(path))
        if held is not None and held[0] == stamp:
            return held[1]
        body = _read_entry(path)
        if body is not None:
            _ENTRIES[str(path)] = (stamp, body)
        return body

    def read_aside(self, path: Path, reader: Callable[[Path], Iterable[Any]]) -> Iterable[Any]:
        """Return what `reader` reads from a file kept aside (lazily); a preview keeps what it read, by
        the file's identity and times, so a rebuild reads only the files of the parts it rebuilt."""
        if not self.keep_parsed:
            return reader(path)
        info = os.stat(path)
        stamp = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        held = _ASIDE.get(str(path))
        if held is None or held[0] != stamp:
            held = _ASIDE[str(path)] = (stamp, list(reader(path)))
        return held[1]

    def scratch(self) -> Path:
        """Return a new empty folder inside this build's own scratch space to build a part in. The
        space is made once, by the process that opened the cache (forked workers inherit it, so
        closing the cache removes what they left too)."""
        return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self.prepare()))

    def prepare(self) -> Path:
        """Return this build's scratch space, made the first time (call it before workers are forked
        to build parts in it)."""
        if self._scratch is None:
            (self.root / "scratch").mkdir(parents=True, exist_ok=True)
            _sweep_scratch(self.root / "scratch")  # left by builds that were killed (we hold the lock)
            self._scratch = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self.root / "scratch"))
        return self._scratch

    def use_scratch(self, path: Path) -> None:
        """Take `path` as this build's scratch space: the one a build made before it handed over to
        the program that goes on with it in the same process (pipeline.resume)."""
        self._scratch = path

    @property
    def lock(self) -> Any:
        """The cache folder's lock, held while the cache is open (None for a temporary cache)."""
        return self._lock

    def store(self, name: str, key: str, built: Path, meta: dict[str, Any],
              aside: dict[str, bytes] | None = None) -> Entry:
        """Move the files under `built` (site-relative layout) into the entry `name`, with the files
        `aside` (name: content, not published); return it."""
        final = self.section_dir(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-{os.getpid()}-", dir=final.parent))
        os.rename(built, fresh / "files")
        files, inodes = [], []
        for path in iter_files(fresh / "files"):
            info = path.stat()
            files.append([path.relative_to(fresh / "files").as_posix(), info.st_size, info.st_mtime_ns])
            inodes.append(info.st_ino)
        kept = []
        if aside:
            (fresh / "aside").mkdir()
            for rel, content in sorted(aside.items()):
                (fresh / "aside" / rel).write_bytes(content)
                info = (fresh / "aside" / rel).stat()
                kept.append([rel, info.st_size, info.st_mtime_ns])
        body = stable_json({"format": FORMAT, "key": key, "files": files, "meta": meta, "aside": kept}).encode()
        (fresh / "entry.json").write_bytes(_ENTRY_HEAD + hashlib.sha256(body).hexdigest().encode() + _ENTRY_BODY
                                           + body + b"}")
        retired = None
        if final.exists():
            retired = final.parent / f".{final.name}.old-{os.getpid()}-{os.urandom(3).hex()}"
            os.rename(final, retired)
        os.rename(fresh, final)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        self.stats["built"] += 1
        return Entry(final, tuple(f[0] for f in files), tuple(inodes), meta, tuple(f[0] for f in kept))

    def close(self) -> None:
        """Save the hash memo, clear this build's scratch space, drop a temporary cache, release the lock."""
        try:
            self._close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _close(self) -> None:
        self.hashes.save()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        for leftover in (self.root / "sections").glob(".*") if (self.root / "sections").is_dir() else ():
            owner = _LEFTOVER.search(leftover.name)
            if owner is None or int(owner.group(1)) == os.getpid() or not process_alive(int(owner.group(1))):
                shutil.rmtree(leftover, ignore_errors=True)
        if self.temporary:
            shutil.rmtree(self.root.parent, ignore_errors=True)


# entry.json is {"check":"<SHA-256 of the body's bytes>","body":<body>}, so checking it needs no
# re-encoding of the body (a manifest holds every page's metadata: tens of KB per part).
_ENTRY_HEAD = b'{"check":"'
_ENTRY_BODY = b'","body":'
_ENTRY_START = len(_ENTRY_HEAD) + 64 + len(_ENTRY_BODY)


def _read_entry(path: Path) -> dict[str, Any] | None:
    """Return the body of the manifest at `path`, or None when it is not exactly what store() wrote."""
    raw = path.read_bytes()
    if not raw.startswith(_ENTRY_HEAD) or raw[_ENTRY_START - len(_ENTRY_BODY):_ENTRY_START] != _ENTRY_BODY \
            or not raw.endswith(b"}"):
        return None
    payload = raw[_ENTRY_START:-1]
    if hashlib.sha256(payload).hexdigest().encode() != raw[len(_ENTRY_HEAD):len(_ENTRY_HEAD) + 64]:
        return None
    body = json.loads(payload)
    return body if isinstance(body, dict) else None


def hold(path: Path, wait: Callable[[str], None], what: str) -> filelock.BaseFileLock | Adopted:
    """Return the OS file lock at `path`, acquired: at once when free, else after telling `wait` that
    another build holds `what` and waiting for it to finish. A lock this process took over from the
    program it replaced (adopt_locks) is returned as it is: it is held already."""
    adopted = _ADOPTED.pop(os.fspath(path), None)
    if adopted is not None:
        return Adopted(os.fspath(path), adopted)
    lock = filelock.FileLock(path)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        wait(f"Đang chờ: một lần dựng khác đang dùng {what}; lần dựng này bắt đầu khi lần kia xong.")
        lock.acquire()
    return lock


def _sweep_scratch(folder: Path) -> None:
    """Remove the scratch spaces of builds whose process is gone."""
    for path in folder.iterdir():
        owner = path.name.split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not process_alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)


def _sweep_temporary() -> None:
    """Remove the temporary caches of builds that were killed (their process is gone)."""
    for path in Path(tempfile.gettempdir()).glob("congkhai-cache-*-*"):
        owner = path.name.split("-")[2]
        if owner.isdigit() and not process_alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)


_LEFTOVER = re.compile(r"\.(?:new|old)-(\d+)-")


def process_alive(pid: int) -> bool:
    """Return True while process `pid` runs (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _safe(name: str) -> str:
    return name.replace("/", "__") or "_"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# Locks held by the program this process replaced (pipeline._stages_handed_over): path -> descriptor.
_ADOPTED: dict[str, int] = {}


class Adopted:
    """A lock taken over from the program this process replaced: its descriptor, kept open across the
    replacement, holds the lock (an OS lock belongs to the open file, not to the program); closing it
    releases the lock."""

    def __init__(self, lock_file: str, fd: int) -> None:
        self.lock_file = lock_file
        self.fd: int | None = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def adopt_locks(locks: dict[str, int]) -> None:
    """Take over the locks `locks` (path -> descriptor) that the program this process replaced held;
    `hold` returns them instead of waiting for them. Those not taken are released."""
    for path, fd in _ADOPTED.items():
        if path not in locks:
            os.close(fd)
    _ADOPTED.clear()
    for path, fd in locks.items():
        os.set_inheritable(fd, False)
        _ADOPTED[path] = fd


def lock_descriptor(lock: Any) -> int | None:
    """Return the open descriptor that holds `lock` (a held lock from `hold`), or None when it cannot be
    known (filelock keeps it in its private state: a version that moved it makes a build finish in
    the same program instead of handing over)."""
    if isinstance(lock, Adopted):
        return lock.fd
    try:
        fd = lock._context.lock_file_fd
    except AttributeError:
        return None
    return fd if isinstance(fd, int) else None
