"""The build pipeline, as stages with data between them:

    read      units and documents        -> Inputs     (model: load_units, read_document)
    validate  rules, compliance, checks  -> Result     (what `check` and `status` print)
    plan      planner, part keys, search -> BuildPlan  (site: Planner; build: keys)
    render    each part (in workers)     -> Rendered   (site: engine; build: parts, cache)
    publish   stage, check, swap         -> the site   (build: output)

Each stage is a function of the previous stage's result and the settings (config.Settings, read once
by the command line); nothing is written before `publish`, and `publish` replaces the output folder
only when everything succeeded.

May import: config, model, kinds, rules, site, and the rest of build.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from .. import kinds
from ..config import Settings
from ..model import markup, references
from ..model.documents import Document, load_unit_documents
from ..model.kind import Kind
from ..model.limits import Limits
from ..model.portal import Portal, UnitLoader, load_portal, read_folders
from ..model.problems import Problem, Problems, Severity, display_path
from ..model.text import format_date
from ..model.units import Units
from ..rules import calendar
from ..rules.compliance import Compliance, check_declarations, evaluate
from ..rules.deadlines import policy_of
from ..rules.obligations import Rules, check_switches, load_rules
from ..site import audit, search, urls
from ..site.admin import AdminInputs, vendor_folder
from ..site.pages import Planner, SiteSettings
from ..site.register import read_lines, write_register
from ..site.sitemaps import render_sitemap
from . import keys, output, parallel
from .admin import DecapFiles, decap_files, repository
from .cache import Cache, Entry, FileClash, adopt_locks, lock_descriptor, wanted_files
from .fingerprint import code_fingerprint, digest
from .parts import ADMIN, ASSETS, PORTAL, REGISTER, BuildContext, PartOutcome, build_part, page_output

NO_SITE_URL = (
    "Cảnh báo: chưa có địa chỉ công khai của cổng (site_url trong mkdocs.yml hoặc --site-url), nên không "
    "tạo RSS và danh sách OPML (chúng cần địa chỉ tuyệt đối). Sửa: ghi 'site_url: https://…' vào mkdocs.yml."
)


class BuildFailure(Exception):
    """A stage cannot go on; the message (Vietnamese) says why."""


@dataclass
class Result:
    """What a build or check found and did."""

    problems: Problems
    portal: Portal | None = None
    rules: Rules | None = None
    compliance: Compliance | None = None
    pages: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    failure: str | None = None
    trees: dict[str, str] = field(default_factory=dict)  # unit -> hash of its content folder
    parts_reused: int = 0
    parts_built: int = 0
    pages_rendered: int = 0
    unchanged: bool = False  # the output already held exactly this site: nothing was written
    rebuilt: list[str] = field(default_factory=list)  # the parts built again (not taken from the cache)
    files: dict[str, int] | None = None  # the site's files (site-relative) and their inodes, when known
    shown: tuple[int, int] | None = None  # units and documents of the site built (a unit's own site: its own)
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent in each stage
    counted: tuple[int, int, int | None] | None = None  # units, documents, drafts: when `portal` is not kept

    def ok(self, strict: bool) -> bool:
        """Return True when nothing stops the build."""
        return self.failure is None and not self.problems.has_errors(strict)


@dataclass(frozen=True)
class BuildPlan:
    """What the render stage builds: the parts' names and keys, and what every part is built from."""

    ctx: BuildContext
    names: tuple[str, ...]


# --- read and validate ----------------------------------------------------------------------------

def validate(settings: Settings, cache: Cache | None = None) -> Result:
    """Return the loaded portal, its obligations and compliance, and every problem found in the
    inputs (nothing is written). With a cache, unit folders whose files are unchanged are not read
    again, and the others are read by worker processes."""
    problems = Problems()
    problems.items.extend(settings.problems)
    trees: dict[str, str] = {}
    reader = read_folders if cache is None else _cached_reader(cache, settings, trees)
    portal = load_portal(settings.content, settings.units, settings.today, problems, settings.limits,
                         kinds.REGISTRY, reader)
    own = settings.portal
    rules = load_rules(portal.units.values(), problems, own.obligations_on, own.obligations_off)
    check_switches(rules, {"obligations_on": own.obligations_on, "obligations_off": own.obligations_off},
                   settings.config_file, problems)
    policy = policy_of(own)
    every = [*portal.documents, *portal.drafts, *portal.scheduled]
    check_declarations(every, portal.units, rules, problems, policy)
    compliance = evaluate(portal.units, portal.documents, rules, settings.today, settings.compliance_start, policy)
    return Result(problems, portal, rules, compliance, trees=trees, notes=hidden_notes(portal))


