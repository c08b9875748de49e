"""The MkDocs edge: the only module that imports MkDocs. It turns a SitePlan into HTML with
Material for MkDocs; every page is handed over as a generated file (nothing is written into
content/ or units/), and each section's pages get that section's own navigation."""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import types
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import jinja2
import markupsafe
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..config import Settings
from ..model.markup import TocEntry, render_trusted
from ..model.text import midnight
from . import urls
from .audit import CONTENT_SECURITY_POLICY, live_code
from .chrome import SharedChrome
from .printing import fill_qr_codes
from .pages import PlannedPage, Section, SitePlan


class RenderError(Exception):
    """MkDocs could not build the site; the message says why."""


def _load(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str | None) -> MkDocsConfig:
    overrides: dict[str, Any] = {"docs_dir": str(docs_dir), "site_dir": str(site_dir)}
    if site_url:
        overrides["site_url"] = site_url
    return load_config(str(config_file), **overrides)


@dataclass
class PageReport:
    """What rendering one page found: MkDocs' warnings, and anything in the finished page that could run."""

    warnings: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)  # what in the finished page could run (audit.py): must stay empty


@dataclass
class RenderReport:
    """Per-page reports of one render, and the warnings no page can be blamed for."""

    pages: dict[str, PageReport] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _theme_stamp(custom: Path | None) -> tuple[tuple[str, int], ...]:
    """Return the name and modification time of every file of the theme overrides (custom_dir), so that
    a process building twice (tests, the preview) never renders with templates compiled before an edit."""
    if custom is None or not custom.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in custom.rglob("*") if p.is_file()))


class _ListingCache(jinja2.FileSystemLoader):
    """The theme's loader, listing its folders once instead of at every build."""

    def __init__(self, loader: jinja2.FileSystemLoader) -> None:
        super().__init__(loader.searchpath, loader.encoding, loader.followlinks)
        self._listing: list[str] | None = None
        self.assets = True  # MkDocs lists templates only to find the theme's static files

    def list_templates(self) -> list[str]:
        if not self.assets:
            return []
        if self._listing is None:
            self._listing = super().list_templates()
        return list(self._listing)


