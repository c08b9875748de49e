"""RSS 2.0 feeds and OPML lists, planned as data and written with feedgen.

The feeds of the site are the families in FEED_FAMILIES, the registry the build uses: each family
says whether it belongs to the portal-wide part or to each unit's part, and yields FeedSource rows.
A new feed (the obligation feeds, say) is one more entry, not a copy of the writer or of the wiring.
"""

from __future__ import annotations

import html
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..kinds import KINDS
from ..model.documents import GUID_NAMESPACE, Document, Status
from ..model.markup import summary
from ..model.portal import Portal
from ..model.text import format_date, inert, midnight, strip_controls
from ..model.units import Unit, unit_order
from ..rules.compliance import Check, Compliance, Standing
from ..rules.obligations import Rules
from . import urls

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Enclosure:
    """A file offered with an item: its address, real size in bytes and MIME type."""

    url: str
    length: int
    mime: str


@dataclass(frozen=True)
class FeedEvent:
    """One item of news: a posting, a change note, a withdrawal, a missed deadline."""

    guid: str
    title: str
    link: str
    day: date
    summary: str
    creator: str
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()

    def sort_key(self) -> tuple[int, str]:
        """Return the key that orders items newest first, then by guid (stable)."""
        return (-self.day.toordinal(), self.guid)


@dataclass(frozen=True)
class FeedSource:
    """One feed to write: where, its channel texts, the page it belongs to, and its events."""

    url: str
    title: str
    description: str
    page: str
    events: tuple[FeedEvent, ...]


class FeedContext:
    """What the feed families draw on: the portal, its compliance, and each document's events,
    computed once."""

    def __init__(self, portal: Portal, site_name: str, rules: Rules | None = None,
                 compliance: Compliance | None = None, limit: int | None = None) -> None:
        self.portal = portal
        self.site_name = site_name
        self.rules = rules or Rules()
        self.compliance = compliance or Compliance([], portal.today)
        self._events: dict[str, list[FeedEvent]] = {}
        self.limit = limit  # items a feed shows; families may stop there
        self._overdue: dict[str, list[Check]] | None = None

    def overdue_under(self) -> dict[str, list[Check]]:
        """Return the overdue checks of each unit and of every unit overseeing it on the deadline, and
        of the unit that must act today (a dissolved unit's successor) and those overseeing it."""
        if self._overdue is None:
            self._overdue = {}
            units, today = self.portal.units, self.portal.today
            for check in self.compliance.overdue():
                day = check.deadline or today
                codes = [check.unit, *units.overseers_on(check.unit, day)]
                if check.responsible and check.responsible != check.unit:
                    codes += [check.responsible, *units.overseers_on(check.responsible, today)]
                for code in dict.fromkeys(codes):
                    self._overdue.setdefault(code, []).append(check)
        return self._overdue

    def forget_events(self) -> None:
        """Drop the events computed so far: a worker keeps them for one part (a unit's feeds and those
        of the units above it draw on the same documents), not for every part it builds, or its memory
        would grow with the portal."""
        self._events.clear()

    def events(self, docs: Iterable[Document], limit: int | None = None) -> tuple[FeedEvent, ...]:
        """Return the events of `docs`, newest first: only the newest `limit` when it is given (a feed
        shows no more), made from the documents that can have one of them and no others, so that a
        feed of the whole portal costs what it shows, not what the portal holds."""
        chosen = list(docs)
        if limit is not None and len(chosen) > limit:
            chosen = newest_documents(chosen, limit, self.portal.today)
        found: list[FeedEvent] = []
        for doc in chosen:
            if doc.key not in self._events:
                self._events[doc.key] = document_events(doc, self.portal)
            found.extend(self._events[doc.key])
        ordered = tuple(sorted(found, key=FeedEvent.sort_key))
        return ordered if limit is None else ordered[:limit]


