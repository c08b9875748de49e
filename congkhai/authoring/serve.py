"""`python build.py serve`: a live preview while writing.

The site is built (without the search index, which takes longest) into a private folder that is
removed on exit, never into site/. Changes to content/, units/, site_src/ or mkdocs.yml trigger a
rebuild (watchdog, falling back to polling). A failed build keeps the last good pages on screen and
lists the problems in the terminal and in a box on every page; each page asks a small status address
(which answers once something changed) and reloads itself when a build finishes.

A rebuild builds the edited units' parts first (then the others, fewest units below them first, the
site-wide parts last) and serves each one's pages as soon as it is there, before the build ends (the
edited school's page first, while its supervisors' and the portal's lists are built): the page being
looked at reloads then, and again when the build has finished. Those pages are served from the
build's cache, not written into the site folder: a build that fails after them leaves the last good
site exactly as it was.

With `--edit` (`python build.py edit`), the same server also carries the web editor's local session
(authoring.editor): decap-server behind its own address, and the check before each save. The
editor's pages (/quan-tri/) are served as built: no reload script (a reload would lose the form); the
editor reports each save's build itself.
"""

from __future__ import annotations

import html
import http.server
import json
import shutil
import signal
import socketserver
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Callable, Mapping

from ..build import pipeline
from ..build.admin import decap_files, repository
from ..site.admin import ADMIN
from .editor import API_PATH, SESSION_PATH, VALIDATE_PATH, DecapServer, EditorError, check_entry, session_info
from ..config import Settings, SettingsError, default_cache_dir
from ..config import load as load_settings
from ..model.problems import Severity

STATUS_PATH = "/__congkhai/trang-thai.json"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# A save is built once no other change came for this long: an editor's save (a temporary file, a
# rename, the attributes) makes its events within a few milliseconds, and a change arriving during a
# build starts another one after it, so a short wait costs nothing but time before the new page.
QUIET_SECONDS = 0.05
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".part", ".crdownload")


@dataclass
class State:
    """What the browser is told: how many builds finished, and the problems of the last one."""

    version: int = 0
    building: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built_once: bool = False


def watched_paths(options: Settings) -> list[Path]:
    """Return what a change to triggers a rebuild: content, units, site_src beside the config, the config."""
    return [options.content, options.units, options.config_file.parent / "site_src", options.config_file]


def is_ignored(path: str) -> bool:
    """Return True for editors' temporary files, whose changes must not trigger a rebuild."""
    name = Path(path).name
    return name.startswith((".#", ".~")) or name.endswith(_IGNORED_SUFFIXES) or name == "4913"


