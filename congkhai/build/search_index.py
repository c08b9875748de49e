"""Indexing the search plan (site/search.py) with Pagefind: every bundle (the portal's, in parts
when large, and each unit's) indexed one after another by one Pagefind service, each kept in the
build cache under the hash of its records so that an unchanged bundle is never indexed again; the
bundles' chunks are rewritten canonically so the same records always give the same bytes. The work
(`search_work`) and the indexing (`index_work`) may run in two processes (pipeline._stages_apart).

May import: model, site (the search plan), and the rest of build.
"""

from __future__ import annotations

import base64
import collections
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class _PlanPages:
    """The pages of some records of the plan, each made as it is sent to Pagefind and dropped at once."""

    def __init__(self, plan: SearchPlan, form: tuple[bool, bool], members: tuple[int, ...]) -> None:
        self.plan, self.form, self.members = plan, form, members

    def __len__(self) -> int:
        return len(self.members)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for i in self.members:
            record = self.plan.records[i]
            yield "/" + record.url, record.html(*self.form)


@dataclass(frozen=True)
class _FilePages:
    """Pages written to a file, one JSON line [url, page] each (SearchWork.detach)."""

    path: Path
    count: int

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[str, str]]:
        with open(self.path, encoding="utf-8") as lines:
            for line in lines:
                url, page = json.loads(line)
                yield url, page


@dataclass
class SearchWork:
    """What the search stage does: the bundles the cache already holds (by scope: "" for the portal's,
    a unit's code for its own) and, for each of the others, its key and the pages of each of its parts."""

    executable: str
    scopes: list[str]
    held: dict[str, Entry]
    todo: list[tuple[str, str, list[_PlanPages | _FilePages]]]  # scope, key, pages of each part

    def detach(self, folder: Path) -> None:
        """Write the pages to index into files under `folder`, so that this work no longer needs the
        search plan: another process (the build's first, once the one that read the portal has
        ended) indexes them, reading one page at a time."""
        number = 0
        for _, _, parts in self.todo:
            for position, pages in enumerate(parts):
                number += 1
                path = folder / f"trang-{number}.jsonl"
                with open(path, "w", encoding="utf-8") as out:
                    for url, page in pages:
                        out.write(json.dumps([url, page], ensure_ascii=False) + "\n")
                parts[position] = _FilePages(path, len(pages))


def search_work(plan: SearchPlan, cache: Cache) -> SearchWork:
    """Return the search stage's work: every bundle's key (the hash of its records' pages), the bundles
    held in the cache under it, and the records of the others. Raises SearchError."""
    executable = pagefind_executable()
    portal_parts = portal_shards(plan)
    # Each record's page is made when it is hashed or sent to Pagefind and dropped at once: only the
    # SHA-256 of each page (per form: full text or lean, with or without sort keys) is kept, so the
    # memory of this stage does not grow with the text of the portal.
    hashes: dict[tuple[bool, bool], list[bytes | None]] = {}

    def form_of(scope: str) -> tuple[bool, bool]:
        return plan.full_text(scope), not (scope == "" and len(portal_parts) > 1)

    def page_hash(form: tuple[bool, bool], position: int) -> bytes:
        held = hashes.setdefault(form, [None] * len(plan.records))
        found = held[position]
        if found is None:
            found = held[position] = hashlib.sha256(plan.records[position].html(*form).encode("utf-8")).digest()
        return found

    version = digest("pagefind", executable_version(executable), FORMAT_VERSION, search_plan.SHARD_SIZE,
                     search_plan.SPLIT_ABOVE)
    scopes = [("", tuple(range(len(plan.records))))] + sorted(plan.bundles.items())
    work = SearchWork(executable, [scope for scope, _ in scopes], {}, [])
    for scope, members in scopes:
        form = form_of(scope)
        key = digest(version, [(plan.records[i].url, page_hash(form, i).hex()) for i in members])
        held = cache.lookup(_entry_name(scope), key)
        if held is not None:
            work.held[scope] = held
        else:
            shards = portal_parts if scope == "" else [members]
            work.todo.append((scope, key, [_PlanPages(plan, form, part) for part in shards]))
    return work


