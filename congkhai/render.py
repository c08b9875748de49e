"""The MkDocs edge: the only module that imports MkDocs. It turns a SitePlan into HTML with
Material for MkDocs; every page is handed over as a generated file (nothing is written into
content/ or units/), and each section's pages get that section's own navigation."""

from __future__ import annotations

import html
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from . import urls
from .pages import PlannedPage, Section, SitePlan

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

HtmlCleaner = Callable[[str, str], str]


class RenderError(Exception):
    """MkDocs could not build the site; the message says why."""


@dataclass(frozen=True)
class SiteConfig:
    """What the rest of the generator needs from mkdocs.yml."""

    path: Path
    site_name: str
    site_url: str | None
    extra: dict[str, Any]


def read_config(config_file: Path, site_url: str | None = None) -> SiteConfig:
    """Return the settings of `config_file`; raises RenderError when it is not a valid MkDocs config."""
    with _quiet_mkdocs() as records, tempfile.TemporaryDirectory() as empty:
        (Path(empty) / "docs").mkdir()
        try:
            config = _load(config_file, Path(empty) / "docs", Path(empty) / "site", site_url)
        except (ConfigurationError, MkDocsException, OSError) as exc:
            details = "; ".join(r.getMessage() for r in records) or str(exc)
            raise RenderError(f"{config_file}: cấu hình MkDocs không hợp lệ: {details}") from None
    extra = dict(config.extra or {})
    return SiteConfig(config_file, config.site_name, config.site_url or None, extra)


def _load(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str | None) -> MkDocsConfig:
    overrides: dict[str, Any] = {"docs_dir": str(docs_dir), "site_dir": str(site_dir)}
    if site_url:
        overrides["site_url"] = site_url
    return load_config(str(config_file), **overrides)


def render(
    plan: SitePlan,
    config_file: Path,
    out_dir: Path,
    today: date,
    *,
    site_url: str | None = None,
    sections: Sequence[str] | None = None,
    theme_assets: bool = True,
    clean_html: HtmlCleaner | None = None,
    search_page: str | None = None,
) -> list[str]:
    """Build the planned `sections` (all when None) into `out_dir`; return MkDocs' warnings.

    Raises RenderError when MkDocs fails.
    """
    chosen = [s for s in plan.sections if sections is None or s.key in sections]
    epoch = int(datetime.combine(today, time(0, 0), VN_TZ).timestamp())
    with _quiet_mkdocs() as records, tempfile.TemporaryDirectory() as empty, _env("SOURCE_DATE_EPOCH", str(epoch)):
        try:
            config = _load(config_file, Path(empty), out_dir, site_url)
            own = dict(config.extra.get("congkhai") or {})
            own["search_page"] = search_page
            config.extra["congkhai"] = own
            config.theme.static_templates.discard("sitemap.xml")  # the pipeline writes its own sitemaps
            config.plugins["congkhai"] = _PlanPlugin(chosen, theme_assets, clean_html)
            mkdocs_build(config)
        except (ConfigurationError, MkDocsException) as exc:
            details = "; ".join(r.getMessage() for r in records if r.levelno >= logging.ERROR) or str(exc)
            raise RenderError(f"MkDocs không dựng được trang: {details}") from None
    return [f"MkDocs: {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]


class _PlanPlugin(BasePlugin):
    """Feeds the planned pages to MkDocs and gives every page its section's navigation."""

    def __init__(self, sections: Sequence[Section], theme_assets: bool, clean_html: HtmlCleaner | None) -> None:
        super().__init__()
        self.sections = sections
        self.theme_assets = theme_assets
        self.clean_html = clean_html
        self.planned: dict[str, PlannedPage] = {}
        self.section_of: dict[str, str] = {}
        for section in sections:
            for page in section.pages:
                self.planned[page.url] = page
                self.section_of[page.url] = section.key
        self.navs: dict[str, Navigation] = {}
        self.pages: dict[str, Page] = {}
        self._lit: Page | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        kept = Files([f for f in files if self.theme_assets and not f.is_documentation_page()])
        for section in self.sections:
            for page in section.pages:
                kept.append(File.generated(config, urls.source_uri(page.url), content=page.markdown))
            for item in section.files:
                if item.content is not None:
                    kept.append(File.generated(config, item.url, content=item.content))
                else:
                    kept.append(File.generated(config, item.url, abs_src_path=str(item.source)))
        return kept

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        for file in files.documentation_pages():
            page = file.page if file.page is not None else Page(None, file, config)
            page.parent = None
            page.previous_page = None
            page.next_page = None
            self.pages[page.url] = page
        home = self.pages.get(urls.HOME)
        for section in self.sections:
            items = [self.pages[entry.url] for entry in section.nav if entry.url in self.pages]
            for entry, item in zip(section.nav, items):
                item.title = html.escape(entry.title)
            section_nav = Navigation(items, items)
            section_nav.homepage = home
            self.navs[section.key] = section_nav
        return self.navs.get("", Navigation([], []))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned[page.url]
        page.meta = {
            "title": html.escape(planned.title),
            "congkhai_title": html.escape(f"{planned.full_title} – {config.site_name}")
            if planned.url else html.escape(config.site_name),
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
        return markdown

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned[page.url]
        if planned.authored and self.clean_html is not None:
            content = self.clean_html(content, str(planned.source))
        if planned.toc_before or planned.toc_after:
            before = [AnchorLink(title, anchor, 2) for title, anchor in planned.toc_before]
            after = [AnchorLink(title, anchor, 2) for title, anchor in planned.toc_after]
            page.toc = TableOfContents(before + list(page.toc) + after)
        return planned.before_html + content + planned.after_html

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
        return output


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
