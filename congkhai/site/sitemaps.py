"""Sitemaps (sitemaps.org): one for the portal, and one in every folder that holds a feed.

Material for MkDocs reads `sitemap.xml` next to each `<link rel="alternate">` it finds; every page
links its feeds that way, so each feed's folder gets the sitemap of the pages below it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from . import urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(pages: Iterable[str], site_url: str) -> bytes:
    """Return a sitemap of `pages` (site-root addresses), sorted."""
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for page in sorted(set(pages)):
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = urls.absolute(site_url, page)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def write_sitemaps(pages: list[str], feed_folders: Iterable[str], root: Path, site_url: str) -> None:
    """Write /sitemap.xml and <folder>/sitemap.xml for every folder of a feed."""
    (root / "sitemap.xml").write_bytes(render_sitemap(pages, site_url))
    by_prefix: dict[str, list[str]] = {}
    for page in pages:
        parts = page.split("/")
        for depth in range(1, len(parts)):
            by_prefix.setdefault("/".join(parts[:depth]) + "/", []).append(page)
    for folder in sorted(set(feed_folders)):
        if not folder:
            continue
        below = by_prefix.get(folder, [])
        path = root / folder / "sitemap.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_sitemap(below, site_url))
