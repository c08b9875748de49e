"""The site in parts, each built on its own and reused from the cache while its inputs are unchanged.

A part is one unit's folder (`/<unit>/…`: its pages, attachments, tables, feeds, OPML, calendar,
redirects and sitemaps), the portal-wide pages (home, obligations, reform areas, search, the
portal's feeds and OPML, the 404 page), the theme's assets, or the web editor (/quan-tri/, Decap
CMS's files and its configuration made from the kind registry). Parts are independent, so they are
built in worker processes; the register, the root sitemap and the search index are made once from
all of them.

Two keys decide what is rebuilt:

- a part's key hashes every input it can depend on (the code, configuration and theme; its own
  files and record and those of every unit above, below or linked to it; "today"). When it
  matches the cached entry, the part is reused without even being planned;
- otherwise the part is planned, and each page's key hashes its planned content and its section's
  shape: only the pages whose key changed go through MkDocs, the others are taken from the
  previous entry.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Settings
from ..model.portal import Portal
from ..model.problems import display_path
from ..model.units import Unit
from ..rules.compliance import Compliance
from ..rules.obligations import Rules
from ..site import calendars as ical
from ..site import embed, feeds, urls
from ..site.audit import live_code
from ..site.pages import Planner, Section, SitePlan
from ..site.register import record as register_record
from ..site.register import register_lines
from ..site.search import SearchScopes
from ..site.sitemaps import render_sitemap
from ..site.admin import AdminInputs
from .admin import DecapFiles, admin_part
from .cache import Cache, Entry, link_file
from .fingerprint import digest

ASSETS = "_assets"
PORTAL = "_portal"
ADMIN = "_admin"  # the web editor at /quan-tri/ (build.admin)
REGISTER = "register.jsonl"  # a unit part's register lines, kept aside in its entry (site.register)


@dataclass(frozen=True)
class PartOutcome:
    """A part ready to be placed: its cache entry, and what the pipeline collects from it."""

    name: str
    entry: Entry
    reused: bool
    rendered_pages: int = 0

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta


@dataclass
class BuildContext:
    """Everything a part is built from; set in the main process before the workers fork."""

    portal: Portal
    planner: Planner
    rules: Rules
    compliance: Compliance
    settings: Settings
    site_name: str
    search_page: str | None
    search_plan: SearchScopes | None  # the records are made after the pages (pipeline.search_work)
    cache: Cache
    render_key: str
    engine: Any  # site.engine.Engine (MkDocs is imported only where a page is really rendered)
    part_keys: dict[str, str] = field(default_factory=dict)
    banner: dict[str, str] | None = None  # a unit's own site: the way back to the shared portal
    admin: tuple[AdminInputs, DecapFiles] | None = None  # the web editor, when Decap is installed
    _feed_context: feeds.FeedContext | None = None

    @property
    def today(self) -> date:
        return self.settings.today

    @property
    def site_url(self) -> str | None:
        return self.settings.site_url

    @property
    def feed_limit(self) -> int:
        return self.settings.feed_limit

    def forget_feed_events(self) -> None:
        """Drop the feed events of the part built before (FeedContext.forget_events)."""
        if self._feed_context is not None:
            self._feed_context.forget_events()

    def feed_context(self) -> feeds.FeedContext:
        if self._feed_context is None:
            self._feed_context = feeds.FeedContext(self.portal, self.site_name, self.rules, self.compliance,
                                                    self.feed_limit)
        return self._feed_context


def page_output(url: str) -> str:
    """Return the file a page is written to, site-relative."""
    return url + "index.html"


def build_part(ctx: BuildContext, name: str) -> PartOutcome:
    """Return the part `name` (a unit code, PORTAL, ASSETS or ADMIN), from the cache when its key matches."""
    key = ctx.part_keys[name]
    found = ctx.cache.lookup(name, key)
    if found is not None:
        return PartOutcome(name, found, True)
    ctx.forget_feed_events()
    previous = ctx.cache.lookup(name, None)
    if name == ASSETS:
        return _build(ctx, name, key, [], {}, {}, previous, theme_assets=True, not_found_page=False)
    if name == ADMIN and ctx.admin is not None:
        extras, copies = admin_part(*ctx.admin)
        return _build(ctx, name, key, [], extras, copies, previous, theme_assets=False, not_found_page=False)
    if name == PORTAL:
        section = ctx.planner.portal_section(())
        copies = {item.url: item.source for item in section.files if item.source is not None}  # the guide's images
        return _build(ctx, name, key, [section], portal_extras(ctx, section), copies, previous, theme_assets=False,
                      not_found_page=True)
    unit = ctx.portal.units[name]
    section = ctx.planner.unit_section(unit)
    copies = {item.url: item.source for item in section.files if item.source is not None}
    extras = {item.url: item.content for item in section.files if item.content is not None}
    generated = unit_extras(ctx, unit, section)
    clashes = output_clashes(section, generated)
    extras.update(generated)
    documents = ctx.portal.of_unit(name)
    # The register's lines wait on disk, not in the memory of the process that collects every part.
    aside = {REGISTER: register_lines(register_record(d, ctx.portal, ctx.site_url) for d in documents)}
    meta: dict[str, Any] = {"register": len(documents)}
    if clashes:
        meta["clashes"] = clashes
    return _build(ctx, name, key, [section], extras, copies, previous, theme_assets=False, not_found_page=False,
                  meta=meta, aside=aside)


def _build(ctx: BuildContext, name: str, key: str, sections: list[Section], extras: dict[str, bytes],
           copies: dict[str, Path], previous: Entry | None, *, theme_assets: bool, not_found_page: bool,
           meta: dict[str, Any] | None = None, aside: dict[str, bytes] | None = None) -> PartOutcome:
    started = time.process_time()
    scratch = ctx.cache.scratch()
    site = scratch / "site"
    site.mkdir()
    held = (previous.meta.get("pages") or {}) if previous is not None else {}
    pages: dict[str, dict[str, Any]] = {}
    live: dict[str, list[str]] = {}  # files that are not planned pages (404, redirects, embeds) holding live code
    wanted: list[str] = []
    reused: list[str] = []
    for section in sections:
        shape = digest([p.url for p in section.pages], [f.url for f in section.files], section.nav)
        for page in section.pages:
            page_key = digest(ctx.render_key, shape, page)
            old = held.get(page.url)
            if old is not None and old.get("key") == page_key and previous is not None \
                    and page_output(page.url) in previous.files:
                reused.append(page_output(page.url))
                pages[page.url] = old
            else:
                wanted.append(page.url)
                pages[page.url] = {"key": page_key}
                if page.source is not None:
                    pages[page.url]["source"] = display_path(page.source)
    if wanted or theme_assets or not_found_page:
        report = ctx.engine.render(
            SitePlan(tuple(sections)), ctx.settings, site, only=wanted,
            theme_assets=theme_assets, not_found_page=not_found_page, search_page=ctx.search_page, banner=ctx.banner,
        )
        for url in wanted:
            found = report.pages.get(url)
            if found is not None:
                pages[url]["warnings"] = found.warnings
                if found.live:
                    pages[url]["live"] = found.live
        for template, found in report.pages.items():
            if template.endswith(".html") and found.live:
                live[template] = found.live
        part_warnings = report.warnings
    else:
        part_warnings = list((previous.meta.get("warnings") if previous else None) or [])
    for rel in reused:  # after MkDocs, which empties its output folder first
        link_file(previous.folder / "files" / rel, site / rel)
    held_files = (previous.meta.get("sources") or {}) if previous is not None else {}
    sources: dict[str, str] = {}
    for url, source in sorted(copies.items()):
        stamp = ctx.cache.hashes.of(source)
        sources[url] = stamp
        target = site / url
        if previous is not None and held_files.get(url) == stamp and url in previous.files:
            link_file(previous.folder / "files" / url, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for url, content in sorted(extras.items()):
        if url.endswith(".html") and (found := live_code(content)):
            live[url] = found
        target = site / url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    # CPU seconds this time, for the order of the next build's parts (pipeline.expected_seconds)
    info = dict(meta or {}, pages=pages, warnings=part_warnings, sources=sources,
                seconds=round(time.process_time() - started, 3))
    if live:
        info["live"] = live
    entry = ctx.cache.store(name, key, site, info, aside)
    shutil.rmtree(scratch, ignore_errors=True)
    return PartOutcome(name, entry, False, len(wanted))


def output_clashes(section: Section, generated: dict[str, bytes]) -> list[list[str]]:
    """Return [address, first owner, second owner] for every file of a part that two things would
    write: every output path is claimed once, and a second claim is an error naming both."""
    owners: dict[str, str] = {}
    clashes: list[list[str]] = []
    claims = [(page_output(p.url), f"{display_path(p.source)}: trang" if p.source else f"trang /{p.url}")
              for p in section.pages]
    claims += [(f.url, f.owner or f"tệp /{f.url}") for f in section.files]
    claims += [(url, f"tệp /{url} do cổng tạo (kênh RSS, danh sách, lịch, trang chuyển tiếp)") for url in generated]
    for path, owner in claims:
        if path in owners:
            clashes.append([path, owners[path], owner])
        else:
            owners[path] = owner
    return clashes


def unit_extras(ctx: BuildContext, unit: Unit, section: Section) -> dict[str, bytes]:
    """Return the files of a unit's folder that are not pages: feeds, OPML, calendar, redirects, sitemaps."""
    files: dict[str, bytes] = {}
    page_urls = [p.url for p in section.pages]
    if ctx.site_url:
        sources = feeds.feeds_of(ctx.feed_context(), unit)
        for source in sources:
            files[source.url] = feeds.render_feed(source, ctx.site_url, ctx.today, ctx.feed_limit)
        files[urls.unit_opml(unit.code)] = feeds.unit_opml(ctx.portal, unit, ctx.site_url)
        files[urls.json_feed(unit.code)] = embed.json_feed(ctx.feed_context(), unit, ctx.site_url)
        files.update(folder_sitemaps(page_urls, [s.url for s in sources], ctx.site_url))
    files[page_output(urls.embed_url(unit.code))] = embed.latest_page(ctx.portal, unit, ctx.site_url)
    files[urls.deadlines_calendar(unit.code)] = ical.render_calendar(
        unit, ctx.compliance.upcoming(unit.code), ctx.today, ctx.site_url)
    for doc in ctx.portal.of_unit(unit.code):
        for alias in doc.aliases:
            old = urls.document_url(doc.unit, doc.kind.folder, alias)
            files[page_output(old)] = redirect_page(old, urls.document_url(doc.unit, doc.kind.folder, doc.slug))
    return files


