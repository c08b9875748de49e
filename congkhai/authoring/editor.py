"""The web editor on one machine: `python build.py serve --edit` (also `python build.py edit`).

Next to the live preview (authoring.serve), the preview server

- runs decap-server (Decap CMS's local backend, installed by npm from the pinned lockfile) on a
  private loopback port over the portal's working copy, in its "fs" mode: what staff save is written
  straight into content/<unit>/<kind>/, never committed (review it with `git diff`, commit as usual);
  the browser reaches it through the preview's own address (API_PATH), so nothing else is exposed;
- tells the editor's page it is on a local session (SESSION_PATH);
- checks a document before it is saved (VALIDATE_PATH) with the same reader as `check`
  (model.documents.read_document), on a scratch copy of the document and of the files it names, so
  that what the form refuses is exactly what `check` would refuse; the messages are `check`'s own.

After a save, the preview rebuilds as for any edit, and the page shows that build's result.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..build.admin import TOOL_ROOT, repository
from ..config import Settings
from ..kinds import REGISTRY
from ..model.documents import CORE_SPECS, read_document
from ..model.kind import FieldSpec, Kind
from ..model.problems import Problems, Severity
from ..model.units import load_units

API_PATH = "/__congkhai/api/v1"
SESSION_PATH = "/__congkhai/bien-tap.json"
VALIDATE_PATH = "/__congkhai/kiem-tra"
STATUS_PATH = "/__congkhai/trang-thai.json"
DECAP_SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
READY_SECONDS = 30
_FILE_NAME = re.compile(r"^[^/\\\x00]{1,255}$")


class EditorError(Exception):
    """The local editor cannot start; the message (Vietnamese) says why and how to fix it."""


class DecapServer:
    """decap-server over the portal's working copy `root`, on a free loopback port, until `stop`."""

    def __init__(self, root: Path, tool_root: Path = TOOL_ROOT) -> None:
        self.root = root.resolve()
        self.script = tool_root / DECAP_SERVER
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()

    @property
    def api(self) -> str:
        """Return decap-server's API address."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self) -> None:
        """Start decap-server and wait until it answers; raises EditorError."""
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise EditorError("máy không có Node.js, cần để chạy decap-server. Sửa: cài Node.js và npm (Debian/Ubuntu: "
                              "apt-get install nodejs npm) rồi chạy lại.")
        if not self.script.is_file():
            raise EditorError(f"chưa cài decap-server ({self.script}). Sửa: chạy 'npm ci --ignore-scripts --no-audit "
                              f"--no-fund' trong thư mục {self.script.parents[3]}.")
        self.port = _free_port()
        env = dict(os.environ, PORT=str(self.port), BIND_HOST="127.0.0.1", MODE="fs",
                   GIT_REPO_DIRECTORY=str(self.root), LOG_LEVEL="warn")
        # Its own folder as working directory: decap-server also reads a `.env` file from there.
        self._process = subprocess.Popen([node, str(self.script)], env=env, cwd=self.script.parent,
                                         stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                self.forward(json.dumps({"action": "info", "params": {}}).encode())
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        self._log.seek(0)
        said = self._log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        raise EditorError("decap-server không khởi động được" + (f": {' / '.join(said)}" if said else "") + ".")

    def forward(self, body: bytes) -> tuple[int, bytes]:
        """Send one API request to decap-server; return its status and answer. Raises OSError."""
        request = urllib.request.Request(self.api, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        """Stop decap-server (only the process this object started)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def session_info(settings: Settings) -> dict[str, str]:
    """Return what the editor's page is told about the local session (SESSION_PATH)."""
    return {"api": API_PATH, "validate": VALIDATE_PATH, "status": STATUS_PATH, "publish_mode": "simple",
            "content": repository(settings)[1]}


# --- checking a document before it is saved ------------------------------------------------------