def newest_event_day(doc: Document, today: date) -> date:
    """Return the day of a document's newest event (document_events): its posting, a change note or
    its withdrawal, whichever is latest, counting none after `today`."""
    newest = doc.posted
    for change in doc.changes:
        if newest < change.date <= today:
            newest = change.date
    if doc.status is Status.WITHDRAWN and doc.withdrawn and newest < doc.withdrawn.date <= today:
        newest = doc.withdrawn.date
    return newest


def newest_documents(docs: list[Document], limit: int, today: date) -> list[Document]:
    """Return the documents of `docs` (in their order) that may have one of the newest `limit` events
    among them: those whose newest event is no older than that of the `limit`-th newest document.
    Exact: those `limit` documents give at least `limit` events on or after that day, so every one
    of the newest `limit` events is on or after it, and a document whose events all come before it
    has none of them."""
    days = [newest_event_day(doc, today) for doc in docs]
    threshold = sorted(days, reverse=True)[limit - 1]
    return [doc for doc, day in zip(docs, days) if day >= threshold]


def _event_guid(doc: Document, suffix: str) -> str:
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, doc.identity + suffix)}"


def document_events(doc: Document, portal: Portal) -> list[FeedEvent]:
    """Return the news a document makes: its posting, each change note, and its withdrawal.

    Every event's guid derives from the document's identity, so editing a title or renaming the
    file (keeping the old name in `aliases`) never makes a reader show the posting twice.
    """
    unit = portal.units[doc.unit]
    creator = unit.name_on(doc.date or doc.posted)
    link = urls.document_url(doc.unit, doc.kind.folder, doc.slug)
    categories = (doc.kind.label, *doc.tags)
    lead = []
    if doc.number:
        lead.append(f"Số {doc.number}")
    if doc.date:
        lead.append(f"ngày {format_date(doc.date)}")
    text = summary(doc.rendered.lead, doc.description)
    body = (", ".join(lead) + ". " if lead else "") + text
    enclosures = tuple(
        Enclosure(urls.attachment_url(doc.unit, doc.kind.folder, doc.slug, a.file.name), a.file.size, a.file.type.mime)
        for a in doc.attachments
    )
    # The unit's name in every title: a feed of many schools lists the same titles ("Kế hoạch năm học…").
    title = f"{doc.title} – {unit.display_name}"
    events = [FeedEvent(doc.guid, title, link, doc.posted, body.strip(), creator, categories, enclosures)]
    seen: dict[date, int] = {}
    for change in sorted(doc.changes, key=lambda c: (c.date, c.note)):
        if change.date > portal.today:
            continue
        index = seen.get(change.date, 0)
        seen[change.date] = index + 1
        events.append(FeedEvent(
            _event_guid(doc, f"#change:{change.date.isoformat()}:{index}"),
            f"Cập nhật: {title}", link + "#lich-su-thay-doi", change.date,
            f"Ngày {format_date(change.date)}: {change.note}", creator, categories,
        ))
    if doc.status is Status.WITHDRAWN and doc.withdrawn and doc.withdrawn.date <= portal.today:
        events.append(FeedEvent(
            _event_guid(doc, "#withdrawn"), f"Thu hồi: {title}", link, doc.withdrawn.date,
            f"Văn bản đã bị thu hồi ngày {format_date(doc.withdrawn.date)}. Lý do: {doc.withdrawn.reason}",
            creator, categories,
        ))
    return events


def portal_feeds(ctx: FeedContext) -> Iterator[FeedSource]:
    """Yield the feed of every posting of the portal."""
    yield FeedSource(
        urls.PORTAL_FEED,
        f"{ctx.site_name} – văn bản mới",
        f"Mọi văn bản công khai mới đăng trên {ctx.site_name}.",
        urls.HOME,
        ctx.events(ctx.portal.documents, ctx.limit),
    )


