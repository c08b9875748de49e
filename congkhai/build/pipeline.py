"""The build pipeline: load units -> load documents -> validate -> plan -> write (atomically)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from ..model import limits, references
from ..model.documents import Document, load_unit_documents
from ..model.limits import Limits
from ..model.portal import Portal, UnitLoader, load_portal, read_folders
from ..model.problems import Problem, Problems, Severity
from ..model.units import Units
from ..rules.compliance import Compliance, check_declarations, evaluate
from ..rules.obligations import Rules, load_rules
from ..site import audit, feeds, search, urls
from ..site.engine import RenderError, SiteConfig, read_config
from ..site.pages import Planner, SiteSettings
from ..site.register import write_register
from ..site.sitemaps import render_sitemap
from . import keys, output, parallel
from .cache import DEFAULT_DIR as DEFAULT_CACHE
from .cache import Cache, Entry, wanted_files
from .fingerprint import code_fingerprint, digest
from .parts import ASSETS, PORTAL, BuildContext, PartOutcome, build_part, page_output

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NO_SITE_URL = (
    "Cảnh báo: chưa có địa chỉ công khai của cổng (site_url trong mkdocs.yml hoặc --site-url), nên không "
    "tạo RSS và danh sách OPML (chúng cần địa chỉ tuyệt đối). Sửa: ghi 'site_url: https://…' vào mkdocs.yml."
)


def today_in_vietnam() -> date:
    """Return today's date in Asia/Ho_Chi_Minh (the default for --on)."""
    return datetime.now(VN_TZ).date()


@dataclass(frozen=True)
class Options:
    """What one build or check is asked to do."""

    content: Path = Path("content")
    units: Path = Path("units")
    out: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    today: date = field(default_factory=today_in_vietnam)
    strict: bool = False
    site_url: str | None = None
    search: bool = True
    jobs: int = field(default_factory=parallel.default_jobs)
    cache_dir: Path | None = DEFAULT_CACHE  # None: keep nothing between builds
    progress: bool = False
    unit: str | None = None  # build this unit's own site (needs site_url: its own address)
    with_subordinates: bool = False


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
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent in each stage

    def ok(self, strict: bool) -> bool:
        """Return True when nothing stops the build."""
        return self.failure is None and not self.problems.has_errors(strict)


def validate(options: Options, cache: Cache | None = None) -> Result:
    """Return the loaded portal, its obligations and compliance, and every problem found in the
    inputs (nothing is written). With a cache, unit folders whose files are unchanged are not read
    again, and the others are read by worker processes."""
    problems = Problems()
    trees: dict[str, str] = {}
    configured = limits.configured(options.config, problems)
    reader = read_folders if cache is None else _cached_reader(cache, options, trees, configured)
    portal = load_portal(options.content, options.units, options.today, problems, configured, reader)
    rules = load_rules(portal.units.values(), problems)
    every = [*portal.documents, *portal.drafts, *portal.scheduled]
    check_declarations(every, portal.units, rules, problems)
    start = compliance_start(options)
    compliance = evaluate(portal.units, portal.documents, rules, options.today, start)
    return Result(problems, portal, rules, compliance, trees=trees)


def _read_one(context: tuple[Units, date, Limits], folder: Path) -> tuple[list[Document], list[Problem]]:
    units, today, configured = context
    problems = Problems()
    return load_unit_documents(folder, units, problems, today, configured), problems.items


def _cached_reader(cache: Cache, options: Options, trees: dict[str, str], configured: Limits) -> UnitLoader:
    """Return a folder reader that takes unchanged units from `cache` and reads the rest in parallel."""
    base = digest("parse", code_fingerprint(), os.getcwd(), str(options.content.resolve()), configured)

    def read(folders: Sequence[Path], units: Units, today: date,
             limits: Limits) -> list[tuple[list[Document], list[Problem]]]:
        keys = []
        for folder in folders:
            trees[folder.name] = cache.hashes.tree(folder)
            keys.append(digest(base, folder.name, cache.hashes.of(units[folder.name].source), trees[folder.name]))
        found = [cache.load_parsed(folder.name, key) for folder, key in zip(folders, keys)]
        missing = [i for i, value in enumerate(found) if value is None]
        fresh = parallel.run(_read_one, [folders[i] for i in missing], (units, today, limits), options.jobs)
        for i, value in zip(missing, fresh):
            found[i] = value
            cache.store_parsed(folders[i].name, keys[i], value)
        return found

    return read


