"""The up-to-date check: when nothing a build reads has been touched since the last successful build
into the same folder, and that folder still holds exactly what it wrote, the build has nothing to do.

"Touched" is judged the way make does, on each input file's size, modification time and inode
(content/, units/, the configuration, the theme, the tool itself, the installed Decap CMS), plus the
options and "today".
The check imports nothing heavy, so a rebuild that changes nothing costs a directory walk; every
other build goes through the content-hash cache (cache.py), which is what keeps output correct.
The messages of the last build are printed again: the same input always gives the same messages.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .. import GUIDE
from .admin import installed_stamp
from .cache import FORMAT, tree_inodes
from .fingerprint import code_fingerprint, digest
from .output import MARKER as _MARKER

_CUSTOM_DIR = re.compile(r"^\s*custom_dir:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _listing(root: Path) -> list[tuple[str, int, int, int, str]]:
    """Return (relative path, size, mtime, inode, link target) of every file under `root`, sorted,
    following links (a file a link points at, a folder it leads to) so that editing a link's target,
    or pointing the link elsewhere, counts as a change; a broken or looping link is listed as such."""
    found: list[tuple[str, int, int, int, str]] = []
    if not root.exists():
        return found
    seen: set[tuple[int, int]] = set()

    def walk(folder: str, prefix: str) -> None:
        try:
            info = os.stat(folder)
            names = sorted(os.listdir(folder))
        except OSError:
            return
        if (info.st_dev, info.st_ino) in seen:
            return  # a link back up the tree: its files are listed already
        seen.add((info.st_dev, info.st_ino))
        for name in names:
            path = os.path.join(folder, name)
            target = os.readlink(path) if os.path.islink(path) else ""
            try:
                stat_ = os.stat(path)
            except OSError:
                found.append((prefix + name, -1, -1, -1, target))
                continue
            if os.path.isdir(path):
                walk(path, prefix + name + "/")
            else:
                found.append((prefix + name, stat_.st_size, stat_.st_mtime_ns, stat_.st_ino, target))

    walk(os.fspath(root), "")
    return found


def input_stamp(options: dict[str, Any], config: Path, content: Path, units: Path) -> str:
    """Return the hash of everything a build reads, by file metadata, and of its options."""
    try:
        config_text = config.read_text(encoding="utf-8")
    except OSError:
        config_text = ""
    theme = None
    found = _CUSTOM_DIR.search(config_text)
    if found:
        theme = Path(found.group(1).strip())
        theme = theme if theme.is_absolute() else config.parent / theme
    return digest("stamp", FORMAT, code_fingerprint(), os.getcwd(), sorted(options.items()), config_text,
                  _listing(content), _listing(units), _listing(theme) if theme else None,
                  _listing(GUIDE.parent), installed_stamp())  # the guide's folder: its pictures count too


def _record_path(cache_dir: Path) -> Path:
    return cache_dir / f"v{FORMAT}" / "last-builds.json"


def _read(cache_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads(_record_path(cache_dir).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def replay(cache_dir: Path, out: Path, stamp: str) -> list[str] | None:
    """Return the lines the last build into `out` printed, when it had this stamp and `out` still holds
    exactly the files it left there; None when a build must run."""
    held = _read(cache_dir).get(os.fspath(out.resolve()))
    if not isinstance(held, dict) or held.get("stamp") != stamp:
        return None
    if not (out / _MARKER).is_file():
        return None
    files = tree_inodes(out)
    files.pop(_MARKER, None)
    if files != {rel: ino for rel, ino in held.get("files", [])}:
        return None
    lines = held.get("lines")
    return [str(line) for line in lines] if isinstance(lines, list) else None


def remember(cache_dir: Path, out: Path, stamp: str, files: dict[str, int] | None, lines: list[str]) -> None:
    """Record the stamp, the output's files (site-relative path -> inode, as the build left them; read
    from `out` when None) and the printed lines of a successful build into `out`."""
    records = _read(cache_dir)
    if files is None:
        files = tree_inodes(out)
        files.pop(_MARKER, None)
    records[os.fspath(out.resolve())] = {"stamp": stamp, "files": sorted(files.items()), "lines": lines}
    path = _record_path(cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