class Preview:
    """A preview server: builds, watches and serves until stopped."""

    def __init__(self, options: Settings, host: str = "127.0.0.1", port: int = 8000,
                 log: Callable[[str], None] = lambda line: print(line, flush=True),
                 editor: DecapServer | None = None) -> None:
        from ..site.engine import Engine

        self.editor = editor  # the web editor's local backend (serve --edit), reached through this server

        # Kept between rebuilds; checks the theme's templates at each one, so an edited template shows.
        self.engine = Engine(live=True)
        self._server = _Server((host, port), _handler(self))
        self._private = Path(tempfile.mkdtemp(prefix="congkhai-xem-truoc-"))
        # The cache makes every rebuild after the first one quick (only what changed is built again).
        self.options = replace(options, out=self._private / "site", search=False,
                               cache_dir=options.cache_dir or default_cache_dir(options.config_file), progress=False)
        self.log = log
        self.state = State()
        self._lock = threading.Lock()
        self._news = threading.Condition(self._lock)  # a build ended or served pages ahead of its end
        # Pages of the build under way served before it ends: site-relative path -> the file in the cache.
        self._ahead: dict[str, str] = {}
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._last_change = 0.0
        self._observer = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """Return the address of the preview."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def out(self) -> Path:
        """Return the private folder the preview is built into."""
        return self.options.out

    def start(self) -> str:
        """Start serving, watching and building in background threads; return the address."""
        self._observer = _start_observer(self, watched_paths(self.options))
        for target in (self._server.serve_forever, self._builder):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._changed.set()
        return self.url

    def stop(self) -> None:
        """Stop every thread and remove the private folder."""
        self._stopping.set()
        self._changed.set()
        with self._news:
            self._news.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=60)
        shutil.rmtree(self._private, ignore_errors=True)

    def changed(self, path: str) -> None:
        """Note that `path` changed; a rebuild follows once changes stop for a moment."""
        if is_ignored(path):
            return
        self._last_change = time.monotonic()
        self._changed.set()

    def snapshot(self) -> State:
        """Return a copy of the state (safe to read from any thread)."""
        with self._lock:
            return self._copy()

    def _copy(self) -> State:
        return State(self.state.version, self.state.building, list(self.state.errors),
                     list(self.state.warnings), self.state.built_once)

    def wait_for_news(self, version: int, page: list[str], seconds: float) -> tuple[State, bool]:
        """Return the state, and whether a page (one of the site-relative paths `page`, empty for none)
        is served ahead of the build under way, once there is news for a page showing `version` from the
        site folder: another version, or that page served ahead. Answers at once when there is news
        already, else when it comes or after `seconds`."""
        def ahead() -> bool:
            return any(relative in self._ahead for relative in page)

        with self._news:
            self._news.wait_for(lambda: self.state.version != version or self._stopping.is_set() or ahead(),
                                timeout=seconds)
            return self._copy(), ahead()

    def serving(self, translated: str) -> str:
        """Return the file to serve for an address whose file in the site folder is `translated`: the
        one the build under way has made already, if it has (served ahead of it), else that one."""
        with self._lock:
            for relative in site_relatives(self.out, translated):
                if relative in self._ahead:
                    return self._ahead[relative]
        return translated

    def _show(self, outcome: pipeline.PartOutcome) -> None:
        """Serve the pages of `outcome`, a part the build under way has made, before the build ends."""
        base = outcome.entry.folder / "files"
        with self._news:
            self._ahead.update((rel, str(base / rel)) for rel in outcome.entry.files)
            self._news.notify_all()

    def _builder(self) -> None:
        while not self._stopping.is_set():
            self._changed.wait()
            if self._stopping.is_set():
                return
            while time.monotonic() - self._last_change < QUIET_SECONDS:
                time.sleep(QUIET_SECONDS / 3)
            self._changed.clear()
            self.build()

    def _reread(self) -> Settings:
        """Return the settings with mkdocs.yml read again (the preview is a new start at every save)."""
        fresh = load_settings(self.options.config_file, site_url=None)
        keep = {f.name: getattr(self.options, f.name) for f in fields(Settings)
                if f.name not in ("site_name", "site_url", "theme_dir", "portal", "config_digest", "portal_site_url",
                                  "portal_site_name")}
        return replace(fresh, **keep)

    def build(self) -> None:
        """Build once and publish the result to the browser and the terminal."""
        with self._lock:
            self.state.building = True
            # Pages served ahead only on a rebuild: the first build shows a waiting page until its end.
            shown = self._show if self.state.built_once else None
        started = time.monotonic()
        errors: list[str] = []
        warnings: list[str] = []
        try:
            with pipeline.few_collections():
                result = pipeline.build(self._reread(), engine=self.engine, shown=shown)
        except SettingsError as exc:  # mkdocs.yml was saved with a mistake: show it like a content error
            errors = [problem.render() for problem in exc.problems]
        except Exception as exc:  # a crash in the generator must not end the preview: show it
            self.log(traceback.format_exc().rstrip())
            errors = [f"Lỗi: công cụ gặp sự cố khi dựng trang ({type(exc).__name__}: {exc}). Hãy báo người quản trị."]
        else:
            for problem in result.problems.sorted():
                is_error = problem.severity is Severity.ERROR or self.options.strict
                (errors if is_error else warnings).append(problem.render())
            if result.failure:
                errors.append(f"Lỗi: {result.failure}")
        seconds = time.monotonic() - started
        stamp = time.strftime("%H:%M:%S")
        for line in errors + warnings:
            self.log(line)
        if errors:
            self.log(f"[{stamp}] Có {len(errors)} lỗi và {len(warnings)} cảnh báo; trang xem trước vẫn là bản dựng "
                     "gần nhất và hiện danh sách lỗi. Sửa tệp rồi lưu lại để dựng lại.")
        else:
            self.log(f"[{stamp}] Đã dựng lại trong {seconds:.1f} giây"
                     + (f"; {len(warnings)} cảnh báo." if warnings else ".") + f" Xem tại {self.url}")
        with self._news:
            self._ahead.clear()  # published now, or the build failed: the site folder is what holds
            self.state.version += 1
            self.state.building = False
            self.state.errors = errors
            self.state.warnings = warnings
            self.state.built_once = self.state.built_once or not errors
            self._news.notify_all()


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def _start_observer(preview: Preview, paths: list[Path]):
    """Return a started watchdog observer for `paths` (polling when the system's watcher fails)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    class Handler(FileSystemEventHandler):
        def __init__(self, only: Path | None) -> None:
            self.only = only

        def on_any_event(self, event) -> None:  # type: ignore[override]
            if event.event_type in ("opened", "closed_no_write"):
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw and (self.only is None or Path(raw).name == self.only.name):
                    preview.changed(str(raw))

    def schedule(observer) -> None:
        for path in paths:
            if path.is_dir():
                observer.schedule(Handler(None), str(path), recursive=True)
            elif path.parent.is_dir():
                observer.schedule(Handler(path), str(path.parent), recursive=False)

    observer = Observer()
    try:
        schedule(observer)
        observer.start()
    except OSError as exc:  # e.g. the inotify limit is reached
        preview.log(f"Không theo dõi được thay đổi bằng hệ điều hành ({exc}); chuyển sang kiểm tra định kỳ.")
        observer = PollingObserver(timeout=1)
        schedule(observer)
        observer.start()
    return observer


# The reload script is a file the preview serves (not inline code), so that pages keep the portal's
# Content-Security-Policy, which allows only the site's own script files.
SCRIPT_PATH = "/__congkhai/xem-truoc.js"
# It asks for the status with the version it was shown with and its own address; the preview answers
# once there is news (or after WAIT_SECONDS): this page served ahead of the build under way (it reloads
# at once), or another version (it reloads once that build has finished).
_SCRIPT = """(function(){var me=document.currentScript,v=+me.getAttribute('data-version'),
a=me.getAttribute('data-ahead')==='1',url=me.getAttribute('data-status'),
q=url+'?v='+v+(a?'':'&p='+encodeURIComponent(location.pathname));
function poll(){fetch(q,{cache:'no-store'}).then(function(r){return r.json()})
.then(function(s){if((s.version!==v&&!s.building)||(s.ahead&&!a)){location.reload();return}setTimeout(poll,100)})
.catch(function(){setTimeout(poll,2000)})}poll()})();
"""
WAIT_SECONDS = 20.0


_BOX_STYLE = ("position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:100000;margin:0;"
              "padding:1rem 1.5rem;background:#fff4f4;color:#3b0a0a;border-top:4px solid #c62828;"
              "font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.2)")


def problems_box(state: State) -> str:
    """Return the box listing the last build's errors (empty when it succeeded)."""
    if not state.errors:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in state.errors)
    shown = ("Trang đang hiện là bản dựng thành công gần nhất." if state.built_once
             else "Chưa dựng được trang nào.")
    return (f'<div id="congkhai-loi" role="alert" style="{_BOX_STYLE}"><strong>Nội dung có {len(state.errors)} lỗi, '
            f"chưa dựng lại được trang.</strong> {shown} Sửa các tệp dưới đây rồi lưu lại; trang tự cập nhật."
            f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{items}</ul></div>')


def inject(page: str, state: State, ahead: bool = False) -> str:
    """Return an HTML page with the problems box and the reload script added before </body> (`ahead`:
    the page comes from the build under way, served before it ends)."""
    extra = problems_box(state) + (f'<script src="{SCRIPT_PATH}" data-version="{state.version}" '
                                   f'data-ahead="{int(ahead)}" data-status="{STATUS_PATH}"></script>')
    index = page.lower().rfind("</body>")
    return page[:index] + extra + page[index:] if index >= 0 else page + extra


def _placeholder(state: State) -> str:
    message = "Đang dựng trang xem trước…" if not state.errors else "Chưa dựng được trang xem trước."
    return ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Xem trước cổng công khai</title>"
            f"</head><body><h1>{message}</h1></body></html>")