def compliance_start(options: Options) -> date:
    """Return the first day the portal judges (`compliance_from` in mkdocs.yml, else 1 January two
    years before "today")."""
    value = None
    if options.config.exists():
        try:
            value = (read_config(options.config).extra.get("congkhai") or {}).get("compliance_from")
        except RenderError:
            value = None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return date(options.today.year - 2, 1, 1)


def build(options: Options, log: Callable[[str], None] = lambda _: None) -> Result:
    """Validate, plan and write the site; the output folder is replaced only when all succeeded."""
    started = time.monotonic()
    root = options.cache_dir
    if root is not None and options.unit:  # a unit's own site keeps its parts apart from the portal's
        root = root / f"don-vi-{options.unit}{'-truc-thuoc' if options.with_subordinates else ''}"
    cache = Cache(root)
    try:
        return _build(options, cache, log, started)
    finally:
        cache.close()


def _build(options: Options, cache: Cache, log: Callable[[str], None], started: float) -> Result:
    from ..site import engine as render
    from ..site import pages

    pages.use_bytecode_cache(cache.root / "templates")
    render.use_bytecode_cache(cache.root / "templates")
    mark = time.monotonic()
    result = validate(options, cache)
    result.timings["validate"] = time.monotonic() - mark
    mark = time.monotonic()
    if not result.ok(options.strict) or result.portal is None:
        return result
    try:
        output.check_target(options.out, [options.content, options.units, options.config.parent / "site_src"])
        config = read_config(options.config, options.site_url)
    except (output.OutputError, RenderError) as exc:
        result.failure = str(exc)
        return result
    settings = settings_of(config)
    banner = None
    refs = None
    if options.unit:
        try:
            portal, settings, banner = unit_site(result.portal, options, settings)
        except ValueError as exc:
            result.failure = str(exc)
            return result
        refs = references.resolve(result.portal.documents, result.portal.units)
    else:
        portal = result.portal
    search_plan = search.plan_search(portal, texts={}, scope=settings.scope) if options.search else None
    planner = Planner(portal, settings, result.rules, result.compliance, compliance_start(options), search_plan,
                      refs)
    ctx = BuildContext(
        portal=portal, planner=planner, rules=result.rules or Rules(), compliance=planner.site_compliance,
        config_file=options.config, today=options.today, site_url=config.site_url, site_name=settings.site_name,
        search_page=urls.SEARCH if options.search else None, search_plan=search_plan,
        feed_limit=int((config.extra.get("congkhai") or {}).get("feed_limit") or feeds.DEFAULT_LIMIT),
        cache=cache, render_key="", banner=banner,
    )
    ctx.render_key = render_key(options, config, cache)
    ctx.part_keys = keys.part_keys(ctx, result.trees)
    names = [ASSETS, PORTAL, *(code for code in portal.units if planner.in_scope(code))]
    outcomes: dict[str, PartOutcome] = {}
    for name in names:
        held = cache.lookup(name, ctx.part_keys[name])
        if held is not None:
            outcomes[name] = PartOutcome(name, held, True)
    missing = [name for name in names if name not in outcomes]
    if missing:
        kept = len(names) - len(missing)
        log(f"Đang dựng {len(missing)} phần của trang" + (f" ({kept} phần không đổi, lấy từ bộ nhớ đệm)…" if kept else "…"))
    progress = parallel.Progress(len(missing), "phần đã dựng") if options.progress and len(missing) > 1 else None
    try:
        for outcome in parallel.run(build_part, missing, ctx, options.jobs, progress):
            outcomes[outcome.name] = outcome
    except RenderError as exc:
        result.failure = str(exc)
        return result
    parts = [outcomes[name] for name in names]
    result.timings["parts"] = time.monotonic() - mark
    mark = time.monotonic()
    collect(parts, result)
    if result.problems.has_errors(False):  # e.g. live code in a finished page: publish nothing
        return result
    page_urls = [url for o in parts for url in sorted(o.meta.get("pages") or {})]
    entries = [o.entry for o in parts]
    entries.append(index_entry(parts, ctx, cache, page_urls))
    if not config.site_url:
        result.notes.append(NO_SITE_URL)
    result.timings["index"] = time.monotonic() - mark
    mark = time.monotonic()
    if search_plan is not None:
        texts = {url: page.get("blocks") or () for o in parts for url, page in (o.meta.get("pages") or {}).items()}
        try:
            found, _ = search.search_entries(search.plan_search(portal, texts, settings.scope), cache, options.jobs)
        except search.SearchError as exc:
            result.failure = str(exc)
            return result
        entries += found
        result.timings["search"] = time.monotonic() - mark
    mark = time.monotonic()
    wanted = wanted_files(entries)
    fresh = [rel for o in parts if not o.reused for rel in o.entry.files]
    if not options.strict and output.holds_exactly(options.out, wanted, fresh):
        result.unchanged = True
    else:
        staged = output.stage(options.out, wanted)
        try:
            broken = []
            if options.strict:  # every internal link and asset must resolve
                from . import links

                broken = links.check_site(staged, config.site_url)
                sources = {page_output(url): page["source"] for o in parts
                           for url, page in (o.meta.get("pages") or {}).items() if page.get("source")}
                links.report(broken, sources, options.out, result.problems)
            if options.strict and (broken or any(p.severity is Severity.WARNING for p in result.problems.items)
                                   or any(n.startswith("MkDocs") for n in result.notes)):
                result.failure = "Có cảnh báo khi dựng trang (chế độ --strict)."
                output.discard(staged)
                return result
            output.publish(staged, options.out, wanted)
        except BaseException:
            output.discard(staged)
            raise
    if result.unchanged or os.stat(cache.root).st_dev == os.stat(options.out).st_dev:  # hard links, not copies
        result.files = {rel: inode for rel, (_, inode) in wanted.items()}
    result.timings["publish"] = time.monotonic() - mark
    result.pages = len(page_urls)
    result.seconds = time.monotonic() - started
    result.parts_reused = sum(o.reused for o in parts)
    result.parts_built = len(parts) - result.parts_reused
    result.pages_rendered = sum(o.rendered_pages for o in parts)
    result.rebuilt = [o.name for o in parts if not o.reused]
    if portal.scheduled:
        result.notes.append(
            f"{len(portal.scheduled)} văn bản có ngày đăng sau {options.today.isoformat()} chưa được hiển thị (hẹn ngày đăng)."
        )
    return result


