"""Planning the site's pages as plain data: one section per unit (its own navigation), plus the
portal-wide section. Nothing here knows MkDocs; `render` turns the plan into a site."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2

from .. import GUIDE
from ..kinds import KINDS, tin_tuc
from ..kinds.tin_tuc import AREAS
from ..model import references
from ..model.documents import Document, Status
from ..model.kind import Kind
from ..model.markup import TocEntry
from ..model.portal import Portal, newest_first
from ..model.problems import display_path
from ..model.text import (
    fold,
    format_amount,
    format_date,
    format_date_line,
    format_date_long,
    format_int,
    format_size,
)
from ..model.units import (
    AUTONOMY,
    OWNERSHIP,
    Indicator,
    Unit,
    UnitKind,
    unit_order,
)
from ..rules import views as compliance_view
from ..rules.compliance import DUE_SOON_DAYS, Check, Compliance, responsible_unit
from ..rules.deadlines import DEFAULT_POLICY, Policy
from ..rules.obligations import CERTAINTY, SELECT_BY, LegalText, Rules, RuleVersion
from . import urls
from .charts import Row, bar_chart
from .icons import icon
from .printing import PrintedAddress, printed_address
from .search import SearchScopes, bundle_path

PORTAL_SECTION = ""
LATEST_ON_HOME = 15
LATEST_PER_KIND = 5


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises (`<link rel="alternate">` and the visible RSS block)."""

    title: str
    url: str
    about: str = ""


@dataclass(frozen=True)
class PlannedPage:
    """One HTML page: its address, titles, and content (trusted HTML + Markdown).

    For documents, `markdown` is the author's body; `before_html` and `after_html` are the
    portal's own parts around it, added after the body is rendered (and sanitised).
    """

    url: str
    title: str
    markdown: str
    full_title: str
    html: str | None = None  # an author's body already converted and cleaned (then `markdown` is unused)
    toc: tuple[TocEntry, ...] = ()  # the table of contents of `html`
    description: str | None = None
    before_html: str = ""
    after_html: str = ""
    feeds: tuple[FeedLink, ...] = ()
    hide: tuple[str, ...] = ()
    nav_parent: str | None = None
    authored: bool = False
    source: Path | None = None
    toc_before: tuple[tuple[str, str], ...] = ()
    toc_after: tuple[tuple[str, str], ...] = ()
    search_scope: tuple[str, str, str] | None = None  # (unit code, unit name, bundle address)


@dataclass(frozen=True)
class PlannedFile:
    """A file of the site: copied from `source` (an attachment) or made by the planner (`content`)."""

    url: str
    source: Path | None = None
    content: bytes | None = None
    owner: str = ""  # who asks for it, as an error message names it ("content/…/x.md: tệp đính kèm 'a.pdf'")


@dataclass(frozen=True)
class NavEntry:
    """A navigation entry pointing at a planned page."""

    title: str
    url: str


@dataclass(frozen=True)
class Section:
    """A part of the site with its own navigation: a unit, or the portal-wide pages."""

    key: str
    title: str
    nav: tuple[NavEntry, ...]
    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...] = ()


@dataclass(frozen=True)
class SiteSettings:
    """What the planner needs from the site configuration."""

    site_name: str
    site_url: str | None = None
    sample_notice: str | None = None
    feeds: bool = True
    # A unit's own site (build --unit): the units it holds, and the shared portal its other links go to.
    scope: frozenset[str] | None = None
    portal_url: str | None = None
    portal_name: str | None = None


GUIDE_SOURCE = GUIDE


@functools.cache
def guide_text() -> str:
    """Return the authoring guide that ships with the project ("" when it is not there)."""
    return GUIDE_SOURCE.read_text(encoding="utf-8") if GUIDE_SOURCE.is_file() else ""


GUIDE_IMAGES = GUIDE_SOURCE.parent / "anh"  # the guide's screenshots, published beside it (huong-dan/anh/)


@functools.cache
def guide_images() -> tuple[Path, ...]:
    """Return the guide's images (docs/anh/*.png|jpg|webp), sorted."""
    if not GUIDE_IMAGES.is_dir():
        return ()
    return tuple(sorted(p for p in GUIDE_IMAGES.iterdir() if p.suffix.lower() in (".png", ".jpg", ".webp")))