def foreign_request(headers: Mapping[str, str], own: str) -> str | None:
    """Return why a request that writes files is refused, or None: it must come from the editor's own
    page (a web page elsewhere in the same browser must not save into content/, nor a site reached
    through another host name pointed at this machine) and be JSON (which such a page cannot send
    without asking first)."""
    host, port = urllib.parse.urlsplit(own).hostname, urllib.parse.urlsplit(own).port
    allowed = {f"{name}:{port}" for name in (host, "localhost", "127.0.0.1")}
    if headers.get("Host") not in allowed:
        return "Từ chối: địa chỉ máy không phải máy này."
    origin = headers.get("Origin")
    if origin is not None and origin.removeprefix("http://") not in allowed:
        return "Từ chối: yêu cầu không đến từ trang soạn thảo của máy này."
    if (headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
        return "Từ chối: yêu cầu phải là JSON."
    return None


def site_relatives(out: Path, translated: str) -> list[str]:
    """Return the site-relative files an address may name (`translated`: its path in the folder `out`):
    itself, or the page of its folder."""
    try:
        relative = Path(translated).relative_to(out).as_posix()
    except ValueError:
        return []
    return ["index.html"] if relative == "." else [relative, relative + "/index.html"]


def status_answer(preview: Preview, query: str, translate: Callable[[str], str]) -> bytes:
    """Return the status as JSON. Asked with the version a page shows (`v`) and its address (`p`), it
    is answered once there is news for that page (see Preview.wait_for_news); else at once."""
    asked = urllib.parse.parse_qs(query)
    ahead = False
    if asked.get("v", [""])[0].isdigit():
        page = asked.get("p", [""])[0]
        relatives = site_relatives(preview.out, translate(page)) if page.startswith("/") else []
        state, ahead = preview.wait_for_news(int(asked["v"][0]), relatives, WAIT_SECONDS)
    else:
        state = preview.snapshot()
    return json.dumps({"version": state.version, "building": state.building, "ahead": ahead,
                       "errors": state.errors, "warnings": state.warnings}, ensure_ascii=False).encode("utf-8")


def _handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(preview.out), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def translate_path(self, path: str) -> str:
            return preview.serving(super().translate_path(path))

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            route, _, query = self.path.partition("?")
            if route == STATUS_PATH:
                folder = super().translate_path  # the site folder's file for an address
                return self._send(200, "application/json; charset=utf-8", status_answer(preview, query, folder))
            state = preview.snapshot()
            if route == SCRIPT_PATH:
                return self._send(200, "application/javascript; charset=utf-8", _SCRIPT.encode("utf-8"))
            if route == SESSION_PATH and preview.editor is not None:
                return self._json(session_info(preview.options))
            path = Path(self.translate_path(route))
            if path.is_dir():
                path = path / "index.html"
            if route.startswith("/" + ADMIN) and path.is_file():
                return super().do_GET()  # the editor reports each save itself; a reload would lose the form
            if path.suffix == ".html" or not preview.out.exists():
                if path.is_file():
                    page = path.read_text(encoding="utf-8")
                    ahead = not path.is_relative_to(preview.out)  # made by the build under way
                    return self._send(200, "text/html; charset=utf-8", inject(page, state, ahead).encode("utf-8"))
                if not state.built_once:
                    return self._send(200, "text/html; charset=utf-8",
                                      inject(_placeholder(state), state).encode("utf-8"))
                missing = preview.out / "404.html"
                page = missing.read_text(encoding="utf-8") if missing.is_file() else _placeholder(state)
                return self._send(404, "text/html; charset=utf-8", inject(page, state).encode("utf-8"))
            return super().do_GET()

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            route = self.path.split("?", 1)[0]
            if preview.editor is None or route not in (API_PATH, VALIDATE_PATH):
                return self._send(404, "text/plain; charset=utf-8", "Không có địa chỉ này.".encode("utf-8"))
            refused = foreign_request(self.headers, preview.url)
            if refused:
                return self._send(403, "text/plain; charset=utf-8", refused.encode("utf-8"))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if route == API_PATH:
                try:
                    status, answer = preview.editor.forward(body)
                except OSError as exc:
                    status, answer = 502, json.dumps({"error": f"decap-server không trả lời ({exc})"}).encode()
                return self._send(status, "application/json; charset=utf-8", answer)
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = {}
            return self._json(check_entry(preview.options, request if isinstance(request, dict) else {}))

        def _json(self, data: object) -> None:
            self._send(200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode("utf-8"))

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_until_interrupted(options: Settings, host: str, port: int, edit: bool = False) -> int:
    """Run the preview (with the web editor when `edit`) until Ctrl+C; return the exit status."""
    if edit and host not in LOOPBACK:
        print(f"Lỗi cách dùng: trang soạn thảo trên máy không có đăng nhập, nên chỉ mở trên chính máy này "
              f"(--host 127.0.0.1), không trên {host}. Để nhiều người cùng soạn, dùng một kho Git (xem hướng dẫn "
              "soạn thảo, mục Soạn thảo trên web).", file=sys.stderr)
        return 2
    if edit:  # Decap CMS installed first (npm ci when missing), as a build would
        decap, note = decap_files(lambda line: print(line, flush=True))
        if decap is None:
            print((note or "").replace("Cảnh báo: cổng được dựng không có", "Lỗi: không mở được"), file=sys.stderr)
            return 2
    editor = DecapServer(repository(options)[0]) if edit else None
    try:
        if editor is not None:
            editor.start()
        preview = Preview(options, host, port, editor=editor)
    except EditorError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if editor is not None:
            editor.stop()
        print(f"Lỗi: không mở được cổng {port} trên {host} ({exc.strerror}). Sửa: chọn cổng khác, ví dụ --port {port + 1}.",
              file=sys.stderr)
        return 2
    url = preview.start()
    # Stopping by SIGTERM (a service manager, `kill`) also removes the private folder.
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"Xem trước tại {url} — trang tự cập nhật khi bạn lưu tệp trong {options.content}/, {options.units}/, "
          "site_src/ hay mkdocs.yml. Bấm Ctrl+C để dừng.", flush=True)
    if editor is not None:
        print(f"Soạn thảo trên web tại {url}{ADMIN} — văn bản được lưu thẳng vào {options.content}/ (xem lại bằng "
              "'git diff' rồi commit như thường lệ).", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Đã dừng xem trước.")
    finally:
        preview.stop()
        if editor is not None:
            editor.stop()
    return 0
