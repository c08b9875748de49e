#!/usr/bin/env python3
"""Search budget, measured in the browser: what the first query downloads and how fast a warm query
answers, on a province-scale portal (issue 6).

    python scripts/search_budget.py [--docs 30000] [--work DIR] [--site DIR] [--jobs N]

Without --site it writes the synthetic portal (`build.py demo-corpus`, 30 documents per unit) and
builds it with its search index; with --site it measures a portal already built from such a corpus
(for example the one `scripts/benchmark.py` leaves in its work folder).

The site is served on loopback by the real nginx with deploy/nginx.conf (Debian's package; its access
log gives the bytes sent for every request, headers and body, compressed as the configuration says).
Without nginx, a small Python server stands in: it compresses text the same way (gzip level 5 for
HTML, CSS, JavaScript and JSON; Pagefind's chunks and WebAssembly are gzip data already and go as
they are) but answers more slowly. Debian's Chromium, driven by Playwright, opens a fresh profile
for each query, so nothing is cached:

- unit-scoped: on a unit's home page (the largest school, commune and district-office bundles), the
  query is typed into the header box; counted is everything fetched from typing until the panel
  shows its results (Pagefind's library, index and filter chunks, and the excerpts of six results);
- portal-wide: the search page `/tim-kiem/?q=…` of the whole portal; counted is every Pagefind file
  fetched until ten results show;
- warm: in one page whose search has answered once, each further query (new words, so index chunks
  are still fetched) timed in the page from the call to the results' data, as the box does it, and
  from typing to the panel drawn (which includes the box's 200 ms pause while typing).

Targets: under 150 KB unit-scoped, under 1 MB portal-wide, a warm query under 300 ms.
Exit status 1 when a target is missed, so the script can guard a release.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ON = "2026-11-22"
CHROMIUM = "/usr/bin/chromium"
QUERIES = ("công khai", "kế hoạch", "ke hoach", "dao tao", "thu tuc hanh chinh", "năm học", "tài chính",
           "học sinh", "Dao Tao", "giáo viên")
UNIT_BUDGET = 150 * 1024
PORTAL_BUDGET = 1024 * 1024
WARM_BUDGET_MS = 300.0
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg"}


class Counter:
    """Bytes sent by the server, per request, in order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def mark(self) -> int:
        with self.lock:
            return len(self.sent)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.sent[mark:])


class _Counting:
    def __init__(self, raw) -> None:
        self.raw, self.count = raw, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def serve(root: Path, counter: Counter) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                          ".json": "application/json", ".pagefind": "application/wasm"}

        def log_message(self, format: str, *args: object) -> None:
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().send_head()
                path = path / "index.html"
            if (path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "")
                    or not path.is_file()):
                return super().send_head()
            data = gzip.compress(path.read_bytes(), compresslevel=5, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)

        def handle_one_request(self) -> None:
            self.wfile = _Counting(self.wfile)
            try:
                super().handle_one_request()
            finally:
                wrapped = self.wfile
                self.wfile = wrapped.raw
                if wrapped.count and getattr(self, "path", None):
                    with counter.lock:
                        counter.sent.append((self.path, wrapped.count))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class NginxCounter:
    """Bytes sent by nginx, per request, in order: read from its access log."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def _lines(self) -> list[tuple[str, int]]:
        try:
            text = self.log.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [(path, int(size)) for path, size in (line.rsplit(" ", 1) for line in text.splitlines() if line)]

    def mark(self) -> int:
        return len(self._lines())

    def since(self, mark: int) -> list[tuple[str, int]]:
        return self._lines()[mark:]


NGINX_CONFIG = REPO / "deploy" / "nginx.conf"


def nginx_conf(root: Path, port: int, work: Path, log: Path | None = None) -> Path:
    """Write in `work` an nginx.conf serving `root` on loopback `port` with deploy/nginx.conf (also
    used by tests/test_deploy.py), logging each request's address and bytes sent to `log` if given;
    return its path."""
    work.mkdir(parents=True, exist_ok=True)
    server = NGINX_CONFIG.read_text(encoding="utf-8")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/congkhai/site;", f"root {root.resolve()};")
    (work / "server.conf").write_text(server, encoding="utf-8")
    # Workers run as an unprivileged user, as on a real server: the site must be readable by others
    # (folders 0755, files 0644), and `root` must lie in folders others may enter.
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    logging = f"  log_format budget '$request_uri $bytes_sent';\n  access_log {log} budget;\n" if log else "  access_log off;\n"
    temp = "".join(f"  {name}_temp_path {work}/{name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = work / "nginx.conf"
    conf.write_text(f"{user}worker_processes 2;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\n"
                    f"http {{\n{logging}{temp}  include {work}/server.conf;\n}}\n", encoding="utf-8")
    return conf


def serve_nginx(root: Path, work: Path) -> tuple[subprocess.Popen, str, NginxCounter]:
    """Start the real nginx on loopback with deploy/nginx.conf serving `root`; logs every request's
    address and bytes sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = work / "access.log"
    log.unlink(missing_ok=True)
    conf = nginx_conf(root, port, work, log)
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(base, timeout=1).read()
            break
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"nginx không chạy được: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
    return process, base, NginxCounter(log)


def kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB"


def category(path: str) -> str:
    name = path.split("?")[0]
    if "/fragment/" in name:
        return "đoạn trích"
    if "/index/" in name:
        return "chỉ mục"
    if "/filter/" in name:
        return "bộ lọc"
    return "thư viện"


def breakdown(sent: list[tuple[str, int]]) -> str:
    parts: dict[str, int] = defaultdict(int)
    for path, size in sent:
        parts[category(path)] += size
    return ", ".join(f"{name} {kb(size)}" for name, size in sorted(parts.items(), key=lambda x: -x[1]))


def build(docs: int, work: Path, jobs: str | None) -> Path:
    units = max(4, docs // 30)
    corpus, site, cache = work / f"corpus-{docs}", work / f"site-{docs}", work / f"cache-{docs}"
    if not (corpus / "units").is_dir():
        print(f"tạo dữ liệu tổng hợp: {units} đơn vị × 30 văn bản …", flush=True)
        subprocess.run([PYTHON, str(REPO / "build.py"), "demo-corpus", "--units", str(units), "--docs-per-unit",
                        "30", "--out", str(corpus)], check=True, cwd=REPO)
    print("dựng cổng có chỉ mục tìm kiếm …", flush=True)
    started = time.monotonic()
    command = [PYTHON, str(REPO / "build.py"), "build", "--content", str(corpus / "content"), "--units",
               str(corpus / "units"), "--out", str(site), "--on", ON, "--cache-dir", str(cache)]
    done = subprocess.run(command + (["--jobs", jobs] if jobs else []), cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"dựng thất bại (mã {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    print(f"  xong trong {time.monotonic() - started:.0f} s", flush=True)
    return site


def bundle_sizes(site: Path) -> dict[str, int]:
    """Return each unit bundle's number of pages (from Pagefind's entry file)."""
    sizes = {}
    for entry in sorted(site.glob("*/pagefind/pagefind-entry.json")):
        data = json.loads(entry.read_text(encoding="utf-8"))
        sizes[entry.parent.parent.name] = sum(lang["page_count"] for lang in data["languages"].values())
    return sizes


def pick_units(site: Path) -> list[tuple[str, int]]:
    """Return the unit pages to measure: the largest bundle of each kind of unit (by code prefix)."""
    best: dict[str, tuple[str, int]] = {}
    for code, pages in bundle_sizes(site).items():
        group = re.sub(r"-\d+$", "", code)
        if group.startswith(("mn", "th", "gdtx")):
            group = "trường"
        if group not in best or pages > best[group][1]:
            best[group] = (code, pages)
    return sorted(best.values(), key=lambda item: item[1])


WAIT_PANEL = """() => !!document.querySelector('.ck-search__panel a[href*="tim-kiem"]')
  || !!document.querySelector('.ck-search__panel p:not(.ck-muted):not(.ck-search__scope)')"""

TIME_QUERY = """async ([query, scope, bundle]) => {
  const root = document.querySelector('[data-ck-search]').dataset.ckRoot;
  const ui = await import(new URL('assets/javascripts/congkhai-search.js', new URL(root, location.href)).href);
  const pagefind = await ui.bundle(root, bundle);  // as the box loads it: the parts of the portal merged
  const filters = {not: {'trang-thai': 'thu-hoi'}};
  if (scope) filters.thuoc = scope;
  const started = performance.now();
  const results = await ui.search(pagefind, query, filters, false);
  const shown = await results.take(6);
  return [performance.now() - started, results.total, shown.length];
}"""

TYPE_QUERY = """async (query) => {
  const input = document.querySelector('#ck-search-input');
  const panel = document.querySelector('.ck-search__panel');
  const started = performance.now();
  const done = new Promise((resolve) => {
    const check = () => panel.querySelector('a[href*="tim-kiem"]') && !panel.textContent.includes('Đang tìm');
    const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); resolve(); } });
    observer.observe(panel, {childList: true, subtree: true});
  });
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await done;
  return performance.now() - started;
}"""


def settle(counter: Counter, quiet: float = 0.5, limit: float = 10.0) -> None:
    """Wait until the server has sent nothing for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last, since = counter.mark(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = counter.mark()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=30000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/congkhai-search-budget"))
    parser.add_argument("--site", type=Path, help="a portal already built from `build.py demo-corpus`")
    parser.add_argument("--jobs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = args.site or build(args.docs, args.work, args.jobs)
    entries = [site / "pagefind/pagefind-entry.json", *sorted(site.glob("pagefind/phan-*/pagefind-entry.json"))]
    pages = sum(lang["page_count"] for entry in entries
                for lang in json.loads(entry.read_text(encoding="utf-8"))["languages"].values())
    units = pick_units(site)
    print(f"\nCổng: {pages:,} văn bản trong chỉ mục toàn cổng ({len(entries)} phần), "
          f"{len(bundle_sizes(site))} gói chỉ mục của đơn vị")
    nginx = None
    if shutil.which("nginx"):
        nginx, base, counter = serve_nginx(site, args.work / "nginx")
        print("Máy chủ: nginx với deploy/nginx.conf")
    else:
        counter = Counter()
        server, base = serve(site, counter)
        print("Máy chủ: máy chủ Python thay cho nginx (không có nginx; trả lời chậm hơn)")
    failures: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                failures += unit_scoped(browser, base, units, counter)
                failures += portal_wide(browser, base, counter)
                failures += warm(browser, base, units, counter)
            finally:
                browser.close()
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        else:
            server.shutdown()
            server.server_close()
    print()
    if failures:
        print("CHƯA ĐẠT:\n  " + "\n  ".join(failures))
        return 1
    print("Đạt mọi mục tiêu: dưới 150 KB theo đơn vị, dưới 1 MB toàn cổng, truy vấn ấm dưới 300 ms.")
    return 0


def unit_scoped(browser, base: str, units: list[tuple[str, int]], counter: Counter) -> list[str]:
    failures = []
    print("\n== Lần tìm đầu tiên, trong ô tìm kiếm của trang đơn vị (mặc định: đơn vị và đơn vị trực thuộc) ==")
    for code, size in units:
        totals = []
        print(f"  {code} (gói {size:,} văn bản):")
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}{code}/", wait_until="load")
            settle(counter)
            mark = counter.mark()
            page.fill("#ck-search-input", query)
            page.wait_for_function(WAIT_PANEL, timeout=60000)
            settle(counter)
            sent = counter.since(mark)
            total = sum(s for _, s in sent)
            results = page.locator(".ck-search__panel .ck-result").count()
            wrong_bundle = [p for p, _ in sent if "/pagefind/" in p and not p.startswith(f"/{code}/pagefind/")]
            totals.append(total)
            print(f"    {query!r:<22} {kb(total):>8}  {results} kết quả hiện  ({breakdown(sent)})")
            if errors or wrong_bundle:
                failures.append(f"{code} {query!r}: lỗi {errors} / tải gói khác {wrong_bundle[:3]}")
            context.close()
        failures += verdict(totals, UNIT_BUDGET, f"{code}: tìm theo đơn vị", "    ")
    return failures


def verdict(totals: list[int], budget: int, label: str, indent: str) -> list[str]:
    """Print the largest and median transfer and return a failure line when over the budget."""
    print(f"{indent}lớn nhất {kb(max(totals))}, trung vị {kb(statistics.median(totals))}")
    if max(totals) < budget:
        return []
    return [f"{label} tải {kb(max(totals))} (mục tiêu < {kb(budget)})"]


def portal_wide(browser, base: str, counter: Counter) -> list[str]:
    from urllib.parse import quote

    failures = []
    print("\n== Lần tìm đầu tiên trên toàn cổng (trang tìm kiếm, 10 kết quả đầu) ==")
    totals = []
    for query in QUERIES:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        mark = counter.mark()
        page.goto(f"{base}tim-kiem/?q={quote(query)}")
        page.wait_for_selector(".ck-results[data-ck-state=done]", timeout=60000)
        settle(counter)
        sent = [(p, s) for p, s in counter.since(mark) if p.startswith("/pagefind/")]
        total = sum(s for _, s in sent)
        totals.append(total)
        results = page.locator(".ck-results .ck-result").count()
        print(f"  {query!r:<22} {kb(total):>8}  {results} kết quả hiện  ({breakdown(sent)})")
        if errors:
            failures.append(f"toàn cổng {query!r}: lỗi {errors}")
        context.close()
    failures += verdict(totals, PORTAL_BUDGET, "toàn cổng:", "  ")
    return failures


def warm(browser, base: str, units: list[tuple[str, int]], counter: Counter) -> list[str]:
    failures = []
    print("\n== Truy vấn ấm (thư viện đã tải; mỗi truy vấn từ mới nên vẫn tải chỉ mục của nó) ==")
    cases = [("toàn cổng", "", "", "pagefind/")] + [(code, code, code, f"{code}/pagefind/") for code, _ in units]
    for label, page_unit, scope, bundle in cases:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}{page_unit + '/' if page_unit else ''}", wait_until="load")
        page.evaluate(TIME_QUERY, ["trường", scope, bundle])  # loads the library: the query that makes it warm
        searched, typed = [], []
        for query in QUERIES:
            spent, _, _ = page.evaluate(TIME_QUERY, [query, scope, bundle])
            searched.append(spent)
        if page_unit:
            for query in QUERIES:
                page.fill("#ck-search-input", "")
                typed.append(page.evaluate(TYPE_QUERY, query + " "))  # a new value each time
        repeat = page.evaluate(TIME_QUERY, [QUERIES[0], scope, bundle])[0]
        line = (f"  {label:<22} tìm: trung vị {statistics.median(searched):6.0f} ms, lớn nhất {max(searched):6.0f} ms;"
                f" lặp lại một truy vấn {repeat:5.0f} ms")
        if typed:
            line += f"; gõ → hiện: trung vị {statistics.median(typed):4.0f} ms (gồm 200 ms chờ gõ xong)"
        print(line)
        if max(searched) >= WARM_BUDGET_MS:
            failures.append(f"{label}: truy vấn ấm {max(searched):.0f} ms (mục tiêu < 300 ms)")
        context.close()
    return failures


if __name__ == "__main__":
    sys.exit(main())