@dataclass(frozen=True)
class SitePlan:
    """Every page, file and redirect of the site, grouped in sections."""

    sections: tuple[Section, ...]



_env = jinja2.Environment(
    loader=jinja2.PackageLoader("congkhai.site", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,
)


@jinja2.pass_context
def _href(ctx: jinja2.runtime.Context, to: str) -> str:
    planner = ctx.get("p")
    if planner is not None:
        return planner.link(ctx["here"], to)
    return urls.relative(ctx["here"], to)


@jinja2.pass_context
def _status_url(ctx: jinja2.runtime.Context, check: Check) -> str:
    """Where a status leads: the posting when there is one, else the unit's own account of the
    obligation (a function, not a macro: the matrix of a Sở calls it for every cell)."""
    if check.posting:
        posting = check.posting
        return _href(ctx, urls.document_url(posting.unit, posting.kind.folder, posting.slug))
    return _href(ctx, urls.compliance_url(check.unit)) + "#" + check.rule.slug


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _versions_of(checks: Iterable[Check]) -> list[Any]:
    return list(dict.fromkeys(c.version for c in checks))


_env.globals.update(
    href=_href, status_url=_status_url, urls=urls, KINDS=KINDS, Status=Status, versions_of=_versions_of,
    date_line=format_date_line,
    certainty=CERTAINTY, due_soon_days=DUE_SOON_DAYS, select_by=SELECT_BY,
    certainty_short={"text": "đã đối chiếu văn bản", "secondary": "cần đối chiếu thêm", "unverified": "giả định của cổng"},
    icon=icon, bar_chart=bar_chart, format_amount=format_amount,
    format_percent=lambda value: format_amount(value) + "%", rate_rows=lambda rates: rate_rows(rates),
)
_env.filters.update(
    dlong=format_date_long, dshort=format_date, size=format_size, money=format_int,
    amount=format_amount, capitalize_first=_capitalize_first,
    lower_first=lambda text: text[:1].lower() + text[1:],
)
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')


def headings(html_text: str) -> tuple[tuple[str, str], ...]:
    """Return (title, anchor) of each <h2 id> in trusted HTML, for the page's table of contents."""
    return tuple((html.unescape(re.sub(r"<[^>]+>", "", title)), anchor) for anchor, title in _H2.findall(html_text))


def use_bytecode_cache(folder: Path) -> None:
    """Keep the compiled page templates in `folder`, so a new process does not compile them again."""
    folder.mkdir(parents=True, exist_ok=True)
    _env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def render_template(name: str, **context: Any) -> str:
    """Return template `name` rendered with `context` (`here` is the page's own address)."""
    return _env.get_template(name).render(**context)


class Planner:
    """Plans the sections of one portal."""

    def __init__(self, portal: Portal, settings: SiteSettings, rules: Rules | None = None,
                 compliance: Compliance | None = None, compliance_start: date | None = None,
                 search: SearchScopes | None = None, refs: references.References | None = None,
                 policy: Policy = DEFAULT_POLICY) -> None:
        self.portal = portal
        self.policy = policy
        self.settings = settings
        self.today = portal.today
        self.refs = refs or references.resolve(portal.documents, portal.units)
        self.rules = rules or Rules()
        self.compliance = compliance or Compliance([], portal.today)
        self.compliance_start = compliance_start or portal.today
        self.search = search
        self.scope = settings.scope
        # The portal-wide pages of a unit's own site speak of its units only.
        self.site_compliance = self.compliance if self.scope is None else Compliance(
            [c for c in self.compliance.checks if c.unit in self.scope], self.compliance.today)

    def in_scope(self, code: str) -> bool:
        """Return True when the unit's pages are part of this site."""
        return self.scope is None or code in self.scope

    def link(self, here: str, to: str) -> str:
        """Return the link from page `here` to the site address `to`: relative inside this site; on a
        unit's own site, the shared portal's absolute address for the pages of the units it lacks."""
        head = to.split("/", 1)[0]
        if self.scope is not None and head in self.portal.units and head not in self.scope \
                and self.settings.portal_url:
            return urls.absolute(self.settings.portal_url, to)
        return urls.relative(here, to)

    def site_roots(self) -> list[Unit]:
        """Return the top of this site's unit tree today: active units whose supervisor is not in it."""
        if self.scope is None:
            return self.portal.units.roots_on(self.today)
        found = [u for u in self.portal.units.values() if u.code in self.scope and u.active_on(self.today)
                 and not (u.parent_on(self.today) in self.scope)]
        return sorted(found, key=unit_order)

    def site_children(self, code: str) -> list[Unit]:
        """Return the units directly under `code` today that this site holds."""
        return [u for u in self.portal.units.children_on(code, self.today) if self.in_scope(u.code)]

    def finder(self) -> dict[str, Any]:
        """Return the home page's unit finder: every active unit of the site (in tree order) with the
        words its name is found by (folded: without tone marks, đ as d), its communes and kinds; the
        communes and the kinds to choose from."""
        entries, communes, kinds = [], {}, {}
        order = list(self.site_roots())
        while order:
            unit = order.pop(0)
            order[0:0] = self.site_children(unit.code)
            chain = [unit.code, *self.portal.units.ancestors_on(unit.code, self.today)]
            places = [c for c in chain if self.portal.units[c].kind is UnitKind.XA]
            levels = unit.levels or (unit.kind,)
            names = [unit.name, unit.display_name, *(f.name for f in unit.former_names)]
            entries.append({"unit": unit, "words": " ".join(dict.fromkeys(fold(n).casefold() for n in names)),
                            "communes": places, "kinds": [k.code for k in levels],
                            "commune": self.unit(places[0]).display_name if places and places[0] != unit.code else ""})
            communes.update({c: self.unit(c).display_name for c in places})
            kinds.update({k.code: k.label for k in levels})
        return {"entries": {e["unit"].code: e for e in entries}, "roots": self.site_roots(), "communes": sorted(communes.items(), key=lambda kv: fold(kv[1])),
                "kinds": [(k.code, k.label) for k in UnitKind if k.code in kinds]}

    def site_dissolved(self) -> list[Unit]:
        """Return the dissolved units this site holds."""
        return [u for u in self.portal.units.dissolved_by(self.today) if self.in_scope(u.code)]

    # Helpers used by templates -------------------------------------------------------------

    def unit(self, code: str) -> Unit:
        """Return the unit with `code`."""
        return self.portal.units[code]

    def letterhead_parent(self, unit: Unit, day: date) -> str | None:
        """Return the parent body a document's letterhead names above the issuer (NĐ 30/2020 Phụ lục I,
        "cơ quan chủ quản trực tiếp (nếu có)"): the unit's administrative superior on `day`; none for a
        People's Committee, whose letterhead is its own name ("ỦY BAN NHÂN DÂN / PHƯỜNG …")."""
        if unit.kind is UnitKind.XA:
            return None
        return self.portal.units.parent_body_on(unit.code, day)

    def texts_of(self, version: RuleVersion) -> list[LegalText]:
        """Return the legal texts a rule version rests on, as the rules file lists them."""
        return [self.rules.texts[t] for t in version.texts if t in self.rules.texts]

    def crumbs(self, unit: Unit, day: date | None = None) -> list[tuple[str, str]]:
        """Return (title, url) from the portal home down to `unit`, through its supervisors on `day`."""
        day = day or (self.today if unit.active_on(self.today) else (unit.active_until or self.today))
        chain = [self.unit(c) for c in reversed(self.portal.units.ancestors_on(unit.code, day))]
        return [("Trang chủ", urls.HOME)] + [(u.display_name, urls.unit_url(u.code)) for u in chain + [unit]]

    def printed(self, here: str) -> PrintedAddress | None:
        """Return the address printed at the foot of page `here` (text and QR code)."""
        return printed_address(self.settings.site_url, here)

    def feed_links(self, unit: Unit | None = None, kind: Kind | None = None) -> tuple[FeedLink, ...]:
        """Return the feeds a page advertises: the portal's, its unit's, and its unit's kind's."""
        if not self.settings.feeds:
            return ()
        links = [FeedLink(f"{self.settings.site_name} – mọi văn bản mới", urls.PORTAL_FEED,
                          "mọi văn bản mới của cổng")]
        if unit is not None:
            links.append(FeedLink(f"{unit.name} – văn bản mới", urls.unit_feed(unit.code),
                                  "văn bản của đơn vị và các đơn vị trực thuộc"))
        if unit is not None and kind is not None:
            links.append(FeedLink(f"{kind.label} – {unit.name}", urls.listing_feed(unit.code, kind.folder),
                                  f"chỉ {kind.lower} của đơn vị"))
        return tuple(links)

    def home_feed_block(self) -> tuple[FeedLink, ...]:
        """Return the feeds listed on the portal home."""
        if not self.settings.feeds:
            return ()
        return (
            FeedLink("Mọi văn bản mới của cổng", urls.PORTAL_FEED),
            FeedLink("Danh sách kênh của mọi đơn vị (OPML)", urls.PORTAL_OPML,
                     "nhập một lần vào ứng dụng đọc tin để theo dõi tất cả các đơn vị"),
        )

    def unit_feed_block(self, unit: Unit) -> tuple[FeedLink, ...]:
        """Return the feeds listed in a unit's visible "Theo dõi (RSS)" block."""
        if not self.settings.feeds:
            return ()
        links = [FeedLink(f"Mọi văn bản của {unit.display_name}", urls.unit_feed(unit.code),
                          "kể cả các đơn vị trực thuộc")]
        links += [FeedLink(kind.label, urls.listing_feed(unit.code, kind.folder)) for kind in KINDS]
        links.append(FeedLink("Danh sách kênh (OPML)", urls.unit_opml(unit.code),
                              "nhập một lần vào ứng dụng đọc tin để theo dõi đơn vị và mọi đơn vị trực thuộc"))
        links.append(FeedLink("Mọi văn bản của cổng", urls.PORTAL_FEED))
        return tuple(links)

    def common(self, here: str) -> dict[str, Any]:
        """Return the context every template gets."""
        return {"here": here, "p": self, "today": self.today, "settings": self.settings, "policy": self.policy}

    # The plan ---------------------------------------------------------------------------------

    def portal_section(self, extra_pages: Iterable[PlannedPage]) -> Section:
        """Return the portal-wide section: home and hand-written pages."""
        home = PlannedPage(
            url=urls.HOME,
            title="Trang chủ",
            full_title=self.settings.site_name,
            markdown=render_template(
                "home.html", **self.common(urls.HOME),
                latest=self.portal.latest(LATEST_ON_HOME),
                finder=self.finder(),
                dissolved=self.site_dissolved(),
                feeds=self.home_feed_block(),
            ),
            description=f"{self.settings.site_name}: văn bản công khai của các đơn vị.",
            feeds=self.feed_links(),
            hide=("toc",),
        )
        areas = self.area_pages()
        duties = self.obligation_pages()
        finder = [self.search_page()] if self.search is not None else []
        guide = [self.guide_page()] if self.settings.scope is None and guide_text() else []
        pages = [home, *duties, *areas, *finder, *guide, self.accessibility_page(), *extra_pages]
        nav = tuple(NavEntry(p.title, p.url) for p in [home, duties[0], areas[0], *finder, *guide, *extra_pages])
        images = tuple(PlannedFile(f"{urls.GUIDE}anh/{p.name}", source=p) for p in guide_images()) if guide else ()
        return Section(PORTAL_SECTION, self.settings.site_name, nav, tuple(pages), images)

    def guide_page(self) -> PlannedPage:
        """Return the authoring guide (docs/huong-dan-soan-thao.md) as a page of the portal."""
        return PlannedPage(
            url=urls.GUIDE,
            title="Hướng dẫn soạn thảo",
            full_title="Hướng dẫn soạn thảo và đăng văn bản",
            markdown=guide_text(),
            description="Hướng dẫn cán bộ nhà trường soạn, kiểm tra và đăng văn bản lên cổng công khai.",
            feeds=self.feed_links(),
        )

    def accessibility_page(self) -> PlannedPage:
        """Return the accessibility statement: what the portal meets, how it was tested, how to report
        a barrier (to the unit at the top of the site, whose contacts it gives)."""
        roots = self.site_roots()
        return PlannedPage(
            url=urls.ACCESSIBILITY,
            title="Khả năng tiếp cận",
            full_title="Tuyên bố về khả năng tiếp cận",
            markdown=render_template("accessibility.html", **self.common(urls.ACCESSIBILITY),
                                     contact=roots[0] if roots else None),
            description="Cổng đáp ứng những gì để mọi người đọc được, đã kiểm tra ra sao, và cách báo một trở ngại.",
            feeds=self.feed_links(),
            hide=("toc",),
        )

    def search_page(self) -> PlannedPage:
        """Return the search page: every filter and sort order, with a way on when JavaScript is off."""
        assert self.search is not None
        units = []

        def walk(children: list[Unit], depth: int) -> None:
            for child in children:
                units.append((child, depth, self.search.bundle_of(child.code)))
                walk(self.site_children(child.code), depth + 1)

        walk(self.site_roots(), 0)
        units += [(u, 0, self.search.bundle_of(u.code)) for u in self.site_dissolved()]
        years = sorted({(d.date or d.posted).year for d in self.portal.documents}, reverse=True)
        return PlannedPage(
            url=urls.SEARCH,
            title="Tìm kiếm",
            full_title="Tìm kiếm văn bản",
            markdown=render_template("search.html", **self.common(urls.SEARCH), units=units, years=years,
                                     bundle_path=bundle_path, lean=not self.search.full_text("")),
            description="Tìm văn bản công khai theo từ khóa, đơn vị, loại và năm; gõ có dấu hoặc không dấu.",
            feeds=self.feed_links(),
            hide=("toc",),
        )

    def obligation_pages(self) -> list[PlannedPage]:
        """Return the portal summary of obligations and one page per obligation."""
        rules = list(self.rules)
        index = PlannedPage(
            url=urls.OBLIGATIONS_INDEX,
            title="Nghĩa vụ công khai",
            full_title="Nghĩa vụ công khai và tỷ lệ đăng đúng hạn",
            markdown=render_template(
                "obligations.html", **self.common(urls.OBLIGATIONS_INDEX),
                counts=compliance_view.counts(self.site_compliance.checks),
                rates=compliance_view.rates_by_kind_and_year(self.site_compliance, self.portal.units),
                national=[r for r in rules if r.imposed_by is None], local=[r for r in rules if r.imposed_by],
                start=self.compliance_start,
            ),
            description="Các nghĩa vụ công khai theo quy định và tình hình thực hiện của các đơn vị.",
            feeds=self.feed_links(),
            hide=("toc",),
        )
        pages = [index]
        for rule in rules:
            here = urls.obligation_url(rule.slug)
            by_unit: dict[str, list[Check]] = {}
            for check in self.site_compliance.of_rule(rule.id):
                by_unit.setdefault(check.unit, []).append(check)
            rows = [now for unit, found in sorted(by_unit.items(), key=lambda kv: unit_order(self.unit(kv[0])))
                    if (now := compliance_view.current(found, self.today)) is not None]
            feeds = self.feed_links() + ((FeedLink(f"{rule.title} – RSS", urls.obligation_feed(rule.slug)),)
                                         if self.settings.feeds else ())
            pages.append(PlannedPage(
                url=here,
                title=rule.short,
                full_title=f"{rule.title} – nghĩa vụ công khai",
                markdown=render_template("obligation.html", **self.common(here), rule=rule, rows=rows),
                description=rule.summary,
                feeds=feeds,
                nav_parent=urls.OBLIGATIONS_INDEX,
            ))
        return pages

    def compliance_page(self, unit: Unit) -> PlannedPage:
        """Return a unit's "Tình hình công khai": its checks, its subordinates' matrix, upcoming deadlines."""
        here = urls.compliance_url(unit.code)
        checks = self.compliance.of_unit(unit.code)
        feeds = self.feed_links(unit)
        if self.settings.feeds:
            feeds += (FeedLink(f"{unit.name} – quá hạn công khai", urls.overdue_feed(unit.code)),)
        matrix = compliance_view.matrix(self.compliance, self.portal.units, self.rules, unit.code)
        return PlannedPage(
            url=here,
            title="Tình hình công khai",
            full_title=f"Tình hình công khai – {unit.name}",
            markdown=render_template(
                "compliance.html", **self.common(here), unit=unit, checks=checks,
                counts=compliance_view.counts(checks),
                matrix=matrix,
                upcoming=self.compliance.upcoming(unit.code),
                by_rule=compliance_view.by_rule(checks, self.rules),
                assumed=any(c.assumed for c in checks),
                imposed=[r for r in self.rules if r.imposed_by == unit.code],
                responsible=self._responsible(unit),
            ),
            description=f"Tình hình thực hiện các nghĩa vụ công khai của {unit.name}.",
            feeds=feeds,
            hide=("toc", "navigation") if matrix else ("toc",),  # the matrix takes the whole width
        )

    def _responsible(self, unit: Unit) -> Unit | None:
        """Return the unit that must act today for a unit that no longer exists (None otherwise)."""
        if unit.active_on(self.today):
            return None
        code = responsible_unit(unit, self.portal.units, self.today)
        return self.portal.units[code] if code else None

    def area_pages(self) -> list[PlannedPage]:
        """Return the index of reform areas and one page per area listing the news of the whole portal."""
        news = sorted((d for d in self.portal.documents if d.kind is tin_tuc.KIND and d.is_current and d.details),
                      key=newest_first)
        by_area = {key: [d for d in news if any(a.key == key for a in d.details.areas)] for key in AREAS}
        index = PlannedPage(
            url=urls.AREAS_INDEX,
            title="Cải cách hành chính",
            full_title="Tin cải cách hành chính theo lĩnh vực",
            markdown=render_template("areas.html", **self.common(urls.AREAS_INDEX), areas=AREAS, by_area=by_area,
                                     untagged=[d for d in news if not d.details.areas]),
            description="Tin cải cách hành chính của mọi đơn vị, theo sáu lĩnh vực.",
            feeds=self.feed_links(),
        )
        pages = [index]
        for key, area in AREAS.items():
            here = urls.area_url(key)
            pages.append(PlannedPage(
                url=here,
                title=area.label,
                full_title=f"{area.label} – tin cải cách hành chính",
                markdown=render_template("area.html", **self.common(here), area=area, docs=by_area[key]),
                description=f"Tin về {area.label.lower()} của các đơn vị trên cổng.",
                feeds=self.feed_links(),
                nav_parent=urls.AREAS_INDEX,
            ))
        return pages

    def unit_section(self, unit: Unit) -> Section:
        """Return a unit's section: its home, one listing per kind, and its documents."""
        here = urls.unit_url(unit.code)
        docs = self.portal.of_unit(unit.code)
        latest = {
            kind: self.portal.of_unit(unit.code, kind, current_only=True)[:LATEST_PER_KIND] for kind in KINDS
        }
        counts = {kind: len(self.portal.of_unit(unit.code, kind, current_only=True)) for kind in KINDS}
        home = PlannedPage(
            url=here,
            title=unit.display_name,
            full_title=unit.name,
            markdown=render_template(
                "unit.html", **self.common(here), unit=unit, latest=latest, counts=counts,
                feeds=self.unit_feed_block(unit),
                children=self.portal.units.children_on(unit.code, self.today),
                indicators=[(ind, indicator_rows(ind)) for ind in unit.indicators],
                duty_counts=compliance_view.counts(self.compliance.of_unit(unit.code)),
                former_children=self.portal.units.former_children(unit.code, self.today),
                guided=self.portal.units.sector_children_on(unit.code, self.today),
                ownership_label=_capitalize_first(OWNERSHIP[unit.ownership_or_default]),
                autonomy_label=AUTONOMY.get(unit.autonomy or ""),
            ),
            description=unit.description or f"{unit.name}: văn bản công khai.",
            feeds=self.feed_links(unit),
        )
        duties = self.compliance_page(unit)
        pages = [home, duties]
        nav = [NavEntry(unit.display_name, here), NavEntry(duties.title, duties.url)]
        for kind in KINDS:
            listing = self.listing_page(unit, kind)
            pages.append(listing)
            nav.append(NavEntry(f"{kind.label} ({counts[kind]})", listing.url))
        files: list[PlannedFile] = []
        for doc in docs:
            pages.append(self.document_page(doc))
            files += self.document_files(doc)
        if self.search is not None:
            scope = (unit.code, unit.display_name, bundle_path(self.search.bundle_of(unit.code)))
            pages = [replace(page, search_scope=scope) for page in pages]
        return Section(unit.code, unit.name, tuple(nav), tuple(pages), tuple(files))

    def document_files(self, doc: Document) -> list[PlannedFile]:
        """Return the files published with a document: its attachments and what its kind adds (a news
        item's picture, a budget table as CSV)."""
        here = lambda name: urls.attachment_url(doc.unit, doc.kind.folder, doc.slug, name)
        source = display_path(doc.source)
        files = [PlannedFile(here(a.file.name), a.file.path, owner=f"{source}: tệp đính kèm '{a.file.written}'")
                 for a in doc.attachments]
        return files + [PlannedFile(here(f.name), f.source, f.content, f"{source}: tệp '{f.name}' do cổng tạo")
                        for f in doc.kind.files(doc)]

    def listing_page(self, unit: Unit, kind: Kind) -> PlannedPage:
        """Return a unit's listing of one kind: current documents newest first, grouped by year."""
        here = urls.listing_url(unit.code, kind.folder)
        docs = self.portal.of_unit(unit.code, kind)
        current = sorted((d for d in docs if d.is_current), key=_issued_newest_first)
        years = [(year, list(group)) for year, group in groupby(current, key=lambda d: d.date.year)]
        withdrawn = [d for d in docs if d.status is Status.WITHDRAWN]
        groups = kind.groups(current) if kind.groups else None
        return PlannedPage(
            url=here,
            title=kind.label,
            full_title=f"{kind.label} – {unit.name}",
            markdown=render_template(
                "listing.html", **self.common(here), unit=unit, kind=kind, years=years,
                withdrawn=withdrawn, count=len(current), groups=groups,
            ),
            description=f"{kind.label} của {unit.name}.",
            feeds=self.feed_links(unit, kind),
        )

    def document_page(self, doc: Document) -> PlannedPage:
        """Return a document's page: the portal's header and footer around the author's body."""
        here = urls.document_url(doc.unit, doc.kind.folder, doc.slug)
        unit = self.unit(doc.unit)
        successor = self.portal.document(doc.superseded_by) if doc.superseded_by else None
        replaces = self.portal.replaced_by(doc.key)
        context = dict(
            **self.common(here), doc=doc, unit=unit, successor=successor, replaces=replaces,
            citations=self.refs.of(doc),
            implementing=[d for d in self.refs.implementing(doc) if self.in_scope(d.unit)], **self.kind_context(doc),
        )
        before = render_template("document_head.html", **context)
        after = render_template("document_foot.html", **context)
        return PlannedPage(
            url=here,
            title=doc.title,
            full_title=f"{doc.title} – {unit.display_name}",
            markdown="",
            html=doc.rendered.html,
            toc=doc.rendered.toc,
            before_html=before,
            after_html=after,
            toc_before=headings(before),
            toc_after=headings(after),
            description=doc.description,
            feeds=self.feed_links(unit, doc.kind),
            nav_parent=urls.listing_url(doc.unit, doc.kind.folder),
            authored=True,
            source=doc.source,
        )


    def kind_context(self, doc: Document) -> dict[str, Any]:
        """Return what a kind's template needs beyond the document itself, and its banner and facts."""
        return {**doc.kind.context(doc), "banner": doc.kind.banner(doc, self.today),
                "facts": doc.kind.facts(doc, self.today),
                "file_url": lambda name: urls.attachment_url(doc.unit, doc.kind.folder, doc.slug, name)}


def indicator_rows(indicator: Indicator) -> list[tuple[str, list[Decimal | None]]]:
    """Return each year of an indicator with its target and result, as a chart's rows."""
    return [(f"Năm {v.year}", [v.target, v.result]) for v in indicator.values]


def rate_rows(rates: list[tuple[str, list[compliance_view.Rate]]]) -> list[Row]:
    """Return the on-time rates (per kind of unit and year) as a chart's rows: the share in percent (to one
    decimal), written as the table writes it with the counts ("92% (11/12)")."""
    return [(f"{label} – {rate.label}", [Decimal(f"{rate.percent:.1f}")], [f"{rate.percent:.0f}% ({rate.on_time}/{rate.due})"])
            for label, rates_of in rates for rate in rates_of]


def _issued_newest_first(doc: Document) -> tuple[int, str]:
    return (-(doc.date or doc.posted).toordinal(), doc.key)

