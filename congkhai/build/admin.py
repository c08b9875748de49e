"""Decap CMS's own files for the web editor at /quan-tri/: installed by npm from the project's pinned
lockfile (package-lock.json, beside the congkhai package) and copied into the site at build time;
nothing is loaded from a CDN.

When node_modules is missing and npm is on the machine, the build installs them itself
(`npm ci --ignore-scripts --no-audit --no-fund`, once). Without npm, or when the install fails, the
portal is built without /quan-tri/ and the build says so, with the fix (never a page that half works).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the up-to-date check imports this module: nothing heavy at its top
    from ..config import Settings
    from ..site.admin import AdminInputs

TOOL_ROOT = Path(__file__).resolve().parents[2]  # the checkout holding congkhai/ and package.json
NPM_CI = ("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
INSTALL_SECONDS = 900
FIX = ("Sửa: cài Node.js và npm (Debian/Ubuntu: apt-get install npm) rồi chạy "
       "'npm ci --ignore-scripts --no-audit --no-fund' trong thư mục {root}.")


@dataclass(frozen=True)
class DecapFiles:
    """The installed Decap CMS: its version and the files the editor's page loads, by name."""

    version: str
    files: tuple[tuple[str, Path], ...]


def find_decap(root: Path = TOOL_ROOT) -> DecapFiles | None:
    """Return Decap's files under `root`/node_modules, or None when they are not installed."""
    dist = root / "node_modules" / "decap-cms" / "dist"
    package = root / "node_modules" / "decap-cms" / "package.json"
    if not (dist / "decap-cms.js").is_file() or not package.is_file():
        return None
    version = str(json.loads(package.read_text(encoding="utf-8")).get("version") or "")
    # The bundle, the chunks it loads from its own folder (N.decap-cms.js, found through
    # document.currentScript), the image encoder's WebAssembly and the licence; no source maps.
    wanted = sorted(p for p in dist.iterdir() if p.is_file() and (
        p.name in ("decap-cms.js", "decap-cms.js.LICENSE.txt") or p.suffix == ".wasm"
        or (p.name.endswith(".decap-cms.js") and p.name.split(".", 1)[0].isdigit())))
    return DecapFiles(version, tuple((p.name, p) for p in wanted))


_FAILED: dict[Path, str] = {}  # installs that failed in this process (the preview builds again and again)


def install(root: Path, log: Callable[[str], None]) -> str | None:
    """Run `npm ci` in `root` (once per process when it fails); return None on success, else why it
    failed (Vietnamese, with the fix)."""
    if root in _FAILED:
        return _FAILED[root]
    failure = _npm_ci(root, log)
    if failure is not None:
        _FAILED[root] = failure
    return failure


def _npm() -> str | None:
    return shutil.which("npm")


def _npm_ci(root: Path, log: Callable[[str], None]) -> str | None:
    npm = _npm()
    if npm is None:
        return "máy không có npm"
    if not (root / "package-lock.json").is_file():
        return f"không có {root / 'package-lock.json'}"
    log("Đang cài Decap CMS cho trang soạn thảo /quan-tri/ (npm ci, một lần, cần mạng)…")
    try:
        done = subprocess.run([npm, *NPM_CI[1:]], cwd=root, capture_output=True, text=True, timeout=INSTALL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"npm ci không chạy xong ({exc})"
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["không rõ lý do"]
        return f"npm ci báo lỗi: {last[0]}"
    return None


def decap_files(log: Callable[[str], None], root: Path = TOOL_ROOT) -> tuple[DecapFiles | None, str | None]:
    """Return Decap's files (installing them when npm can), and the note the build prints when the
    editor cannot be published."""
    found = find_decap(root)
    if found is not None:
        return found, None
    failure = install(root, log)
    found = find_decap(root) if failure is None else None
    if found is not None:
        return found, None
    why = failure or "npm ci xong nhưng không thấy node_modules/decap-cms"
    return None, ("Cảnh báo: cổng được dựng không có trang soạn thảo /quan-tri/ vì chưa cài được Decap CMS ("
                  + why + "). Mọi trang khác của cổng vẫn được dựng. " + FIX.format(root=root))


def installed_stamp(root: Path = TOOL_ROOT) -> tuple[int, int] | None:
    """Return what tells whether Decap was installed or changed since the last build (for the quick
    up-to-date check, which must not replay a build made without the editor once npm has run)."""
    try:
        found = os.stat(root / "node_modules" / "decap-cms" / "package.json")
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def admin_part(inputs: AdminInputs, decap: DecapFiles) -> tuple[dict[str, bytes], dict[str, Path]]:
    """Return the editor's part of the site: its own files (made) and Decap's (copied), by address."""
    from ..site.admin import ADMIN, admin_files  # the site's modules, loaded only when a site is made

    copies = {ADMIN + inputs.vendor + name: path for name, path in decap.files}
    return admin_files(inputs), copies


def repository(settings: Settings) -> tuple[Path, str]:
    """Return the folder the editor saves into (the portal's repository: where mkdocs.yml is, or the
    working folder when the content lies elsewhere) and the content folder relative to it ("content")."""
    content = settings.content.resolve()
    for root in (settings.config_file.resolve().parent, Path.cwd().resolve()):
        if root == content or root in content.parents:
            return root, Path(os.path.relpath(content, root)).as_posix()
    return content.parent, content.name