def index_work(work: SearchWork, cache: Cache, lean_memory: bool = False, jobs: int = 1) -> list[Entry]:
    """Index the bundles of `work` not held in the cache, store them there, and return the entries of
    every bundle (the portal's first). `lean_memory`: Pagefind gives back freed memory at once, at a
    cost in time (see SERVICE_ENVIRONMENT), in one service. `jobs`: the cores it may use (see
    _index_all). Raises SearchError."""
    entries = dict(work.held)
    scratch = cache.scratch()
    try:
        runs: list[Run] = []
        for scope, _, shards in work.todo:
            for number, pages in enumerate(shards):
                runs.append((pages, scratch / "parts" / (scope or "_portal") / str(number)))
        _index_all(work.executable, runs, lean_memory, jobs)
        for scope, key, shards in work.todo:
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
    return [entries[scope] for scope in work.scopes]


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


# Pagefind allocates with jemalloc, which by default keeps freed memory for ten seconds and in one arena
# per thread: the memory of each bundle indexed would stay held while the next is indexed. Returned at
# once, the service's peak is that of its largest bundle (3,000 lean records: 186 -> 136-146 MiB; after
# a bundle: 186 -> 10-23 MiB). It costs Pagefind CPU (one arena for its threads, memory handed back
# and asked for again): 10,000 documents, 80.6-85.3 against 65.5-66.1 CPU-s for the search step's
# processes; at 85,000 the cold build took 21.8 min against 17.7. So only a build whose peak is
# Pagefind's (`lean_memory`: a build apart, pipeline.APART_MAX_DOCUMENTS) starts the service with it.
SERVICE_ENVIRONMENT = {"_RJEM_MALLOC_CONF": "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"}


class _Service:
    """One `pagefind --service` process and a client of its protocol (the one Pagefind's own Python
    client speaks: JSON messages in base64, each ended by ','), sending many requests at once and
    reading their answers as they come: no process per bundle, no record written to disk."""

    def __init__(self, executable: str, lean_memory: bool = False) -> None:
        environment = {**os.environ, **SERVICE_ENVIRONMENT} if lean_memory else None
        self.process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=environment)
        self.next_id = 0
        self.pending = bytearray()

    def ask(self, payloads: Iterable[dict[str, Any]], count: int | None = None) -> list[dict[str, Any]]:
        """Return the service's answer to each request, in order; raises SearchError on any error.
        `payloads` may be a generator of `count` requests: each is encoded only when it is sent."""
        if count is None:
            payloads = list(payloads)
            count = len(payloads)
        first = self.next_id + 1
        self.next_id += count
        ids = list(range(first, first + count))
        writer = threading.Thread(target=self._write, args=(zip(ids, payloads),), daemon=True)
        writer.start()  # a thread writes while this one reads: neither pipe fills up
        answers: dict[int, dict[str, Any]] = {}
        while len(answers) < len(ids):
            raw = base64.b64decode(self._read())
            message = json.loads(raw)
            del raw  # a bundle's files come in one message: hold one copy of it at a time
            answers[message.get("message_id")] = message["payload"]
        writer.join()
        failed = [a for a in answers.values() if a.get("type") == "Error"]
        if failed:
            raise SearchError(f"Pagefind không tạo được chỉ mục tìm kiếm: {failed[0].get('message', '')}")
        return [answers[i] for i in ids]

    def _write(self, requests: Iterable[tuple[int, dict[str, Any]]]) -> None:
        try:
            assert self.process.stdin is not None
            for number, payload in requests:
                message = json.dumps({"message_id": number, "payload": payload}).encode()
                self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except OSError:
            pass  # the service ended: the reader says so

    def _read(self) -> bytes:
        assert self.process.stdout is not None
        start = 0
        while (end := self.pending.find(b",", start)) < 0:
            start = len(self.pending)
            chunk = self.process.stdout.read1(1 << 20)
            if not chunk:
                raise SearchError("Pagefind dừng giữa chừng khi tạo chỉ mục tìm kiếm")
            self.pending += chunk  # a bytearray: grows in place, and is searched only where it grew
        with memoryview(self.pending) as view:
            message = view[:end].tobytes()
        del self.pending[:end + 1]
        return message

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # the service ended with requests unread (closing flushes them)
                    pass
        self.process.kill()
        self.process.wait()