def unit_feeds(ctx: FeedContext, units: Iterable[Unit] | None = None) -> Iterator[FeedSource]:
    """Yield each unit's feed: its postings and those of every unit under it on their dates."""
    for unit in ctx.portal.units.values() if units is None else units:
        yield FeedSource(
            urls.unit_feed(unit.code),
            f"{unit.name} – văn bản mới",
            f"Văn bản công khai của {unit.name} và các đơn vị trực thuộc (theo đơn vị quản lý tại ngày ban hành).",
            urls.unit_url(unit.code),
            ctx.events(ctx.portal.within(unit.code), ctx.limit),
        )


def kind_feeds(ctx: FeedContext, units: Iterable[Unit] | None = None) -> Iterator[FeedSource]:
    """Yield one feed per unit and kind."""
    for unit in ctx.portal.units.values() if units is None else units:
        for kind in KINDS:
            yield FeedSource(
                urls.listing_feed(unit.code, kind.folder),
                f"{kind.label} – {unit.name}",
                f"{kind.label} do {unit.name} công khai.",
                urls.listing_url(unit.code, kind.folder),
                ctx.events(ctx.portal.of_unit(unit.code, kind), ctx.limit),
            )


def _missed_day(check: Check, portal: Portal) -> date:
    return (check.deadline + timedelta(days=1)) if check.deadline and check.period else (check.deadline or portal.today)


def _missed_guid(check: Check) -> str:
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'missed:' + check.key)}"


def _missed_order(check: Check, portal: Portal) -> tuple[int, str]:
    """Return the order of a missed deadline's item among feed items (FeedEvent.sort_key)."""
    return (-_missed_day(check, portal).toordinal(), _missed_guid(check))


def missed_event(check: Check, portal: Portal) -> FeedEvent:
    """Return the news that a unit let a deadline pass: one item per unit, obligation and period, with a
    guid of its own, so a reader shows it once however many times the feed is rebuilt. The text says
    which rule version was applied and why, whether the deadline rests on an assumed date, and which
    unit must act today when the unit no longer exists."""
    unit = portal.units[check.unit]
    period = f" ({check.period.label})" if check.period else ""
    day = _missed_day(check, portal)
    return FeedEvent(
        _missed_guid(check),
        f"Quá hạn: {unit.name} chưa đăng {check.rule.title[0].lower() + check.rule.title[1:]}{period}",
        urls.compliance_url(unit.code) + "#" + check.rule.slug,
        day,
        " ".join(verdict_lines(check, portal)),
        unit.name,
        ("Quá hạn công khai", check.rule.short),
    )


def verdict_lines(check: Check, portal: Portal) -> list[str]:
    """Return a missed deadline explained in sentences: the deadline (assumed or not), the basis, why
    that version, the other reading if any, and who must act today."""
    lines = []
    if check.deadline and check.period:
        lines.append(f"Hạn: {format_date(check.deadline)}.")
    if check.assumed:
        lines.append("Hạn này tính theo ngày giả định vì văn bản chưa ghi ngày sự kiện (ngày được giao, ngày phê "
                     "duyệt hay ngày gửi báo cáo); đơn vị ghi ngày thật thì hạn được tính lại.")
    lines.append(f"Căn cứ: {check.version.basis}.")
    if check.selection is not None:
        lines.append(f"Phiên bản áp dụng vì: {check.selection.reason}.")
        for option, why in check.selection.argued:
            if option.deadline != check.deadline and option.deadline:
                lines.append(f"Có thể hiểu khác ({why}): theo {option.version.basis}, hạn {format_date(option.deadline)}.")
    lines.append("Đơn vị chưa đăng văn bản đáp ứng nghĩa vụ này khi hết hạn.")
    if check.dissolved:
        who = portal.units[check.responsible].name if check.responsible in portal.units else "không còn đơn vị nào"
        lines.append(f"Đơn vị đã ngừng hoạt động ngày {format_date(check.as_of)}; đơn vị phải xử lý hiện nay: {who}.")
    return lines