def hidden_notes(portal: Portal) -> list[str]:
    """Return a line for every document the portal does not show yet, and why: nothing is hidden silently."""
    notes = [f"{display_path(d.source)}: hẹn đăng ngày {format_date(d.posted)}, chưa hiện trên cổng."
             for d in portal.scheduled if d.posted]
    notes += [f"{display_path(d.source)}: bản nháp (status: draft), chưa hiện trên cổng." for d in portal.drafts]
    return notes


def _read_one(context: tuple[Units, date, Limits, bool], folder: Path) -> Any:
    """Return a unit's documents and problems; pickled when the context says so: as the parse cache
    keeps them, and as they travel from a worker. A build then keeps only what it unpickles from these
    bytes: pickling its own objects again to cache them left ~5 MiB behind at 3,000 documents."""
    units, today, limits, pickled = context
    problems = Problems()
    value = load_unit_documents(folder, units, problems, today, limits, kinds.REGISTRY), problems.items
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if pickled else value


def _cached_reader(cache: Cache, settings: Settings, trees: dict[str, str]) -> UnitLoader:
    """Return a folder reader that takes unchanged units from `cache` and reads the rest in parallel."""
    base = digest("parse", code_fingerprint(), os.getcwd(), str(settings.content.resolve()), settings.limits)

    def read(folders: Sequence[Path], units: Units, today: date, limits: Limits,
             registry: Mapping[str, Kind]) -> list[tuple[list[Document], list[Problem]]]:
        unit_keys = []
        for folder in folders:
            trees[folder.name] = cache.hashes.tree(folder)
            unit_keys.append(digest(base, folder.name, cache.hashes.of(units[folder.name].source), trees[folder.name]))
        found = [cache.load_parsed(folder.name, key) for folder, key in zip(folders, unit_keys)]
        missing = [i for i, value in enumerate(found) if value is None]
        cache.read_again.update(folders[i].name for i in missing)
        # An edited unit's other documents are not converted again: their bodies as this code converted
        # them last time are lent to the reader (by the hash of their text).
        earlier = [cache.load_parsed(folders[i].name, None, base) for i in missing]
        with markup.known(d.rendered for value in earlier if value for d in value[0]):
            # (a preview keeps what it read in memory from one rebuild to the next, and reads in one process)
            pickled = not cache.keep_parsed
            fresh = parallel.run(_read_one, [folders[i] for i in missing], (units, today, limits, pickled),
                                 settings.jobs)
        for i, made in zip(missing, fresh):
            found[i] = pickle.loads(made) if pickled else made
            cache.store_parsed(folders[i].name, unit_keys[i], found[i], base, made if pickled else None)
        return found

    return read


# --- plan -------------------------------------------------------------------------------------------

def plan(settings: Settings, result: Result, cache: Cache, engine: Any,
         log: Callable[[str], None] = lambda _: None) -> BuildPlan:
    """Return what the render stage builds: the planner of the whole site (or of a unit's own site),
    the search plan, the web editor (shared portal only) and every part's key. Raises BuildFailure."""
    assert result.portal is not None
    site = site_settings(settings)
    portal, banner, refs = result.portal, None, None
    if settings.unit:
        try:
            portal, site, banner = unit_site(result.portal, settings, site)
        except ValueError as exc:
            raise BuildFailure(str(exc)) from None
        refs = references.resolve(result.portal.documents, result.portal.units)
    search_plan = search.plan_scopes(portal, scope=site.scope) if settings.search else None
    planner = Planner(portal, site, result.rules, result.compliance, settings.compliance_start, search_plan, refs,
                      policy_of(settings.portal))
    ctx = BuildContext(
        portal=portal, planner=planner, rules=result.rules or Rules(), compliance=planner.site_compliance,
        settings=settings, site_name=site.site_name, search_page=urls.SEARCH if settings.search else None,
        search_plan=search_plan, cache=cache, render_key=render_key(settings, cache), banner=banner, engine=engine,
    )
    ctx.admin = None if settings.unit else editor(settings, result, log)
    ctx.part_keys = keys.part_keys(ctx, result.trees)
    units = tuple(code for code in portal.units if planner.in_scope(code))
    names = (ASSETS, PORTAL, *((ADMIN,) if ctx.admin else ()), *units)
    if settings.unit:  # its own units and documents, not the whole portal's
        result.shown = (len(units), len(portal.documents))
    return BuildPlan(ctx, names)