def check_entry(settings: Settings, request: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return the errors and warnings `check` would report for the document the editor is about to
    save: {"errors": [...], "warnings": [...]}, each "Nhãn (field): message" in Vietnamese.

    `request` is what quan-tri.js sends: the unit and kind (from the collection), the slug, the form's
    data (front matter and `body`) and the files chosen in the form but not uploaded yet (`pending`:
    name, size, and their bytes or the first of them, in base64)."""
    kind = REGISTRY.get(str(request.get("kind")))
    unit = str(request.get("unit") or "")
    data = request.get("data")
    if kind is None or not isinstance(data, dict) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", unit):
        return {"errors": ["Yêu cầu kiểm tra không hợp lệ (đơn vị, loại văn bản hoặc dữ liệu)."], "warnings": []}
    problems = Problems()
    units = load_units(settings.units, Problems())
    if unit not in units:
        return {"errors": [f"Không có đơn vị '{unit}' trong {settings.units}/."], "warnings": []}
    slug = re.sub(r"[^a-z0-9-]", "", str(request.get("slug") or "")) or "van-ban-moi"
    real = settings.content / unit / kind.folder
    with tempfile.TemporaryDirectory(prefix="congkhai-kiem-tra-") as scratch:
        unit_dir = Path(scratch) / unit
        folder = unit_dir / kind.folder
        folder.mkdir(parents=True)
        path = folder / f"{slug}.md"
        path.write_text(document_text(data), encoding="utf-8")
        for name in referenced_files(kind, data):
            _mirror(real, folder, name)
        for item in request.get("pending") or ():
            _placeholder(folder, item)
        read_document(path, units, kind, unit_dir, problems, settings.today, settings.limits)
    labels = {spec.name: spec.label for spec in CORE_SPECS + kind.fields}
    found: dict[str, list[str]] = {"errors": [], "warnings": []}
    for problem in problems.sorted():
        is_error = problem.severity is Severity.ERROR or settings.strict
        found["errors" if is_error else "warnings"].append(_worded(problem.field, problem.message, labels))
    return found


def document_text(data: Mapping[str, Any]) -> str:
    """Return the document file the form's `data` makes: YAML front matter (empty values left out,
    as the editor leaves them out) and the body."""
    front = {key: value for key, value in ((k, _pruned(v)) for k, v in data.items() if k != "body")
             if value is not None}
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1_000_000) if front else ""
    return f"---\n{head}---\n{data.get('body') or ''}"


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: v for k, v in ((k, _pruned(v)) for k, v in value.items()) if v is not None}
        return kept or None
    if isinstance(value, list):
        return [item for item in (_pruned(v) for v in value) if item is not None] or None
    if value == "" or value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)  # the editor writes dates unquoted
        except ValueError:
            return value
    return value


def referenced_files(kind: Kind, data: Mapping[str, Any]) -> list[str]:
    """Return every file name the form's `data` gives in a file field (attachments, tables, images)."""
    return sorted(set(_files_in(CORE_SPECS + kind.fields, data)))


def _files_in(specs: tuple[FieldSpec, ...], data: Any) -> Iterator[str]:
    if not isinstance(data, Mapping):
        return
    for spec in specs:
        value = data.get(spec.name)
        if spec.widget == "file" and isinstance(value, str) and value:
            yield value
        elif spec.fields:
            for item in value if isinstance(value, list) else [value]:
                yield from _files_in(spec.fields, item)


def _mirror(real: Path, folder: Path, name: str) -> None:
    """Put the existing file `name` of the document's folder into the scratch `folder` (a hard link, or a
    copy across file systems); names leading out of the folder are left for the reader to refuse."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        return
    source = real.joinpath(*pure.parts)
    if not source.is_file() or source.is_symlink() or real.resolve() not in source.resolve().parents:
        return
    target = folder.joinpath(*pure.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _placeholder(folder: Path, item: Any) -> None:
    """Write a file chosen in the form but not uploaded yet: its bytes (or the first of them, padded to
    its size without using disk), enough for the reader's type and size checks."""
    if not isinstance(item, Mapping) or not _FILE_NAME.fullmatch(str(item.get("name") or "")):
        return
    target = folder / str(item["name"])
    if target.exists():
        return
    try:
        content = base64.b64decode(str(item.get("data") or ""), validate=True)
        size = int(item.get("size") or len(content))
    except (ValueError, TypeError):
        return
    with target.open("wb") as handle:
        handle.write(content)
        if not item.get("whole") and size > len(content):
            handle.truncate(size)


def _worded(field: str | None, message: str, labels: Mapping[str, str]) -> str:
    """Return a problem as the form shows it: "Nhãn (field): message"."""
    if not field:
        return message[:1].upper() + message[1:]
    top = re.split(r"[.\[]", field, maxsplit=1)[0]
    label = labels.get(top)
    return f"{label} ({field}): {message}" if label else f"{field}: {message}"