def obligation_feeds(ctx: FeedContext) -> Iterator[FeedSource]:
    """Yield each obligation's feed: the postings that fulfil it and every missed deadline."""
    fulfilling: dict[str, list[Document]] = {}
    for doc in ctx.portal.documents:
        if doc.obligation:
            fulfilling.setdefault(doc.obligation, []).append(doc)
    for rule in ctx.rules:
        docs = fulfilling.get(rule.id, [])
        missed = [missed_event(c, ctx.portal) for c in ctx.compliance.of_rule(rule.id) if c.standing is Standing.OVERDUE]
        yield FeedSource(
            urls.obligation_feed(rule.slug),
            f"{rule.title} – nghĩa vụ công khai",
            f"Văn bản đáp ứng nghĩa vụ \"{rule.title}\" và các kỳ đơn vị để quá hạn.",
            urls.obligation_url(rule.slug),
            tuple(sorted(ctx.events(docs, ctx.limit) + tuple(missed), key=FeedEvent.sort_key)),
        )


def overdue_feeds(ctx: FeedContext, units: Iterable[Unit] | None = None) -> Iterator[FeedSource]:
    """Yield each unit's feed of overdue postings, its own and those of every unit under it (only the
    newest `ctx.limit` when it is set: a feed shows no more)."""
    under = ctx.overdue_under()
    for unit in ctx.portal.units.values() if units is None else units:
        mine = under.get(unit.code, [])
        if ctx.limit is not None and len(mine) > ctx.limit:
            mine = sorted(mine, key=lambda c: _missed_order(c, ctx.portal))[: ctx.limit]
        yield FeedSource(
            urls.overdue_feed(unit.code),
            f"{unit.name} – quá hạn công khai",
            f"Các nghĩa vụ công khai đã quá hạn mà {unit.name} và các đơn vị trực thuộc chưa đăng.",
            urls.compliance_url(unit.code),
            tuple(sorted((missed_event(c, ctx.portal) for c in mine), key=FeedEvent.sort_key)),
        )


@dataclass(frozen=True)
class FeedFamily:
    """A family of feeds: built with the portal-wide pages (`per_unit` False) or in each unit's folder."""

    name: str
    per_unit: bool
    sources: Callable[[FeedContext, list[Unit] | None], Iterable[FeedSource]]


FEED_FAMILIES: tuple[FeedFamily, ...] = (
    FeedFamily("portal", False, lambda ctx, _: portal_feeds(ctx)),
    FeedFamily("unit", True, unit_feeds),
    FeedFamily("kind", True, kind_feeds),
    FeedFamily("obligation", False, lambda ctx, _: obligation_feeds(ctx)),
    FeedFamily("overdue", True, overdue_feeds),
)


def feeds_of(ctx: FeedContext, unit: Unit | None = None) -> list[FeedSource]:
    """Return the feeds of one unit's folder (`unit`), or the portal-wide ones (None), family by family."""
    return [source for family in FEED_FAMILIES if family.per_unit == (unit is not None)
            for source in family.sources(ctx, [unit] if unit is not None else None)]


@lru_cache(maxsize=1)
def _enclosures_extension() -> tuple[type, type]:
    """Return feedgen's extension writing one <enclosure> per attachment (feedgen keeps only one).
    feedgen and lxml are imported here, when a feed is really written."""
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from lxml import etree

    class EnclosuresFeed(BaseExtension):
        """Feed half of the extension (nothing at channel level)."""

    class EnclosuresEntry(BaseEntryExtension):
        def __init__(self) -> None:
            self.items: list[Enclosure] = []

        def extend_rss(self, item: etree._Element) -> etree._Element:
            for enclosure in self.items:
                element = etree.SubElement(item, "enclosure")
                element.attrib["url"] = enclosure.url
                element.attrib["length"] = str(enclosure.length)
                element.attrib["type"] = enclosure.mime
            return item

    return EnclosuresFeed, EnclosuresEntry


def _clean(text: str) -> str:
    """Return a plain-text field (title, category, creator, OPML name) fit for XML and inert as markup."""
    return inert(strip_controls(text))


def _html(text: str) -> str:
    """Return plain text as the entity-encoded HTML a <description> holds (readers render it as HTML)."""
    return html.escape(strip_controls(text), quote=False)


