"""Sitemaps (sitemaps.org): one for the portal, and one in every folder that holds a feed.

Material for MkDocs reads `sitemap.xml` next to each `<link rel="alternate">` it finds; every page
links its feeds that way, so each feed's folder gets the sitemap of the pages below it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from . import urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(pages: Iterable[str], site_url: str) -> bytes:
    """Return a sitemap of `pages` (site-root addresses), sorted."""
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for page in sorted(set(pages)):
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = urls.absolute(site_url, page)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