def unit_site(portal: Portal, options: Options, settings: SiteSettings) -> tuple[Portal, SiteSettings, dict[str, str]]:
    """Return the portal as a unit's own site sees it (its documents, and those of the units under it
    with --with-subordinates), its settings, and the banner that leads back to the shared portal.
    Raises ValueError (in Vietnamese) when the unit or an address is missing."""
    code = options.unit or ""
    if code not in portal.units:
        raise ValueError(f"không có đơn vị '{code}' trong units/. Sửa: dùng một mã có trong units/, ví dụ "
                         f"{', '.join(list(portal.units)[:3])}.")
    if not options.site_url:
        raise ValueError("trang riêng của một đơn vị cần địa chỉ công khai của nó. Sửa: thêm --site-url, ví dụ "
                         "--site-url https://truong.example.edu.vn/cong-khai/.")
    shared = read_config(options.config)
    if not shared.site_url:
        raise ValueError("trang riêng của một đơn vị liên kết về cổng chung, nên cần site_url của cổng chung trong "
                         "mkdocs.yml. Sửa: ghi 'site_url: https://…' vào mkdocs.yml.")
    unit = portal.units[code]
    scope = {code} | ({u.code for u in portal.units.ever_under(code)} if options.with_subordinates else set())
    visible = Portal(units=portal.units, documents=tuple(d for d in portal.documents if d.unit in scope),
                     today=portal.today)
    own = replace(settings, site_name=f"{unit.name} – thông tin công khai", site_url=options.site_url,
                  scope=frozenset(scope), portal_url=shared.site_url, portal_name=shared.site_name)
    day = portal.today if unit.active_on(portal.today) else (unit.active_until or portal.today)
    parent = unit.parent_on(day)
    banner = {"unit": unit.name, "portal_name": shared.site_name, "portal_url": shared.site_url,
              "parent_name": portal.units[parent].name if parent in portal.units else "",
              "parent_url": urls.absolute(shared.site_url, urls.unit_url(parent)) if parent in portal.units else "",
              "site_name": own.site_name}
    return visible, own, banner