Run = tuple["_PlanPages | _FilePages", Path]  # a bundle or part: its pages, its folder


def _index_all(executable: str, runs: list[Run], lean_memory: bool = False, jobs: int = 1) -> None:
    """Index every run (its pages, its output folder). This process makes (or reads) each record's page
    while Pagefind indexes the one before. With `jobs` of 2 or more (and not `lean_memory`, where
    memory is the limit), a second Pagefind service indexes the small bundles (a unit's own, at most
    SMALL_RUN records) beside the first, which takes the large ones (the portal's parts, the offices')
    largest first and then small ones too: a service indexes on one core, and a bundle costs Pagefind
    about 0.05 s whatever its size (a province has one for each of its ~2,800 units). Only the first
    service ever holds a large index, so the second adds only the memory of a small one."""
    large = collections.deque(sorted((run for run in runs if len(run[0]) > SMALL_RUN), key=lambda run: -len(run[0])))
    small = collections.deque(run for run in runs if len(run[0]) <= SMALL_RUN)
    if lean_memory or jobs < 2 or len(runs) < 2 or not small:
        service = _Service(executable, lean_memory)
        try:
            _index_runs(service, runs)
        finally:
            service.close()
        return
    taking = threading.Lock()

    def take(large_too: bool) -> Run | None:
        with taking:
            if large_too and large:
                return large.popleft()
            return small.popleft() if small else None

    def index(service: _Service, large_too: bool) -> None:
        while (run := take(large_too)) is not None:
            _index_runs(service, [run])

    failed: list[BaseException] = []

    def second() -> None:
        try:
            index(helper, False)
        except BaseException as exc:  # noqa: BLE001 (handed to the first thread, which raises it)
            failed.append(exc)

    first, helper = _Service(executable), _Service(executable)
    beside = threading.Thread(target=second, daemon=True)
    beside.start()
    try:
        index(first, True)
    except BaseException:
        with taking:
            small.clear()
        helper.close()  # its request under way fails: the thread ends
        raise
    finally:
        beside.join()
        first.close()
        helper.close()
    if failed:
        raise failed[0]


# The bundles a second Pagefind service may index (see _index_all): up to this many records, Pagefind's
# memory for one is a few MiB (a portal part of 4,000 records: about 186 MiB).
SMALL_RUN = 500


def _index_runs(service: _Service, runs: list[Run]) -> None:
    for pages, output in runs:
        (made,) = service.ask([{"type": "NewIndex", "config": {"force_language": "vi"}}])
        index = made["index_id"]
        # Each step waits for the one before: the service answers requests as they finish, not in order.
        # Each record's page is made as it is sent.
        service.ask(({"type": "AddFile", "index_id": index, "url": url, "file_path": None, "file_contents": page}
                     for url, page in pages), len(pages))
        (files,) = service.ask([{"type": "GetFiles", "index_id": index}])
        service.ask([{"type": "DeleteIndex", "index_id": index}])
        for item in files["files"]:
            relative = Path(item["path"])
            if relative.parts[0] in KEEP or relative.name.startswith("wasm.") or relative.name.endswith(".pf_meta"):
                target = output / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(item["content"]))
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
