"""Indexing the search plan (site/search.py) with Pagefind: one Pagefind process per bundle (the
portal's, in parts when large, and each unit's), run in parallel, each bundle kept in the build
cache under the hash of its records so that an unchanged bundle is never indexed again; the bundles'
chunks are rewritten canonically so the same records always give the same bytes.

May import: model, site (the search plan), and the rest of build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from ..site import search as search_plan
from ..site.search import SearchPlan, bundle_path, portal_shards, shard_path
from .cache import Cache, Entry
from .fingerprint import digest

KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment", "filter")


class SearchError(Exception):
    """Pagefind failed; the message says why."""



def pagefind_executable() -> str:
    """Return the Pagefind binary installed from PyPI; raises SearchError when it is missing."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        try:
            from pagefind_bin import get_executable  # type: ignore[no-redef]
        except ImportError:
            raise SearchError("không tìm thấy Pagefind; hãy cài: pip install -r requirements.txt") from None
    return str(get_executable())


def search_entries(plan: SearchPlan, cache: Cache, jobs: int | None = None) -> tuple[list[Entry], int]:
    """Return the cache entries of the portal bundle and every unit bundle, indexing with Pagefind
    only those whose records changed, and how many that was. Raises SearchError."""
    executable = pagefind_executable()
    pages: dict[tuple[bool, bool], list[str]] = {}  # (full text, sort keys) → each record's page
    portal_parts = portal_shards(plan)

    def form_of(scope: str) -> tuple[bool, bool]:
        form = (plan.full_text(scope), not (scope == "" and len(portal_parts) > 1))
        if form not in pages:
            pages[form] = [rec.html(*form) for rec in plan.records]
        return form

    version = digest("pagefind", executable_version(executable), FORMAT_VERSION, search_plan.SHARD_SIZE)
    scopes = [("", tuple(range(len(plan.records))))] + sorted(plan.bundles.items())
    entries: dict[str, Entry] = {}
    todo = []
    for scope, members in scopes:
        form = form_of(scope)
        key = digest(version, [(plan.records[i].url, pages[form][i]) for i in members])
        held = cache.lookup(_entry_name(scope), key)
        if held is not None:
            entries[scope] = held
        else:
            shards = portal_parts if scope == "" else [members]
            todo.append((scope, shards, key, form))
    scratch = cache.scratch()
    try:
        paths: dict[tuple[tuple[bool, bool], int], Path] = {}
        for form, position in sorted({(form, i) for _, shards, _, form in todo for part in shards for i in part}):
            folder = ("records" if form[0] else "lean") + ("" if form[1] else "-unsorted")
            path = scratch / folder / plan.records[position].url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(pages[form][position], encoding="utf-8")
            paths[form, position] = path
        runs = []  # (tree to index, where Pagefind writes)
        for scope, shards, key, form in todo:
            for number, part in enumerate(shards):
                tree = scratch / "bundles" / (scope or "_portal") / str(number)
                for position in part:
                    _link(paths[form, position], tree / plan.records[position].url / "index.html")
                runs.append((tree, scratch / "parts" / (scope or "_portal") / str(number)))
        running = _Processes()
        pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
        try:
            futures = [pool.submit(_index, executable, tree, output, running) for tree, output in runs]
            for future in futures:
                future.result()
        except BaseException:
            running.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for scope, shards, key, _ in todo:
            built = scratch / "out" / (scope or "_portal")
            target = built / bundle_path(scope)
            target.parent.mkdir(parents=True, exist_ok=True)
            parts = scratch / "parts" / (scope or "_portal")
            os.rename(parts / "0", target)
            for number in range(1, len(shards)):
                os.rename(parts / str(number), target / shard_path(number))
            if scope == "":
                _write_portal_guide(target, len(shards))
            entries[scope] = cache.store(_entry_name(scope), key, built, {})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [entries[scope] for scope, _ in scopes], len(todo)


PORTAL_GUIDE = "congkhai.json"
DATES_FILE = "congkhai-ngay.json"


