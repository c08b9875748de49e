"""The search index, with Pagefind: lean records (a document's text and metadata, no navigation
chrome), one bundle for the whole portal and one per unit for its default, unit-scoped search.

Each record is written once as a small HTML file; each bundle is a tree of hard links to the
records it holds, indexed by the Pagefind command line (one process per bundle, in parallel).

What a first query downloads grows with the text indexed: Vietnamese syllables are few and common
("công", "hành", "chính"), so their index chunks hold nearly every document. A unit bundle whose
texts total at most FULL_TEXT_CHARS characters (a school's) indexes each document's full text (capped
at MAX_CONTENT_CHARS), and so does the portal bundle up to PORTAL_FULL_TEXT_CHARS; a larger one (an
office's, a commune's, a province's portal) indexes lean records: title, number, kind, procedure
code and field, and the summary (description or first paragraph). The limits follow the budgets of
a first query (150 KB for a unit's search, 1 MB for the portal's, library included) at about 30 KB
of index chunks per 100,000 characters of full text; scripts/search_budget.py measures them in
Chromium.

Vietnamese has one gap Pagefind does not close: it folds combining marks ("kế" finds "ke") but đ/Đ
has no decomposition. The browser side (site_src/overrides/assets/javascripts/congkhai-search.js)
closes it by also searching the query with each syllable-initial "d" read as "đ", keeping the
results of the query as typed first, so an exact match ranks above one found only when folded.

A portal bundle in parts (over SHARD_SIZE records) is searched by worker threads in the browser,
each holding some of the parts (congkhai-search-worker.js), and ordered newest first by its dates
file: its records carry no Pagefind sort keys, which would only weigh on the first query.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import cbor2

from ..build.cache import Cache, Entry
from ..build.fingerprint import digest
from ..kinds.thu_tuc import Procedure
from ..model.documents import Document, Status
from ..model.markup import plain_text, summary
from ..model.portal import Portal
from ..model.text import fold as fold_marks
from ..model.text import format_date
from ..model.units import Units
from . import urls

BUNDLE = "pagefind"
MAX_CONTENT_CHARS = 3000
FULL_TEXT_CHARS = 120_000
PORTAL_FULL_TEXT_CHARS = 1_500_000
# Pagefind's ranking loops over every matching word entry for every result (time grows with the
# square of the matches): the portal bundle is cut into parts of this many records, searched in the
# browser by as many worker threads as it has cores, so that a common word's query stays under
# 300 ms at 30,000 documents (smaller parts would cost more bytes for the first query).
SHARD_SIZE = 4000
MAX_SUMMARY_CHARS = 300
# What the browser needs of a bundle; Pagefind's ready-made interfaces are not used.
KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment", "filter")


class SearchError(Exception):
    """Pagefind failed; the message says why."""


@dataclass(frozen=True)
class SearchRecord:
    """One searchable document: its text, what a result shows, and what it is filtered and sorted by."""

    url: str
    title: str
    blocks: tuple[str, ...]
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]
    lean: tuple[str, ...] = ()
    size: int = 0  # characters of full text, from the source (the same whether or not `blocks` is given)

    def html(self, full: bool = True, sort: bool = True) -> str:
        """Return the record as the small HTML page Pagefind indexes (only <main> is searchable):
        with the document's text when `full`, else with its lean lines; with its sort keys when
        `sort` (a portal bundle in parts is sorted by its dates file, not by Pagefind)."""
        e = html.escape
        parts = ['<!doctype html><html lang="vi"><head><meta charset="utf-8">',
                 f"<title>{e(self.title)}</title></head><body>"]
        for key, value in self.meta.items():
            parts.append(f'<span data-pagefind-meta="{key}" hidden>{e(value)}</span>')
        for key, values in self.filters.items():
            parts += [f'<span data-pagefind-filter="{key}" hidden>{e(v)}</span>' for v in values]
        for key, value in (self.sort if sort else {}).items():
            parts.append(f'<span data-pagefind-sort="{key}" hidden>{e(value)}</span>')
        parts.append(f"<main data-pagefind-body><h1>{e(self.title)}</h1>")
        parts += [f"<p>{e(block)}</p>" for block in (self.blocks if full else self.lean)]
        parts.append("</main></body></html>\n")
        return "".join(parts)


@dataclass(frozen=True)
class SearchPlan:
    """Every record, and the records of each unit bundle (the portal bundle holds them all)."""

    records: tuple[SearchRecord, ...]
    bundles: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def full_text(self, scope: str) -> bool:
        """Return whether a bundle ("" = the portal's) indexes full text rather than lean records."""
        held = range(len(self.records)) if scope == "" else self.bundles.get(scope, ())
        limit = PORTAL_FULL_TEXT_CHARS if scope == "" else FULL_TEXT_CHARS
        total = 0
        for position in held:
            total += self.records[position].size
            if total > limit:
                return False
        return True

    def bundle_of(self, unit: str) -> str:
        """Return the bundle that serves a unit's scoped search ("" = the portal's, which is its scope)."""
        return unit if unit in self.bundles else ""


def bundle_path(scope: str) -> str:
    """Return where a bundle is written (site-root address)."""
    return f"{scope}/{BUNDLE}/" if scope else f"{BUNDLE}/"


def record(doc: Document, portal: Portal, scopes: Iterable[str], text: Sequence[str] | None = None) -> SearchRecord:
    """Return the search record of a document: title, number, description and body text (capped).

    `text` is the body's blocks as rendered; without it they are read from the Markdown.
    """
    unit = portal.units[doc.unit]
    day = doc.date or doc.posted
    lines = [f"Số {doc.number}"] if doc.number else []
    if doc.description:
        lines.append(doc.description)
    size = 0
    for block in plain_text(doc.body) if text is None else text:
        if size + len(block) > MAX_CONTENT_CHARS:
            break
        lines.append(block)
        size += len(block)
    meta = {"title": doc.title, "unit": unit.name_on(day), "kind": doc.kind.label, "date": format_date(day),
            "iso": day.isoformat()}
    if doc.number:
        meta["number"] = doc.number
    if doc.status is Status.WITHDRAWN:
        meta["status"] = "Đã thu hồi"
    lean = [f"Số {doc.number}"] if doc.number else []
    lean.append(doc.kind.label)
    procedure = doc.details if isinstance(doc.details, Procedure) else None
    if procedure is not None:
        lean += [f"Mã {procedure.code}" if procedure.code else "", f"Lĩnh vực {procedure.field}" if procedure.field else ""]
    short = summary(doc.body, doc.description, MAX_SUMMARY_CHARS)
    if fold(short) not in fold(doc.title):
        lean.append(short)
    return SearchRecord(
        url=urls.document_url(doc.unit, doc.kind.folder, doc.slug),
        title=doc.title,
        blocks=tuple(lines),
        meta=meta,
        filters={
            "don-vi": [doc.unit],
            "thuoc": sorted(scopes),
            "loai": [doc.kind.folder],
            "nam": [str(day.year)],
            # only withdrawn documents carry it, so the default search (`not` withdrawn) loads a
            # filter chunk as small as the number of withdrawals, not one listing every document
            **({"trang-thai": ["thu-hoi"]} if doc.status is Status.WITHDRAWN else {}),
        },
        sort={"date": day.isoformat()},
        lean=tuple(line for line in lean if line),
        size=len(doc.title) + len(doc.description or "") + min(len(doc.body), MAX_CONTENT_CHARS),
    )


def fold(text: str) -> str:
    """Return `text` lowercased without tone marks or đ, for comparing two spellings."""
    return fold_marks(text).casefold().strip(" .…")


def scopes_of(doc: Document, units: Units, today: date) -> set[str]:
    """Return the units whose scoped search finds `doc`: its unit and every unit above it, on the
    document's date or today."""
    found = {doc.unit}
    for day in sorted({doc.date or doc.posted, today}):
        found.update(units.ancestors_on(doc.unit, day))
    return found


def plan_search(portal: Portal, texts: Mapping[str, Sequence[str]] | None = None,
                scope: Iterable[str] | None = None) -> SearchPlan:
    """Return the records of every visible document, and a bundle for each unit whose scope is not
    the whole portal. `texts` gives each document's body blocks by page address (as rendered);
    without it they are read from the Markdown."""
    docs = sorted(portal.documents, key=lambda d: d.key)
    records = []
    members: dict[str, list[int]] = defaultdict(list)
    for index, doc in enumerate(docs):
        scopes = scopes_of(doc, portal.units, portal.today)
        text = None if texts is None else texts.get(urls.document_url(doc.unit, doc.kind.folder, doc.slug), ())
        records.append(record(doc, portal, scopes, text))
        for unit in scopes:
            members[unit].append(index)
    held = None if scope is None else set(scope)
    bundles = {code: tuple(found) for code, found in sorted(members.items())
               if len(found) < len(docs) and (held is None or code in held)}
    return SearchPlan(tuple(records), bundles)


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


def write_search(plan: SearchPlan, root: Path, jobs: int | None = None, cache: Cache | None = None) -> int:
    """Write the portal bundle and every unit bundle under `root`; return how many were indexed (the
    others came unchanged from `cache`). Raises SearchError."""
    own = cache or Cache(None)
    try:
        entries, indexed = search_entries(plan, own, jobs)
        made: set[str] = set()
        for entry in entries:
            entry.link_into(root, made)
        return indexed
    finally:
        if cache is None:
            own.close()


def portal_shards(plan: SearchPlan) -> list[tuple[int, ...]]:
    """Return the records of each part of the portal bundle: one part per SHARD_SIZE records, each
    record in the part its address hashes to (so adding a document moves no other)."""
    count = -(-len(plan.records) // SHARD_SIZE) or 1
    parts: list[list[int]] = [[] for _ in range(count)]
    for position, rec in enumerate(plan.records):
        parts[int(hashlib.sha256(rec.url.encode()).hexdigest()[:8], 16) % count].append(position)
    return [tuple(part) for part in parts if part]


def shard_path(index: int) -> str:
    """Return where part `index` of the portal bundle goes, inside the first part's folder."""
    return f"phan-{index + 1}/"


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

    version = digest("pagefind", executable_version(executable), FORMAT_VERSION, SHARD_SIZE)
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
                dates[fragment.name.removesuffix(".pf_fragment")] = int(data["meta"]["iso"].replace("-", ""))
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