def editor(settings: Settings, result: Result, log: Callable[[str], None]) -> tuple[AdminInputs, DecapFiles] | None:
    """Return what the web editor (/quan-tri/) is made from, or None (with a note saying why and how
    to fix it) when Decap CMS is not installed and cannot be."""
    assert result.portal is not None
    decap, note = decap_files(log)
    if decap is None:
        result.notes.append(note or "")
        return None
    content = repository(settings)[1]
    inputs = AdminInputs(site_name=settings.site_name, content=content, units=tuple(result.portal.units.values()),
                         rules=result.rules or Rules(), editor=settings.portal.editor, site_url=settings.site_url,
                         vendor=vendor_folder(decap.version))
    return inputs, decap


def site_settings(settings: Settings) -> SiteSettings:
    """Return the planner's settings of the shared portal."""
    return SiteSettings(site_name=settings.site_name, site_url=settings.site_url,
                        sample_notice=settings.portal.sample_notice, feeds=bool(settings.site_url))


def unit_site(portal: Portal, settings: Settings, site: SiteSettings) -> tuple[Portal, SiteSettings, dict[str, str]]:
    """Return the portal as a unit's own site sees it (its documents, and those of the units under it
    with --with-subordinates), its settings, and the banner that leads back to the shared portal.
    Raises ValueError (in Vietnamese) when the unit or an address is missing."""
    code = settings.unit or ""
    if code not in portal.units:
        raise ValueError(f"không có đơn vị '{code}' trong units/. Sửa: dùng một mã có trong units/, ví dụ "
                         f"{', '.join(list(portal.units)[:3])}.")
    if not settings.site_url:
        raise ValueError("trang riêng của một đơn vị cần địa chỉ công khai của nó. Sửa: thêm --site-url, ví dụ "
                         "--site-url https://truong.example.edu.vn/cong-khai/.")
    if not settings.portal_site_url:
        raise ValueError("trang riêng của một đơn vị liên kết về cổng chung, nên cần site_url của cổng chung trong "
                         "mkdocs.yml. Sửa: ghi 'site_url: https://…' vào mkdocs.yml.")
    unit = portal.units[code]
    scope = {code} | ({u.code for u in portal.units.ever_under(code)} if settings.with_subordinates else set())
    visible = Portal(units=portal.units, documents=tuple(d for d in portal.documents if d.unit in scope),
                     today=portal.today)
    own = replace(site, site_name=f"{unit.name} – thông tin công khai", site_url=settings.site_url,
                  scope=frozenset(scope), portal_url=settings.portal_site_url, portal_name=settings.portal_site_name)
    day = portal.today if unit.active_on(portal.today) else (unit.active_until or portal.today)
    parent = unit.parent_on(day)
    shared = settings.portal_site_url
    banner = {"unit": unit.name, "portal_name": settings.portal_site_name, "portal_url": shared,
              "parent_name": portal.units[parent].name if parent in portal.units else "",
              "parent_url": urls.absolute(shared, urls.unit_url(parent)) if parent in portal.units else "",
              "site_name": own.site_name}
    return visible, own, banner


def render_key(settings: Settings, cache: Cache) -> str:
    """Return the hash of what every rendered page depends on besides its own planned content: the
    code, the configuration, the theme overrides, the site address and whether search is on."""
    theme = cache.hashes.tree(settings.theme_dir) if settings.theme_dir else ""
    return digest("render", code_fingerprint(), settings.config_digest, theme, settings.site_url, settings.search,
                  settings.unit, settings.with_subordinates)


# --- render -----------------------------------------------------------------------------------------

def render(build_plan: BuildPlan, log: Callable[[str], None],
           shown: Callable[[PartOutcome], None] | None = None) -> list[PartOutcome]:
    """Return every part of the site, from the cache when its key matches, else built (in worker
    processes). `shown` (the preview's): the edited units' parts are built first, and each part built
    is handed to it as soon as it is there, when nothing in it stops publication (see `publishable`),
    so that the edited unit's own pages can be shown before its supervisors' and the portal's are
    built. Raises BuildFailure when the engine fails."""
    ctx = build_plan.ctx
    outcomes: dict[str, PartOutcome] = {}
    for name in build_plan.names:
        held = ctx.cache.lookup(name, ctx.part_keys[name])
        if held is not None:
            outcomes[name] = PartOutcome(name, held, True)
    missing = [name for name in build_plan.names if name not in outcomes]
    if missing:
        kept = len(build_plan.names) - len(missing)
        log(f"Đang dựng {len(missing)} phần của trang" + (f" ({kept} phần không đổi, lấy từ bộ nhớ đệm)…" if kept else "…"))
    settings = ctx.settings
    jobs = settings.jobs
    if len(missing) > 1:  # longest first: no long part left to run alone at the end
        below = Counter(u.parent_on(ctx.today) for u in ctx.portal.units.values())
        expected = {name: expected_seconds(ctx, name, below) for name in missing}
        if shown is None:  # longest first: every core busy to the end
            missing.sort(key=lambda name: -expected[name])
        else:  # the preview: the edited units' parts first, then the others' (fewest units below them first:
            # the schools', then the offices'), the site-wide parts last
            missing.sort(key=lambda name: (name not in ctx.cache.read_again, name not in ctx.portal.units,
                                           below.get(name, 0), expected[name]))
        few = len(missing) <= FORK_MIN_PARTS and len(missing) < len(build_plan.names)
        if few or sum(expected.values()) < FORK_WORTH_SECONDS:
            jobs = 1
    ctx.cache.prepare()  # one scratch space, made here: the workers build their parts inside it
    progress = parallel.Progress(len(missing), "phần đã dựng") if settings.progress and len(missing) > 1 else None
    from ..site.engine import RenderError

    try:
        def show(outcome: PartOutcome) -> None:
            if publishable(outcome):
                shown(outcome)  # type: ignore[misc] (passed only with `shown`)

        for outcome in parallel.run(build_part, missing, ctx, jobs, progress,
                                    collect=len(missing) <= COLLECT_MAX_PARTS, done=show if shown else None):
            outcomes[outcome.name] = outcome
    except RenderError as exc:
        raise BuildFailure(str(exc)) from None
    return [outcomes[name] for name in build_plan.names]


