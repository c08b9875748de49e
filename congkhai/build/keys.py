"""The cache key of each part of the site: the hash of every input the part can depend on.

A unit's folder shows its own documents, its supervisors and subordinates (names, the matrix of
their obligations, the feed of everything under it), the documents its documents cite or are cited
by, those they replace or are replaced by, and its successor or predecessors. Its key hashes the
files and record of every unit in that neighbourhood (the supervisors of its subordinates too:
their local obligations bind them), the resolved links themselves, "today", and everything every
page depends on (`render_key`: code, configuration, theme). The portal-wide part depends on all.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.portal import Portal
from ..site.pages import guide_images, guide_text
from .fingerprint import digest
from .admin import admin_part
from .parts import ADMIN, ASSETS, PORTAL, BuildContext


def part_keys(ctx: BuildContext, trees: dict[str, str]) -> dict[str, str]:
    """Return the key of every part: each unit, the portal-wide part, the theme's assets, the editor."""
    portal = ctx.portal
    refs = ctx.planner.refs
    units = portal.units
    records = {code: ctx.cache.hashes.of(unit.source) if unit.source else "" for code, unit in units.items()}
    state = {code: (records[code], trees.get(code, "absent")) for code in units}
    links: dict[str, set[str]] = {code: set() for code in units}
    facts: dict[str, list[object]] = {code: [] for code in units}
    for doc in portal.documents:
        own = links[doc.unit]
        cited = [(c.text, c.target.key if c.target else None) for c in refs.of(doc)]
        citing = [d.key for d in refs.implementing(doc)]
        replaced = [d.key for d in portal.replaced_by(doc.key)]
        facts[doc.unit].append((doc.key, cited, citing, doc.superseded_by, replaced))
        for other in [c.target for c in refs.of(doc) if c.target] + refs.implementing(doc) + portal.replaced_by(doc.key):
            own.add(other.unit)
        if doc.superseded_by:
            target = portal.document(doc.superseded_by.strip("/"))
            if target is not None:
                own.add(target.unit)
    base = digest(ctx.render_key, ctx.today, ctx.feed_limit, ctx.site_name)
    guide = (guide_text(), [(p.name, ctx.cache.hashes.of(p)) for p in guide_images()])
    keys = {ASSETS: digest(ctx.render_key, "assets"), PORTAL: digest(base, "portal", sorted(state.items()), guide)}
    if ctx.admin is not None:  # what the editor's files are made from is in the files themselves
        own, copies = admin_part(*ctx.admin)
        keys[ADMIN] = digest(ctx.render_key, "admin", own, sorted((url, ctx.cache.hashes.of(path))
                                                                  for url, path in copies.items()))
    predecessors: dict[str, set[str]] = {}
    for unit in units.values():
        if unit.successor:
            predecessors.setdefault(unit.successor, set()).add(unit.code)
    for code in units:
        near = neighbourhood(portal, code, predecessors.get(code, set())) | links[code]
        scope = ctx.search_plan.bundle_of(code) if ctx.search_plan is not None else None
        keys[code] = digest(base, "unit", code, [(c, state[c]) for c in sorted(near) if c in state],
                            facts[code], scope)
    return keys


def neighbourhood(portal: Portal, code: str, predecessors: set[str]) -> set[str]:
    """Return the units whose files a unit's folder can show: itself, every unit ever above or below
    it, the supervisors of those below, its successor and its predecessors."""
    units = portal.units
    below = {u.code for u in units.ever_below(code)}
    found = {code} | below | ever_above(portal, [code, *below])
    unit = units[code]
    if unit.successor:
        found.add(unit.successor)
    return found | predecessors


def ever_above(portal: Portal, codes: Iterable[str]) -> set[str]:
    """Return every unit that supervised any of `codes` at some time, up the whole chain."""
    units = portal.units
    found: set[str] = set()
    queue = list(codes)
    while queue:
        current = units.get(queue.pop())
        if current is None:
            continue
        for period in (*current.parents, *current.sector_parents):
            if period.unit is not None and period.unit not in found:
                found.add(period.unit)
                queue.append(period.unit)
    return found