def _write_portal_guide(bundle: Path, shards: int) -> None:
    """Tell the browser the parts of the portal bundle (merged into the first with Pagefind's
    mergeIndex) and, when there are several, each result's date for an exact newest-first order
    (Pagefind's sort ranks within one part only)."""
    guide: dict[str, object] = {"phan": [shard_path(n) for n in range(1, shards)], "ngay": None}
    if shards > 1:
        dates: dict[str, int] = {}
        for number in range(shards):
            part = bundle / shard_path(number) if number else bundle
            for fragment in sorted((part / "fragment").iterdir()):
                data = json.loads(gzip.decompress(fragment.read_bytes())[len(_SIGNATURE):])
                dates[fragment.name.removesuffix(".pf_fragment")] = int(data["meta"].get("iso", "0").replace("-", ""))
        (bundle / DATES_FILE).write_text(json.dumps(dict(sorted(dates.items())), separators=(",", ":")),
                                         encoding="utf-8")
        guide["ngay"] = DATES_FILE
    (bundle / PORTAL_GUIDE).write_text(json.dumps(guide, separators=(",", ":")), encoding="utf-8")


FORMAT_VERSION = 3


def _entry_name(scope: str) -> str:
    return f"_search-{scope or 'portal'}"


def executable_version(executable: str) -> str:
    """Return what `pagefind --version` prints (part of every bundle's cache key)."""
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or done.stderr.strip()


class _Processes:
    """The Pagefind processes running for one build, so that stopping the build stops them too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self._stopped = False

    def run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        """Run `command` to its end (or until stop()); raises SearchError when stopped before it starts."""
        with self._lock:
            if self._stopped:
                raise SearchError("đã dừng")
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self._running.add(process)
        try:
            out, err = process.communicate()
        finally:
            with self._lock:
                self._running.discard(process)
        return subprocess.CompletedProcess(command, process.returncode, out, err)

    def stop(self) -> None:
        """Kill every running process; start no more."""
        with self._lock:
            self._stopped = True
            for process in self._running:
                process.kill()


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _index(executable: str, site: Path, output: Path, running: _Processes) -> None:
    command = [executable, "--site", str(site), "--output-path", str(output), "--force-language", "vi", "--silent"]
    done = running.run(command)
    if done.returncode != 0:
        raise SearchError(f"Pagefind không tạo được chỉ mục tìm kiếm: {done.stderr.strip() or done.stdout.strip()}")
    for item in output.iterdir():
        if item.name not in KEEP and not (item.name.startswith("wasm.") or item.name.endswith(".pf_meta")):
            if item.is_dir():
                shutil.rmtree(item)
            else:
                item.unlink()
    canonicalize(output)


_SIGNATURE = b"pagefind_dcd"


def _read_chunk(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise SearchError(f"tệp chỉ mục Pagefind không đúng dạng: {path.name}")
    return cbor2.loads(raw[len(_SIGNATURE):])


def _chunk_bytes(data: object) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(data, canonical=True), mtime=0)


def canonicalize(bundle: Path) -> None:
    """Make a Pagefind bundle byte-identical from run to run.

    Pagefind writes its filter chunks (and so the metadata that names them) in hash-map order, which
    changes between runs (Pagefind issue #638). Each filter chunk's values are sorted and the chunk
    renamed after its content; the metadata is rewritten to match. Built for Pagefind 1.5: the
    layout is checked and any other raises SearchError.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise SearchError("cấu trúc chỉ mục Pagefind khác với phiên bản 1.5 mà cổng hỗ trợ")
        renamed = {}
        for name, old in meta[3]:
            path = bundle / "filter" / f"{old}.pf_filter"
            key, values = _read_chunk(path)
            data = _chunk_bytes([key, sorted(values, key=lambda item: item[0])])
            new = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            renamed[name] = new
        meta[3] = sorted([name, renamed[name]] for name in renamed)
        data = _chunk_bytes(meta)
        digest = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{digest}.pf_meta").write_bytes(data)
        info["hash"] = digest
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