def index_entry(parts: Sequence[PartOutcome], ctx: BuildContext, cache: Cache, page_urls: list[str]) -> Entry:
    """Return the entry of the files made from every part: the register and the root sitemap."""
    key = digest("index", ctx.render_key, ctx.today, [(p.name, ctx.part_keys[p.name]) for p in parts])
    held = cache.lookup("_index", key)
    if held is not None:
        return held
    scratch = cache.scratch()
    write_register([tuple(r) for p in parts for r in p.meta.get("register") or ()], ctx.today, scratch)
    if ctx.site_url:
        (scratch / "sitemap.xml").write_bytes(render_sitemap(page_urls, ctx.site_url))
    return cache.store("_index", key, scratch, {})


def render_key(options: Options, config: SiteConfig, cache: Cache) -> str:
    """Return the hash of what every rendered page depends on besides its own planned content: the
    code, the configuration, the theme overrides, the site address and whether search is on."""
    theme = cache.hashes.tree(config.theme_dir) if config.theme_dir else ""
    return digest("render", code_fingerprint(), options.config.read_bytes(), theme, config.site_url, options.search,
                  options.unit, options.with_subordinates)


def collect(outcomes: Sequence[PartOutcome], result: Result) -> None:
    """Add to `result` what the parts reported: unsafe HTML removed (a warning naming the file) and
    MkDocs' warnings."""
    unsourced: dict[tuple[str, ...], list[str]] = {}  # live code in pages no author wrote: the theme's
    for outcome in outcomes:
        pages = outcome.meta.get("pages") or {}
        for url, found in sorted((outcome.meta.get("live") or {}).items()):
            unsourced.setdefault(tuple(found), []).append(url)
        for url in sorted(pages):
            page = pages[url]
            if page.get("live") and page.get("source"):
                result.problems.error(page["source"], None, None, audit.message([url], page["live"]))
            elif page.get("live"):
                unsourced.setdefault(tuple(page["live"]), []).append(url)
            if page.get("removed"):
                result.problems.warning(
                    page.get("source") or url, None, None,
                    "nội dung có mã HTML không an toàn, đã bị loại bỏ khi đăng: " + ", ".join(page["removed"])
                    + ". Sửa: xóa các phần này khỏi tệp (cổng không cho phép script, khung nhúng, biểu mẫu, kiểu CSS "
                    "hay thuộc tính sự kiện; bảng, ảnh có mô tả và chữ định dạng vẫn dùng được).",
                )
            result.notes += page.get("warnings") or []
        result.notes += outcome.meta.get("warnings") or []
    for found, urls_of in sorted(unsourced.items()):
        result.problems.error("site_src/", None, None, audit.message(sorted(urls_of), list(found)))


def settings_of(config: SiteConfig) -> SiteSettings:
    """Return the planner's settings from the site configuration."""
    own = config.extra.get("congkhai") or {}
    return SiteSettings(
        site_name=config.site_name,
        site_url=config.site_url,
        sample_notice=own.get("sample_notice"),
        feeds=bool(config.site_url),
    )