# An edit's few parts (the unit's, those of the units above it, the portal's: not every part of the
# site, and no more than FORK_MIN_PARTS), or parts expected to take under a second together, are
# built by this process alone: a forked worker first copies, page by page as reference counts
# change, the part of the heap it reads, which at 3,000 documents cost about 0.2 CPU seconds, a
# tenth of an edit's rebuild, for a wall time saving of about as much. (What a part took last time
# overstates its rebuild after an edit, most of its pages reused: hence the count of parts as well
# as their expected time.)
FORK_MIN_PARTS = 8
FORK_WORTH_SECONDS = 1.0

# Each rendering process frees a part's garbage before the next (parallel.run's `collect`) on portals of
# up to this many parts to build (about 12,000 documents): there memory is the limit (3,000 documents
# with search: 256 -> 218 MiB at the peak; 10,000: 534 -> 430). On a province it is time: with the passes,
# within their share, the cold build of 85,000 documents took 1,706 CPU-s and 21.8 min against 1,484
# and 17.7 min without, for a peak of 2,585 against 2,702 MiB (6 GiB is the bound).
COLLECT_MAX_PARTS = 400


def expected_seconds(ctx: BuildContext, name: str, below: Mapping[str | None, int]) -> float:
    """Return how long part `name` is expected to take: what it took last time (kept in its cache
    entry), else an estimate from its size (pages of its documents, rows of its compliance matrix)."""
    previous = ctx.cache.lookup(name, None)
    if previous is not None and isinstance(previous.meta.get("seconds"), (int, float)):
        return float(previous.meta["seconds"])
    if name in (PORTAL, ASSETS):
        return 1e6 if name == PORTAL else 1e5  # the portal pages depend on every unit; the theme's files
    if name not in ctx.portal.units:
        return 0.0
    return 0.01 * (len(ctx.portal.of_unit(name)) + 5 * below.get(name, 0))


def index_entry(parts: Sequence[PartOutcome], ctx: BuildContext, page_urls: list[str]) -> Entry:
    """Return the entry of the files made from every part: the register and the root sitemap."""
    key = digest("index", ctx.render_key, ctx.today, [(p.name, ctx.part_keys[p.name]) for p in parts])
    held = ctx.cache.lookup("_index", key)
    if held is not None:
        return held
    scratch = ctx.cache.scratch()
    kept = [(p.entry.aside_file(REGISTER), p.meta.get("register") or 0) for p in parts]
    write_register([ctx.cache.read_aside(path, read_lines) for path, _ in kept if path is not None],
                   sum(count for path, count in kept if path is not None), ctx.today, scratch)
    if ctx.site_url:
        (scratch / "sitemap.xml").write_bytes(render_sitemap(page_urls, ctx.site_url))
    return ctx.cache.store("_index", key, scratch, {})


def search_work(ctx: BuildContext) -> Any:
    """Return the search stage's work (search_index.SearchWork): which bundles the cache holds, and
    the pages of the others. Raises BuildFailure."""
    from .search_index import SearchError
    from .search_index import search_work as make_work

    assert ctx.search_plan is not None
    try:
        records = search.plan_search(ctx.portal, scope=ctx.search_plan.scope)
        if records.bundles != ctx.search_plan.bundles:  # the pages link the bundles planned before them
            raise BuildFailure("Lỗi nội bộ: các gói tìm kiếm khác với khi dựng trang.")
        return make_work(records, ctx.cache)
    except SearchError as exc:
        raise BuildFailure(str(exc)) from None