class Engine:
    """MkDocs with Material for one portal configuration. Its configuration is loaded and its theme's
    templates compiled once per process (the fixed cost of every MkDocs build; parts of the site are
    rendered one after another in the same process), again only when mkdocs.yml, the site address
    or a file of the theme overrides changes. `templates` keeps the compiled templates on disk for
    the next process; `live` (the preview) checks the templates for edits at every render."""

    def __init__(self, templates: Path | None = None, live: bool = False) -> None:
        self._bytecode = None
        if templates is not None:
            templates.mkdir(parents=True, exist_ok=True)
            self._bytecode = jinja2.FileSystemBytecodeCache(str(templates))
        self.live = live  # the preview: templates checked for edits, parsed documents kept between builds
        self._key: tuple[object, ...] | None = None
        self._config: MkDocsConfig | None = None
        self._site_name = ""

    def _loaded(self, settings: Settings) -> MkDocsConfig:
        key = (str(settings.config_file.resolve()), settings.config_digest, settings.site_url,
               _theme_stamp(settings.theme_dir))
        if self._config is None or key != self._key:
            # MkDocs wants an existing docs folder to load its configuration, and only then: every page
            # comes from the plan (_PlanPlugin). An empty one, removed once loaded (one was left behind
            # in the temporary folder by every process that rendered).
            empty = Path(tempfile.mkdtemp(prefix="congkhai-docs-"))
            try:
                (empty / "docs").mkdir()
                config = _load(settings.config_file, empty / "docs", empty / "site", settings.site_url)
            finally:
                shutil.rmtree(empty, ignore_errors=True)
            config.theme.static_templates.discard("sitemap.xml")  # the pipeline writes its own sitemaps
            env = config.theme.get_env()
            if isinstance(env.loader, jinja2.FileSystemLoader):
                env.loader = _ListingCache(env.loader)
            env.bytecode_cache = self._bytecode
            env.auto_reload = self.live
            config.theme.get_env = lambda: env  # type: ignore[method-assign]
            config.plugins["congkhai"] = _PlanPlugin()  # one instance: MkDocs cannot unregister a plugin
            self._config, self._key, self._site_name = config, key, config.site_name
        return self._config

    def render(
        self,
        plan: SitePlan,
        settings: Settings,
        out_dir: Path,
        *,
        sections: Sequence[str] | None = None,
        only: Collection[str] | None = None,
        theme_assets: bool = True,
        not_found_page: bool = True,
        search_page: str | None = None,
        banner: dict[str, str] | None = None,
    ) -> RenderReport:
        """Build the planned `sections` (all when None) into `out_dir`; return what each page reported.

        Every page of the chosen sections takes part in their navigation, but only those in `only`
        (all when None) are written. The sections' files (attachments, tables) are not copied: they are
        present for link checking only, and the caller places them. Raises RenderError when MkDocs fails.
        """
        chosen = [s for s in plan.sections if sections is None or s.key in sections]
        epoch = int(midnight(settings.today).timestamp())
        report = RenderReport()
        with _quiet_mkdocs() as records, _env("SOURCE_DATE_EPOCH", str(epoch)):
            try:
                config = self._loaded(settings)
                config["site_dir"] = str(out_dir)
                own = dict(config.extra.get("congkhai") or {})
                own["search_page"] = search_page
                own["standalone"] = banner
                own["csp"] = CONTENT_SECURITY_POLICY
                config.extra["congkhai"] = own
                name = banner["site_name"] if banner else self._site_name
                # The theme prints the site name unescaped in places; a unit's name (its own site) is author text.
                config["site_name"] = markupsafe.Markup(html.escape(name, quote=True))
                templates = config.theme.static_templates
                if not_found_page:
                    templates.add("404.html")
                else:
                    templates.discard("404.html")
                loader = config.theme.get_env().loader
                if isinstance(loader, _ListingCache):
                    loader.assets = theme_assets
                plugin = config.plugins["congkhai"]
                assert isinstance(plugin, _PlanPlugin)
                plugin.prepare(chosen, theme_assets, only, report, records)
                mkdocs_build(config)
            except (ConfigurationError, MkDocsException) as exc:
                details = "; ".join(r.getMessage() for r in records if r.levelno >= logging.ERROR) or str(exc)
                raise RenderError(f"MkDocs không dựng được trang: {details}") from None
        report.warnings += [f"MkDocs: {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]
        return report


class _PlanPlugin(BasePlugin):
    """Feeds the planned pages to MkDocs and gives every page its section's navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.chrome = SharedChrome()

    def prepare(self, sections: Sequence[Section], theme_assets: bool, only: Collection[str] | None,
                report: RenderReport, records: list[logging.LogRecord]) -> None:
        """Set what the next build renders."""
        self.sections = sections
        self.theme_assets = theme_assets
        self.only = None if only is None else set(only)
        self.report = report
        self.records = records
        self._html = ""
        self._toc: tuple[TocEntry, ...] = ()
        self.planned: dict[str, PlannedPage] = {}
        self.section_of: dict[str, str] = {}
        for section in sections:
            for page in section.pages:
                self.planned[page.url] = page
                self.section_of[page.url] = section.key
        self.navs: dict[str, Navigation] = {}
        self.pages: dict[str, Page] = {}
        self._lit: Page | None = None
        self._mark = 0

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The theme's static files; not MkDocs' sitemap template (the build writes the sitemaps itself).
        kept = Files([f for f in files if self.theme_assets and not f.is_documentation_page()
                      and f.src_uri not in ("sitemap.xml", "sitemap.xml.gz")])
        for section in self.sections:
            for page in section.pages:
                # MkDocs converts nothing: the page's HTML comes from the plan (on_page_markdown)
                file = File.generated(config, urls.source_uri(page.url), content="")
                if self.only is not None and page.url not in self.only:
                    file.inclusion = InclusionLevel.EXCLUDED  # in the navigation, not written
                kept.append(file)
            for item in section.files:
                stand_in = File.generated(config, item.url, content=b"")
                stand_in.inclusion = InclusionLevel.EXCLUDED  # links to it resolve; the caller copies it
                kept.append(stand_in)
        return kept

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.chrome.reset()  # each build its own navigation and configuration
        self.chrome.install(env)
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        for file in files.documentation_pages(inclusion=lambda _: True):
            page = file.page if file.page is not None else Page(None, file, config)
            page.render = types.MethodType(_no_markdown, page)  # type: ignore[method-assign]
            page.parent = None
            page.previous_page = None
            page.next_page = None
            self.pages[page.url] = page
        home = self.pages.get(urls.HOME) or _Home()
        for section in self.sections:
            items = [self.pages[entry.url] for entry in section.nav if entry.url in self.pages]
            for entry, item in zip(section.nav, items):
                item.title = html.escape(entry.title)
            section_nav = Navigation(items, items)
            section_nav.homepage = home  # type: ignore[assignment]
            self.navs[section.key] = section_nav
        return self.navs.get(self.sections[0].key if self.sections else "", Navigation([], []))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned[page.url]
        self._mark = len(self.records)
        if planned.html is not None:  # an author's body, converted and cleaned when it was read
            self._html, self._toc = planned.html, planned.toc
        else:  # the portal's own Markdown: a page template's output, the guide
            self._html, self._toc = render_trusted(planned.markdown)
        page.meta = {
            "title": html.escape(planned.title),
            "congkhai_title": markupsafe.Markup(html.escape(planned.full_title) + " – " + config.site_name)
            if planned.url else config.site_name,
            "congkhai_feeds": [
                {"title": html.escape(f.title), "url": f.url} for f in planned.feeds
            ],
            "hide": list(planned.hide),
        }
        if planned.description:
            page.meta["description"] = html.escape(planned.description)
        if planned.search_scope:
            code, name, bundle = planned.search_scope
            page.meta["congkhai_search"] = {"scope": code, "name": html.escape(name), "bundle": bundle}
        return ""

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned[page.url]
        found = self.report.pages.setdefault(page.url, PageReport())
        found.warnings += [f"MkDocs: {r.getMessage()}" for r in self.records[self._mark:]
                           if r.levelno >= logging.WARNING]
        del self.records[self._mark:]  # blamed on this page, not on the whole render
        before = [AnchorLink(title, anchor, 2) for title, anchor in planned.toc_before]
        after = [AnchorLink(title, anchor, 2) for title, anchor in planned.toc_after]
        page.toc = TableOfContents(before + [_anchor(entry) for entry in self._toc] + after)
        return planned.before_html + self._html + planned.after_html

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
        context["nav"] = self.navs.get(self.section_of.get(page.url, ""), nav)
        planned = self.planned.get(page.url)
        if planned is not None and planned.nav_parent in self.pages:
            self._lit = self.pages[planned.nav_parent]
            self._lit.active = True
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._lit is not None:
            self._lit.active = False
            self._lit = None
        output = fill_qr_codes(output)
        self.report.pages.setdefault(page.url, PageReport()).live = live_code(output)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith(".html"):
            self.report.pages.setdefault(template_name, PageReport()).live = live_code(output_content)
        return output_content


def _no_markdown(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render without its Markdown pass: the plan brings every page's HTML (on_page_content)."""
    page.content = ""
    page.toc = TableOfContents([])
    page._title_from_render = None
    page.present_anchor_ids = set()


def _anchor(entry: TocEntry) -> AnchorLink:
    level, anchor_id, title, children = entry
    link = AnchorLink(title, anchor_id, level)
    link.children = [_anchor(child) for child in children]
    return link


class _Home:
    """The portal's home page as the navigation of a part without it sees it (only its address)."""

    url = urls.HOME
    title = "Trang chủ"
    is_homepage = True


@contextmanager
def _quiet_mkdocs() -> Iterator[list[logging.LogRecord]]:
    """Collect MkDocs' log records instead of printing them."""
    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("mkdocs")
    handler = _Collect(logging.WARNING)
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        logger.handlers, logger.propagate, _ = saved
        logger.setLevel(saved[2])


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