def render_feed(source: FeedSource, site_url: str, today: date, limit: int = DEFAULT_LIMIT) -> bytes:
    """Return the feed as RSS 2.0 bytes: newest `limit` items, absolute links, +07:00 dates."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("enclosures", *_enclosures_extension(), atom=False, rss=True)
    fg.title(_clean(source.title))
    fg.description(_html(source.description))
    # feedgen takes the channel's <link> from the last link given: the self link goes first.
    fg.link(href=urls.absolute(site_url, source.url), rel="self", type="application/rss+xml")
    fg.link(href=urls.absolute(site_url, source.page), rel="alternate")
    fg.language("vi")
    fg.generator("congkhai")
    fg.lastBuildDate(midnight(today))
    events = source.events[:limit]
    if events:
        fg.pubDate(midnight(events[0].day))
    for event in reversed(events):  # feedgen prepends: add oldest first so the newest ends on top
        fe = fg.add_entry()
        fe.guid(event.guid, permalink=False)
        fe.title(_clean(event.title))
        fe.link(href=urls.absolute(site_url, event.link))
        fe.description(_html(event.summary) or _html(event.title))
        fe.pubDate(midnight(event.day))
        fe.dc.dc_creator(_clean(event.creator))
        for category in event.categories:
            fe.category(term=_clean(category))
        fe.enclosures.items = [
            Enclosure(urls.absolute(site_url, e.url), e.length, e.mime) for e in event.enclosures
        ]
    return with_stylesheet(fg.rss_str(pretty=True), source.url)


STYLESHEET = "assets/rss.xsl"


def with_stylesheet(feed: bytes, url: str) -> bytes:
    """Return the feed naming the portal's XSLT stylesheet (relative to the feed, so the site works under
    any path), which a browser applies to show a Vietnamese page about the feed instead of raw XML."""
    declaration, rest = feed.split(b"\n", 1)
    href = "../" * url.count("/") + STYLESHEET
    return declaration + b'\n<?xml-stylesheet type="text/xsl" href="' + href.encode() + b'"?>\n' + rest


def render_opml(title: str, feeds: Iterable[tuple[str, str, str]], site_url: str) -> bytes:
    """Return an OPML 2.0 list of (title, feed url, page url) for one-step subscription."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(title)
    body = ET.SubElement(root, "body")
    group = ET.SubElement(body, "outline", text=_clean(title), title=_clean(title))
    for name, feed_url, page_url in feeds:
        ET.SubElement(
            group, "outline", type="rss", text=_clean(name), title=_clean(name),
            xmlUrl=urls.absolute(site_url, feed_url), htmlUrl=urls.absolute(site_url, page_url),
        )
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def portal_opml(portal: Portal, site_name: str, site_url: str, rules: Rules | None = None,
                scope: Collection[str] | None = None) -> bytes:
    """Return /feeds.opml: the portal's feed, every unit's feed (of the units in `scope`, a unit's own
    site) and every obligation's feed."""
    units = sorted((u for u in portal.units.values() if scope is None or u.code in scope), key=unit_order)
    every = [(site_name, urls.PORTAL_FEED, urls.HOME)] + [
        (u.name, urls.unit_feed(u.code), urls.unit_url(u.code)) for u in units
    ] + [(f"Nghĩa vụ: {r.title}", urls.obligation_feed(r.slug), urls.obligation_url(r.slug)) for r in (rules or ())]
    return render_opml(f"{site_name} – mọi đơn vị", every, site_url)


def unit_opml(portal: Portal, unit: Unit, site_url: str) -> bytes:
    """Return /<unit>/feeds.opml: the unit's feed and those of every unit ever under it."""
    members = [unit, *portal.units.ever_under(unit.code)]
    feeds = [(u.name, urls.unit_feed(u.code), urls.unit_url(u.code)) for u in members]
    return render_opml(f"{unit.name} và các đơn vị trực thuộc", feeds, site_url)