def search_index(work: Any, cache: Cache, lean_memory: bool = False, jobs: int = 1) -> list[Entry]:
    """Return the search bundles' entries, indexing those the cache does not hold (`lean_memory`: see
    search_index.SERVICE_ENVIRONMENT; `jobs`: the cores it may use). Raises BuildFailure."""
    from .search_index import SearchError, index_work

    try:
        return index_work(work, cache, lean_memory, jobs)
    except SearchError as exc:
        raise BuildFailure(str(exc)) from None


def publishable(outcome: PartOutcome) -> bool:
    """Return True when nothing in the part stops publication by itself (live code in a page, two
    files at one address: see `collect`)."""
    meta = outcome.meta
    return not (meta.get("live") or meta.get("clashes")
                or any(page.get("live") for page in (meta.get("pages") or {}).values()))


def collect(outcomes: Sequence[PartOutcome], result: Result) -> None:
    """Add to `result` what the parts reported: live code in a finished page (an error: nothing is
    published) and MkDocs' warnings."""
    unsourced: dict[tuple[str, ...], list[str]] = {}  # live code in pages no author wrote: the theme's
    for outcome in outcomes:
        pages = outcome.meta.get("pages") or {}
        for url, found in sorted((outcome.meta.get("live") or {}).items()):
            unsourced.setdefault(tuple(found), []).append(url)
        for path, first, second in outcome.meta.get("clashes") or ():
            result.problems.error(second.split(": ", 1)[0] if ": " in second else path, None, None,
                                  f"hai tệp cùng được đăng ở một địa chỉ /{path}: {first}; và {second}. Cổng không "
                                  "ghi đè tệp nào, nên chưa đăng lần dựng này. Sửa: đổi tên một trong hai.")
        for url in sorted(pages):
            page = pages[url]
            if page.get("live") and page.get("source"):
                result.problems.error(page["source"], None, None, audit.message([url], page["live"]))
            elif page.get("live"):
                unsourced.setdefault(tuple(page["live"]), []).append(url)
            result.notes += page.get("warnings") or []
        result.notes += outcome.meta.get("warnings") or []
    for found, urls_of in sorted(unsourced.items()):
        result.problems.error("site_src/", None, None, audit.message(sorted(urls_of), list(found)))


# --- publish ----------------------------------------------------------------------------------------

def publish(settings: Settings, parts: Sequence[PartOutcome], entries: list[Entry], result: Result,
            cache: Cache) -> None:
    """Place the site in the output folder: nothing is written when it already holds exactly these
    files; otherwise a staging folder is filled, checked (--strict: every link) and swapped in."""
    wanted = wanted_files(entries)
    fresh = [rel for o in parts if not o.reused for rel in o.entry.files]
    if not settings.strict and output.holds_exactly(settings.out, wanted, fresh):
        result.unchanged = True
    else:
        staged = output.stage(settings.out, wanted)
        try:
            if settings.strict and not _strict_checks(staged, parts, settings, result):
                output.discard(staged)
                return
            output.publish(staged, settings.out, wanted)
        except BaseException:
            output.discard(staged)
            raise
    if result.unchanged or os.stat(cache.root).st_dev == os.stat(settings.out).st_dev:  # hard links, not copies
        result.files = {rel: inode for rel, (_, inode) in wanted.items()}


def _strict_checks(staged: Path, parts: Sequence[PartOutcome], settings: Settings, result: Result) -> bool:
    """Return True when the staged site passes --strict: every internal link and asset resolves, and
    nothing warned. Otherwise record why (result.failure)."""
    from . import links

    broken = links.check_site(staged, settings.site_url)
    sources = {page_output(url): page["source"] for o in parts
               for url, page in (o.meta.get("pages") or {}).items() if page.get("source")}
    links.report(broken, sources, settings.out, result.problems)
    if broken or any(p.severity is Severity.WARNING for p in result.problems.items) \
            or any(n.startswith("MkDocs") for n in result.notes):
        result.failure = "Có cảnh báo khi dựng trang (chế độ --strict)."
        return False
    return True


# --- the whole build ---------------------------------------------------------------------------------

