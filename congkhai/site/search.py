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

import functools
import hashlib
import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..model.documents import Document, Status
from ..model.markup import pack, summary, unpack
from ..model.portal import Portal
from ..model.text import fold as fold_marks
from ..model.text import format_date
from ..model.units import Unit, Units
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
# A portal bundle of more records than this is cut into two parts at least: Pagefind's memory while it
# indexes grows with the part (3,100 records in one part: 141-146 MiB, beside a build whose pages took
# ~200 MiB), and a portal of up to 4,000 documents, indexed after its pages were built (see
# build.pipeline.APART_MAX_DOCUMENTS), would otherwise reach the build's peak there.
SPLIT_ABOVE = 2000
MAX_SUMMARY_CHARS = 300
# What the browser needs of a bundle; Pagefind's ready-made interfaces are not used.


@dataclass(frozen=True)
class SearchRecord:
    """One searchable document: its text, what a result shows, and what it is filtered and sorted by."""

    url: str
    title: str
    packed: bytes  # the text lines indexed in full (`blocks`), compressed: every record is held to the end
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]
    lean: tuple[str, ...] = ()
    size: int = 0  # characters of full text, from the source (the same whether or not `blocks` is given)

    @property
    def blocks(self) -> tuple[str, ...]:
        """Return the lines of text indexed when the bundle holds full text."""
        return unpack(self.packed)

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
class SearchScopes:
    """What the pages need of the search before its records are made (they are made after the pages,
    so that the processes rendering pages do not hold them): the records of each unit bundle (the
    portal bundle holds them all) and every record's size, in the order of the records."""

    sizes: tuple[int, ...]
    bundles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    scope: frozenset[str] | None = None  # the units given bundles (None: every unit)

    def full_text(self, scope: str) -> bool:
        """Return whether a bundle ("" = the portal's) indexes full text rather than lean records."""
        held = range(len(self.sizes)) if scope == "" else self.bundles.get(scope, ())
        limit = PORTAL_FULL_TEXT_CHARS if scope == "" else FULL_TEXT_CHARS
        total = 0
        for position in held:
            total += self.sizes[position]
            if total > limit:
                return False
        return True

    def bundle_of(self, unit: str) -> str:
        """Return the bundle that serves a unit's scoped search ("" = the portal's, which is its scope)."""
        return unit if unit in self.bundles else ""


@dataclass(frozen=True)
class SearchPlan:
    """Every record, and the records of each unit bundle (the portal bundle holds them all)."""

    records: tuple[SearchRecord, ...]
    bundles: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @functools.cached_property
    def scopes(self) -> SearchScopes:
        """Return the plan's bundles and record sizes (what the pages use); made once (asked for every
        bundle: a province has thousands)."""
        return SearchScopes(tuple(r.size for r in self.records), self.bundles)

    def full_text(self, scope: str) -> bool:
        """Return whether a bundle ("" = the portal's) indexes full text rather than lean records."""
        return self.scopes.full_text(scope)

    def bundle_of(self, unit: str) -> str:
        """Return the bundle that serves a unit's scoped search."""
        return self.scopes.bundle_of(unit)


def bundle_path(scope: str) -> str:
    """Return where a bundle is written (site-root address)."""
    return f"{scope}/{BUNDLE}/" if scope else f"{BUNDLE}/"


def record(doc: Document, portal: Portal, scopes: Iterable[str]) -> SearchRecord:
    """Return the search record of a document: title, number, description and body text (capped)."""
    unit = portal.units[doc.unit]
    day = doc.date or doc.posted
    lines = [f"Số {doc.number}"] if doc.number else []
    if doc.description:
        lines.append(doc.description)
    size = 0
    for block in doc.rendered.blocks:
        if size + len(block) > MAX_CONTENT_CHARS:
            break
        lines.append(block)
        size += len(block)
    meta = {"title": doc.title, "unit": unit.name_on(day), "kind": doc.kind.label, "date": format_date(day),
            "iso": day.isoformat()}
    if doc.number:
        meta["number"] = doc.number
    status = out_of_force(doc, portal.today)
    if status:
        meta["status"] = status
    lean = [f"Số {doc.number}"] if doc.number else []
    lean.append(doc.kind.label)
    lean += doc.kind.search_text(doc)
    short = summary(doc.rendered.lead, doc.description, MAX_SUMMARY_CHARS)
    if fold(short) not in fold(doc.title):
        lean.append(short)
    return SearchRecord(
        url=urls.document_url(doc.unit, doc.kind.folder, doc.slug),
        title=doc.title,
        packed=pack(tuple(lines)),
        meta=meta,
        filters={
            "don-vi": [doc.unit],
            "thuoc": sorted(scopes),
            "loai": [doc.kind.folder],
            "nam": [str(day.year)],
            # only documents no longer in force carry it (withdrawn: thu-hoi; superseded or out of
            # force: het-hieu-luc), so the default search (`not` withdrawn) loads a filter chunk as
            # small as their number, not one listing every document; the browser ranks them last
            **({"trang-thai": [status_filter(doc)]} if status else {}),
        },
        sort={"date": day.isoformat()},
        lean=tuple(line for line in lean if line),
        size=record_size(doc),
    )


