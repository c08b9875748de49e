"""Shared fixtures: tiny throwaway portals written into a temporary folder."""

from __future__ import annotations

import hashlib
import sys
import textwrap
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from congkhai import cli
from congkhai import config
from congkhai.build import pipeline  # noqa: E402

CONFIG = REPO / "mkdocs.yml"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture
def seeds_present() -> Path:
    """Return ../shared/seeds (the real documents the project reads but does not ship). CI places it
    beside the checkout, so there its absence fails the test; elsewhere the test is skipped."""
    if not SEEDS.is_dir():
        import os

        message = "../shared/seeds không có ở máy này: đặt thư mục shared bên cạnh thư mục dự án."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SEEDS


needs_seeds = pytest.mark.usefixtures("seeds_present")

STANDARD_UNITS = {
    "so-gd": """
        code: so-gd
        name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm
        kind: so
        """,
    "phong-gd": """
        code: phong-gd
        name: Phòng Giáo dục và Đào tạo huyện Ven Sông
        kind: phong
        sector_parent: so-gd
        active_until: 2025-06-30
        successor: ubnd-xa
        """,
    "ubnd-xa": """
        code: ubnd-xa
        name: Ủy ban nhân dân xã Bến Đò
        kind: xa
        sector_parent: so-gd
        active_from: 2025-07-01
        address: Số 1 đường Bến Đò
        phone: 0210 3800 001
        email: ubnd@benddo.example.vn
        """,
    "thcs-a": """
        code: thcs-a
        name: Trường Trung học cơ sở Sao Mai
        kind: thcs
        parent:
          - unit: phong-gd
            until: 2025-06-30
          - unit: ubnd-xa
            from: 2025-07-01
        """,
}


@dataclass
class Site:
    """A throwaway portal: units/, content/ and an output folder under `root`."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def units(self) -> Path:
        return self.root / "units"

    @property
    def out(self) -> Path:
        return self.root / "site"

    def unit(self, code: str, text: str, filename: str | None = None) -> Path:
        """Write units/<code>.yml (or `filename`)."""
        path = self.units / (filename or f"{code}.yml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def standard_units(self) -> None:
        """Write a Sở, a dissolved district office and a commune (both guided by the Sở on education, not
        under it administratively) and a school that moved from the office to the commune."""
        for code, text in STANDARD_UNITS.items():
            self.unit(code, text)

    def doc(self, unit: str, kind: str, slug: str, front: str, body: str = "Nội dung văn bản.\n") -> Path:
        """Write content/<unit>/<kind>/<slug>.md with `front` as its front matter."""
        path = self.content / unit / kind / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + body, encoding="utf-8")
        return path

    def raw(self, relative: str, data: bytes | str) -> Path:
        """Write any file under the root."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        return path

    def validate(self, on: str = "2026-11-22") -> pipeline.Result:
        """Load and check the portal in-process (paths in messages are relative to the root), with the
        portal settings' defaults (the project's mkdocs.yml without its `extra` section)."""
        settings = config.load(self.config(drop=("extra",)), today=date.fromisoformat(on))
        with chdir(self.root):
            return pipeline.validate(settings)

    def messages(self, on: str = "2026-11-22") -> list[str]:
        """Return every problem message, sorted as printed."""
        return [p.render() for p in self.validate(on).problems.sorted()]

    def config(self, drop: tuple[str, ...] = (), add: str = "") -> Path:
        """Write a copy of the project's mkdocs.yml without the top-level keys in `drop`; return its path."""
        lines = CONFIG.read_text(encoding="utf-8").replace(
            "custom_dir: site_src/overrides", f"custom_dir: {REPO / 'site_src' / 'overrides'}"
        ).splitlines()
        kept, skipping = [], False
        for line in lines:
            if line and not line[0].isspace():
                skipping = any(line.startswith(key + ":") for key in drop)
            if not skipping:
                kept.append(line)
        path = self.root / "mkdocs.yml"
        path.write_text("\n".join(kept) + "\n" + add, encoding="utf-8")
        return path

    def run(self, *args: str, on: str = "2026-11-22", config: Path = CONFIG) -> int:
        """Run the command line in the site's folder (paths in messages are relative to it)."""
        command, *rest = args or ("build",)
        if config == CONFIG:  # a copy beside the site, so that its default cache is the site's own
            config = self.config()
        argv = [command, "--content", "content", "--units", "units", "--config", str(config), "--on", on]
        if command == "build":
            argv += ["--out", "site"]
        with chdir(self.root):
            return cli.main(argv + list(rest))


def parse_status(printed: str, units, rules) -> list[tuple[str, str, str, str, str, str]]:
    """Return the rows `status` printed as (unit code, obligation id, period label, deadline, status
    symbol, posting title), mapping the Vietnamese names it prints back to codes: each unit block
    starts with the unit's full name, each row gives the obligation's short name."""
    import re

    by_name = sorted(((u.name, code) for code, u in units.items()), key=lambda x: -len(x[0]))
    by_short = {r.short: r.id for r in rules}
    assert len(by_short) == len(list(rules)), "short names of obligations must be unique"
    rows, unit = [], None
    for line in printed.splitlines():
        if not line.strip():
            continue
        if not line.startswith("  "):
            unit = next((code for name, code in by_name if line == name or line.startswith(name + " (")), None)
            continue
        cells = re.split(r"\s{2,}", line.strip())
        if unit is None or cells[0] == "Nghĩa vụ":
            continue
        assert not re.search(r"\b[a-z]+-[a-z0-9-]+\b", line.replace(cells[-1], "")), f"internal id printed: {line}"
        rows.append((unit, by_short[cells[0]], cells[1], cells[2], cells[3][0], cells[4] if len(cells) > 4 else ""))
    return rows


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty throwaway portal."""
    return Site(tmp_path)


def tree_digest(root: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under `root`."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SAMPLE_ON = "2026-11-22"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; missing Chromium fails the test under CI=true."""
    import os

    if not Path(CHROMIUM).exists():
        message = f"Chromium không có ở {CHROMIUM}: cài bằng 'apt-get install chromium'."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def serve(root: Path, prefix: str = "/", port: int = 0):
    """Serve `root` over HTTP on loopback (a free port unless `port`) under `prefix`; yield the base URL."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(root / "__outside_prefix__")
            return super().translate_path("/" + path[len(prefix):])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require(program: str) -> str:
    """Return the path of a system program; fail under CI=true when it is missing, else skip."""
    import os
    import shutil

    found = shutil.which(program) or next((p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}")
                                           if Path(p).exists()), None)
    if found is None:
        message = f"{program} không có trên máy: cài bằng 'apt-get install {program}'."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample portal that ships in content/ and units/, built once for the session."""
    out = tmp_path_factory.mktemp("sample") / "site"
    with chdir(REPO):
        code = cli.main(["build", "--out", str(out), "--on", SAMPLE_ON])
    assert code == 0
    return out