def build(settings: Settings, log: Callable[[str], None] = lambda _: None, engine: Any = None,
          apart: bool = False, hand_over: Callable[[Path], None] | None = None,
          shown: Callable[[PartOutcome], None] | None = None) -> Result:
    """Validate, plan, render and publish the site; the output folder is replaced only when all succeeded.
    `engine` (site.engine.Engine) is the preview's, kept between its builds; else one is made.
    `apart`: index search only once the memory that held the portal is gone: with `hand_over`, this
    process saves what is left to do and calls `hand_over(state)`, which replaces the process by a new
    program that calls `resume(state)` (see _stages_handed_over); without it, the stages up to search
    run in a forked process and search is indexed here once it has ended (see _stages_apart). The
    result then holds the portal's counts, not the portal. `shown`: see `render`."""
    started = time.monotonic()
    root = settings.cache_dir
    if root is not None and settings.unit:  # a unit's own site keeps its parts apart from the portal's
        root = root / f"don-vi-{settings.unit}{'-truc-thuoc' if settings.with_subordinates else ''}"
    with output.held(settings.out, log) as out_lock:  # one build at a time into one output folder
        # One at a time on one cache folder too (it waits for the other). The preview (a live engine)
        # keeps the parsed documents in memory from one of its builds to the next.
        cache = Cache(root, wait=log, keep_parsed=bool(engine is not None and engine.live))
        try:
            if apart and settings.search and engine is None and _can_fork() \
                    and _documents_at_most(settings.content, APART_MAX_DOCUMENTS):
                if hand_over is not None and cache.lock is not None \
                        and None not in (lock_descriptor(cache.lock), lock_descriptor(out_lock)):
                    result = _stages_handed_over(settings, cache, log, hand_over, out_lock, started)
                else:
                    result = _stages_apart(settings, cache, log)
            else:
                result = _stages(settings, cache, log, engine, shown)
        finally:
            cache.close()
    result.seconds = time.monotonic() - started
    return result


@dataclass
class _Made:
    """What the stages before search made: the parts, every entry to publish but the search bundles',
    and the search stage's work (None without search)."""

    parts: list[PartOutcome]
    entries: list[Entry]
    search: Any = None


def _stages(settings: Settings, cache: Cache, log: Callable[[str], None], engine: Any,
            shown: Callable[[PartOutcome], None] | None = None) -> Result:
    result, made = _make(settings, cache, log, engine, shown)
    if made is not None:
        _finish(settings, cache, result, made)
    return result


def _make(settings: Settings, cache: Cache, log: Callable[[str], None], engine: Any,
          shown: Callable[[PartOutcome], None] | None = None) -> tuple[Result, _Made | None]:
    """Run the stages up to the search index; return the result and what they made (None when the
    build stops: problems in the inputs or a failure, both in the result)."""
    from ..site import pages
    from ..site.engine import Engine

    pages.use_bytecode_cache(cache.root / "templates")
    calendar.use_table_file(cache.root / "calendar.json")
    engine = engine or Engine(templates=cache.root / "templates")
    timer = _Timer()
    result = validate(settings, cache)
    timer.lap(result, "validate")
    if not result.ok(settings.strict) or result.portal is None:
        return result, None
    try:
        output.check_target(settings.out, [settings.content, settings.units, settings.config_file.parent / "site_src"])
        build_plan = plan(settings, result, cache, engine, log)
        parts = render(build_plan, log, shown)
        timer.lap(result, "parts")
        collect(parts, result)
        if result.problems.has_errors(False):  # e.g. live code in a finished page: publish nothing
            return result, None
        page_urls = [url for o in parts for url in sorted(o.meta.get("pages") or {})]
        entries = [o.entry for o in parts]
        entries.append(index_entry(parts, build_plan.ctx, page_urls))
        if not settings.site_url:
            result.notes.append(NO_SITE_URL)
        timer.lap(result, "index")
        work = None
        if settings.search:
            work = search_work(build_plan.ctx)
            timer.lap(result, "search")
    except (BuildFailure, output.OutputError, FileClash) as exc:
        result.failure = str(exc)
        return result, None
    result.pages = len(page_urls)
    result.parts_reused = sum(o.reused for o in parts)
    result.parts_built = len(parts) - result.parts_reused
    result.pages_rendered = sum(o.rendered_pages for o in parts)
    result.rebuilt = [o.name for o in parts if not o.reused]
    return result, _Made(parts, entries, work)


def _finish(settings: Settings, cache: Cache, result: Result, made: _Made, apart: bool = False) -> None:
    """Index search (what `_make` left to do) and publish. `apart`: the memory that held the portal is
    gone, so Pagefind's is the build's peak: it gives back what it frees at once."""
    timer = _Timer()
    try:
        entries = list(made.entries)
        if made.search is not None:
            entries += search_index(made.search, cache, lean_memory=apart, jobs=settings.jobs)
            timer.lap(result, "search")
        publish(settings, made.parts, entries, result, cache)
        timer.lap(result, "publish")
    except (BuildFailure, output.OutputError, FileClash) as exc:
        result.failure = str(exc)