def record_size(doc: Document) -> int:
    """Return the characters of full text a document's record indexes, counted from the source."""
    return len(doc.title) + len(doc.description or "") + min(doc.rendered.text_size, MAX_CONTENT_CHARS)


def status_filter(doc: Document) -> str:
    """Return the search filter value of a document no longer in force: withdrawn, or replaced/expired."""
    return "thu-hoi" if doc.status is Status.WITHDRAWN else "het-hieu-luc"


def out_of_force(doc: Document, today: date) -> str:
    """Return why a document is no longer in force, as its badge says ("Đã thu hồi", "Đã được thay thế",
    "Đã hết hiệu lực"…), or "" when it is."""
    if doc.status is Status.WITHDRAWN:
        return "Đã thu hồi"
    if doc.status is Status.SUPERSEDED:
        return "Đã được thay thế"
    return next((b.text for b in doc.kind.badges(doc, today) if b.tone == "muted"), "")


UNIT_KIND = "Trang đơn vị"


def unit_record(unit: Unit, units: Units, today: date) -> SearchRecord:
    """Return the search record of a unit's page: found by its name, short and former names, kind and
    address (a parent looking for "trường Kim Đồng" finds the school, not only its documents)."""
    lines = [unit.display_name] if unit.display_name != unit.name else []
    lines += [unit.kind_label, *(f"Tên trước đây: {f.name}" for f in unit.former_names)]
    if unit.address:
        lines.append(unit.address)
    day = today if unit.active_on(today) else unit.active_until or today
    # the units above it that day, administrative and professional (the same chain its documents follow)
    scopes = {unit.code, *units.ancestors_on(unit.code, day), *units.overseers_on(unit.code, day)}
    return SearchRecord(
        url=urls.unit_url(unit.code),
        title=unit.name,
        packed=pack(tuple(lines)),
        meta={"title": unit.name, "kind": UNIT_KIND, "unit": unit.kind_label},
        filters={"don-vi": [unit.code], "thuoc": sorted(scopes), "loai": ["don-vi"]},
        sort={},
        lean=tuple(lines),
        size=sum(len(line) for line in lines),
    )


def fold(text: str) -> str:
    """Return `text` lowercased without tone marks or đ, for comparing two spellings."""
    return fold_marks(text).casefold().strip(" .…")


def scopes_of(doc: Document, units: Units, today: date) -> set[str]:
    """Return the units whose scoped search finds `doc`: its unit and every unit above it, on the
    document's date or today."""
    found = {doc.unit}
    for day in sorted({doc.date or doc.posted, today}):
        found.update(units.overseers_on(doc.unit, day))
    return found


def plan_scopes(portal: Portal, scope: Iterable[str] | None = None) -> SearchScopes:
    """Return the bundles and record sizes of the search plan `plan_search` makes (in its order): a
    bundle for each unit whose scope is not the whole portal (only the units in `scope`, when given)."""
    sizes: list[int] = []
    members: dict[str, list[int]] = defaultdict(list)
    for doc in sorted(portal.documents, key=lambda d: d.key):
        for unit in scopes_of(doc, portal.units, portal.today):
            members[unit].append(len(sizes))
        sizes.append(record_size(doc))
    for unit in sorted(portal.units.values(), key=lambda u: u.code):
        rec = unit_record(unit, portal.units, portal.today)
        for code in rec.filters["thuoc"]:
            members[code].append(len(sizes))
        sizes.append(rec.size)
    held = None if scope is None else frozenset(scope)
    bundles = {code: tuple(found) for code, found in sorted(members.items())
               if len(found) < len(sizes) and (held is None or code in held)}
    return SearchScopes(tuple(sizes), bundles, held)


def plan_search(portal: Portal, scope: Iterable[str] | None = None) -> SearchPlan:
    """Return the records of every visible document (their text as converted when read) and of every
    unit, with the bundles of `plan_scopes`."""
    scopes = plan_scopes(portal, scope)
    records = [record(doc, portal, scopes_of(doc, portal.units, portal.today))
               for doc in sorted(portal.documents, key=lambda d: d.key)]
    records += [unit_record(unit, portal.units, portal.today)
                for unit in sorted(portal.units.values(), key=lambda u: u.code)]
    return SearchPlan(tuple(records), scopes.bundles)


def portal_shards(plan: SearchPlan) -> list[tuple[int, ...]]:
    """Return the records of each part of the portal bundle: one part per SHARD_SIZE records (two at
    least above SPLIT_ABOVE records), each record in the part its address hashes to (so adding a
    document moves no other)."""
    count = -(-len(plan.records) // SHARD_SIZE) or 1
    if len(plan.records) > SPLIT_ABOVE:
        count = max(count, 2)
    parts: list[list[int]] = [[] for _ in range(count)]
    for position, rec in enumerate(plan.records):
        parts[int(hashlib.sha256(rec.url.encode()).hexdigest()[:8], 16) % count].append(position)
    return [tuple(part) for part in parts if part]


def shard_path(index: int) -> str:
    """Return where part `index` of the portal bundle goes, inside the first part's folder."""
    return f"phan-{index + 1}/"