def portal_extras(ctx: BuildContext, section: Section) -> dict[str, bytes]:
    """Return the portal-wide files that are not pages: its feed, the obligation feeds, OPML, sitemaps."""
    files: dict[str, bytes] = {}
    if not ctx.site_url:
        return files
    sources = feeds.feeds_of(ctx.feed_context())
    for source in sources:
        files[source.url] = feeds.render_feed(source, ctx.site_url, ctx.today, ctx.feed_limit)
    files[urls.PORTAL_OPML] = feeds.portal_opml(ctx.portal, ctx.site_name, ctx.site_url, ctx.rules,
                                                ctx.planner.scope)
    files.update(folder_sitemaps([p.url for p in section.pages], [s.url for s in sources], ctx.site_url))
    return files


def folder_sitemaps(pages: Iterable[str], feed_urls: Iterable[str], site_url: str) -> dict[str, bytes]:
    """Return a sitemap for each folder holding a feed (not the site root), of the pages below it."""
    page_list = sorted(set(pages))
    out = {}
    for folder in sorted({u.rsplit("/", 1)[0] + "/" for u in feed_urls if "/" in u}):
        out[folder + "sitemap.xml"] = render_sitemap([p for p in page_list if p.startswith(folder)], site_url)
    return out


def redirect_page(old: str, target_url: str) -> bytes:
    """Return the small page at an old address that sends readers to the document's new address."""
    from html import escape

    target = urls.relative(old, target_url)
    return (
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>Văn bản đã chuyển địa chỉ</title><meta http-equiv=\"refresh\" content=\"0; url={escape(target)}\">"
        f"<link rel=\"canonical\" href=\"{escape(target)}\"></head>"
        f"<body><p>Văn bản đã chuyển sang <a href=\"{escape(target)}\">địa chỉ mới</a>.</p></body></html>\n"
    ).encode("utf-8")