# A build apart pays for its memory with time: the pages to index are made and written before Pagefind
# starts instead of while it indexes (at 85,000 documents about a minute more of a 20-minute build),
# and gains only when Pagefind's index is large beside the build's own memory: when the portal bundle
# is at most two parts (search.SHARD_SIZE records), Pagefind indexes half the portal or all of it at
# once (186 MiB at 3,000 documents in one part, beside a build of 159 MiB: the peak fell from 343 to
# 257 MiB). At 10,000 documents
# the peak fell only from 512 to 492 MiB and at 85,000 not at all (2,678 and 2,692 MiB: the build's
# own peak, with the search records, is higher than its memory plus Pagefind's part).
APART_MAX_DOCUMENTS = search.SHARD_SIZE


def _documents_at_most(content: Path, limit: int) -> bool:
    """Return True when `content` holds at most `limit` Markdown files (counted before anything is read)."""
    count = 0
    for _, _, names in os.walk(content):
        count += sum(1 for name in names if name.endswith(".md"))
        if count > limit:
            return False
    return True


def _can_fork() -> bool:
    """Return True when this process may fork (a system that can, and no other thread running)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _stages_apart(settings: Settings, cache: Cache, log: Callable[[str], None]) -> Result:
    """Run the stages in two processes, one after the other: a forked child reads, checks, renders and
    prepares search (writing the pages to index into the build's scratch space, see
    search_index.SearchWork.detach), sends back the result without the portal and ends; then this
    process, which never held the portal, has Pagefind index them and publishes the site. Pagefind's
    memory then comes after the build's, not on top of it: at 3,000 documents the build process holds
    about 160 MiB and Pagefind about 185 MiB while indexing the portal bundle."""
    cache.prepare()  # one scratch space, this process's: closing the cache removes it
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # else what is buffered would be written twice, by each process
    reader, writer = os.pipe()
    gc.freeze()  # the child's collections leave this process's objects alone (else it copies their pages)
    child = os.fork()
    if child == 0:  # pragma: no cover - covered through the parent, which reports what it did
        os.close(reader)
        _child(settings, cache, log, writer)
    os.close(writer)
    kind, payload = "", None
    try:
        with os.fdopen(reader, "rb") as messages:
            while (message := _receive(messages)) is not None:
                kind, payload = message
                if kind != "log":
                    break
                log(payload)  # the child's lines, printed here as they come
        _, status = os.waitpid(child, 0)
    except BaseException:  # stopped (Ctrl+C reaches both) or failed: the child ends now
        _end(child)
        raise
    finally:
        gc.unfreeze()
    if kind in ("", "log"):
        raise RuntimeError(f"tiến trình dựng trang dừng bất thường (mã {status})")
    if kind == "stopped":
        raise output.Interrupted(payload)
    if kind == "crashed":
        raise RuntimeError(f"tiến trình dựng trang gặp lỗi:\n{payload}")
    result, made = payload
    if made is not None:
        _finish(settings, cache, result, made, apart=True)
    return result


# The state a build hands over to the program that replaces its process (see _stages_handed_over).
HANDOVER_FILE = "handover.pickle"


def _stages_handed_over(settings: Settings, cache: Cache, log: Callable[[str], None],
                        hand_over: Callable[[Path], None], out_lock: Any, started: float) -> Result:
    """Run the stages up to search here, then hand what is left (search, publishing) to a new program
    in this same process: `hand_over(state)` replaces it (exec), which drops the memory that held the
    portal at once, with no process left waiting meanwhile as in _stages_apart (at 3,000 documents
    that process held about 22 MiB of its own while the site was rendered). The locks of the output
    folder and of the cache stay held across: their descriptors are kept open for the new program,
    which takes them over (cache.adopt_locks) in `resume`. When `hand_over` returns or fails, the
    stages finish here."""
    result, made = _make(settings, cache, log, None)
    if made is None or made.search is None:
        if made is not None:
            _finish(settings, cache, result, made)
        return result
    made.search.detach(cache.scratch())
    _for_elsewhere(result, made, settings)
    locks = {lock.lock_file: lock_descriptor(lock) for lock in (cache.lock, out_lock)}
    state = cache.prepare() / HANDOVER_FILE
    state.write_bytes(pickle.dumps({"settings": settings, "result": result, "made": made, "locks": locks,
                                    "cache": str(cache.folder), "scratch": str(cache.prepare()), "started": started},
                                   protocol=pickle.HIGHEST_PROTOCOL))
    cache.hashes.save()  # the file hashes this process learnt, for the next build
    for fd in locks.values():
        os.set_inheritable(fd, True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        hand_over(state)
    except OSError:
        pass
    for fd in locks.values():  # still here: finish in this process
        os.set_inheritable(fd, False)
    _finish(settings, cache, result, made)
    return result


def handed_over(state: Path) -> dict[str, Any]:
    """Return what a build saved before it handed over (see _stages_handed_over): its settings
    ("settings") and what `resume` needs."""
    saved = pickle.loads(state.read_bytes())
    if not isinstance(saved, dict) or not isinstance(saved.get("settings"), Settings):
        raise RuntimeError(f"trạng thái dựng dở {state} không đọc được")
    return saved


def resume(saved: dict[str, Any], log: Callable[[str], None] = lambda _: None) -> Result:
    """In the program that replaced a build's process (see _stages_handed_over): index search and
    publish from what it saved (`handed_over`); return its result. The locks it held are taken over,
    and released when this ends, as its scratch space is removed."""
    settings, result, made = saved["settings"], saved["result"], saved["made"]
    adopt_locks(saved["locks"])
    try:
        with output.held(settings.out, log):
            cache = Cache(Path(saved["cache"]), wait=log)
            try:
                cache.use_scratch(Path(saved["scratch"]))
                # A stop that came while this program started was blocked (cli._hand_over): it comes now,
                # when closing the cache and the output folder's lock clean up after it.
                signal.pthread_sigmask(signal.SIG_UNBLOCK, output.STOP_SIGNALS)
                _finish(settings, cache, result, made, apart=True)
            finally:
                cache.close()
    finally:
        adopt_locks({})  # none left for anything else
    result.seconds = time.monotonic() - saved["started"]
    return result


def _for_elsewhere(result: Result, made: _Made | None, settings: Settings) -> None:
    """Leave in `result` and `made` only what search and publishing need, for another process:
    the portal's counts instead of the portal, each part's metadata slimmed (see _slim)."""
    result.counted = shown_counts(result)
    result.portal, result.rules, result.compliance = None, None, None
    if made is not None:
        made.parts = [_slim(part, settings.strict) for part in made.parts]


def _child(settings: Settings, cache: Cache, log: Callable[[str], None], writer: int) -> NoReturn:
    """In the forked child: run the stages up to search, send what the parent needs and exit, never
    returning (no cleanup of the parent's: its locks, its scratch space, its cache's memo)."""
    code = 1
    try:
        parallel.die_with_parent()
        out = os.fdopen(writer, "wb")
        try:
            result, made = _make(settings, cache, lambda line: _send(out, ("log", line)), None)
            if made is not None and made.search is not None:
                made.search.detach(cache.scratch())
            cache.hashes.save()  # the file hashes this process learnt, for the next build
            _for_elsewhere(result, made, settings)
            answer: tuple[str, Any] = ("done", (result, made))
            code = 0
        except output.Interrupted as stop:
            answer = ("stopped", stop.signum)
        except BaseException:
            answer = ("crashed", traceback.format_exc())
        _send(out, answer)
        out.close()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _send(out: Any, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(8, "big") + data)
    out.flush()


def _receive(messages: Any) -> tuple[str, Any] | None:
    """Return the next message the child sent, or None when it ended without sending a whole one."""
    head = messages.read(8)
    if len(head) < 8:
        return None
    data = messages.read(int.from_bytes(head, "big"))
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None


def _slim(part: PartOutcome, strict: bool) -> PartOutcome:
    """Return `part` with only what publishing needs of its metadata: each page's source, for the
    report of --strict's link check (the rest was collected into the result already)."""
    pages = {url: {"source": page["source"]} for url, page in (part.meta.get("pages") or {}).items()
             if strict and page.get("source")}
    return replace(part, entry=replace(part.entry, meta={"pages": pages} if pages else {}))


def shown_counts(result: Result) -> tuple[int, int, int | None] | None:
    """Return the units, the documents and the drafts (None for a unit's own site) the result shows
    (those a build apart sent back, when it holds no portal)."""
    if result.portal is None:
        return result.counted
    if result.shown is not None:
        return (*result.shown, None)
    return len(result.portal.units), len(result.portal.documents), len(result.portal.drafts)


def _end(child: int) -> None:
    """End the child now and wait for it."""
    try:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


@contextmanager
def few_collections() -> Iterator[None]:
    """Let the cycle collector run rarely during a build. A build makes millions of small objects that
    live until it ends (the portal, its plan, the pages) and little cyclic garbage, so the collector's
    default pace (a pass every 700 new objects) mostly re-examines live objects: a tenth or more of a
    rebuild's time. Forked workers inherit the setting (parallel.run also keeps the collector off the
    objects they inherit)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Timer:
    """Seconds spent in each stage, added to a result's timings."""

    def __init__(self) -> None:
        self.mark = time.monotonic()

    def lap(self, result: Result, stage: str) -> None:
        now = time.monotonic()
        result.timings[stage] = result.timings.get(stage, 0.0) + now - self.mark
        self.mark = now
