"""Every output address in one place. Paths are relative to the site root, without a leading slash
("thcs-hoa-sen/ke-hoach/"), so the site works under any path prefix."""

from __future__ import annotations

import posixpath
from functools import lru_cache

HOME = ""
PORTAL_FEED = "rss.xml"
PORTAL_OPML = "feeds.opml"
REGISTER_JSON = "data/documents.json"
REGISTER_CSV = "data/documents.csv"
GUIDE = "huong-dan/"
SEARCH = "tim-kiem/"
ACCESSIBILITY = "kha-nang-tiep-can/"


def unit_url(unit: str) -> str:
    """Return the unit's home page address."""
    return f"{unit}/"


def listing_url(unit: str, kind: str) -> str:
    """Return the address of a unit's listing of one kind."""
    return f"{unit}/{kind}/"


def document_url(unit: str, kind: str, slug: str) -> str:
    """Return a document page's address."""
    return f"{unit}/{kind}/{slug}/"


def attachment_url(unit: str, kind: str, slug: str, name: str) -> str:
    """Return the address of a file published with a document."""
    return f"{unit}/{kind}/{slug}/{name}"


def unit_feed(unit: str) -> str:
    """Return the feed of a unit and every unit under it."""
    return f"{unit}/rss.xml"


def listing_feed(unit: str, kind: str) -> str:
    """Return the feed of one unit's postings of one kind."""
    return f"{unit}/{kind}/rss.xml"


def unit_opml(unit: str) -> str:
    """Return the OPML list of a unit's feeds and its subordinates' feeds."""
    return f"{unit}/feeds.opml"


def source_uri(url: str) -> str:
    """Return the MkDocs source path that produces the page at `url` ("a/b/" -> "a/b.md", "a/" -> "a/index.md")."""
    if url == "":
        return "index.md"
    parts = url.rstrip("/").split("/")
    return "/".join(parts) + "/index.md"


# A page links many times to the same few addresses (its unit, its lists, the navigation); a link from
# another page is another pair: a small cache serves the repeats (a third of the calls) without keeping
# every page's links to the end of the build (26,000 pairs, ~7 MiB, at 3,000 documents).
@lru_cache(maxsize=4096)
def relative(from_url: str, to_url: str) -> str:
    """Return the link from the page at `from_url` to `to_url`, both site-root addresses."""
    base = from_url if from_url.endswith("/") or from_url == "" else posixpath.dirname(from_url) + "/"
    target_parts = [p for p in posixpath.normpath(to_url or ".").split("/") if p not in ("", ".")]
    base_parts = [p for p in posixpath.normpath(base or ".").split("/") if p not in ("", ".")]
    common = 0
    while common < min(len(target_parts), len(base_parts)) and target_parts[common] == base_parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
    if to_url.endswith("/") or to_url == "":
        rel = rel.rstrip("/") + "/"
    return rel


def absolute(site_url: str, url: str) -> str:
    """Return the absolute address of `url` under `site_url`."""
    return site_url.rstrip("/") + "/" + url


AREAS_INDEX = "cchc/"


def area_url(area: str) -> str:
    """Return the portal-wide page of one administrative-reform area."""
    return f"cchc/{area}/"


def table_csv_url(unit: str, kind: str, slug: str) -> str:
    """Return the CSV download of a budget disclosure's table."""
    return attachment_url(unit, kind, slug, "bang-so-lieu.csv")


OBLIGATIONS_INDEX = "nghia-vu/"


def compliance_url(unit: str) -> str:
    """Return a unit's compliance page ("Tình hình công khai")."""
    return f"{unit}/tinh-hinh-cong-khai/"


def obligation_url(slug: str) -> str:
    """Return the page of one obligation (`slug`: the obligation's `slug`, e.g. "nghia-vu/du-toan/")."""
    return f"nghia-vu/{slug}/"


def obligation_feed(slug: str) -> str:
    """Return the feed of one obligation: its postings and missed deadlines."""
    return f"nghia-vu/{slug}/rss.xml"


def overdue_feed(unit: str) -> str:
    """Return the feed of overdue postings of a unit and every unit under it."""
    return f"{unit}/qua-han.xml"


def deadlines_calendar(unit: str) -> str:
    """Return the iCalendar file of a unit's upcoming deadlines."""
    return f"{unit}/lich-cong-khai.ics"


def embed_url(unit: str) -> str:
    """Return the small "latest postings" page a school puts in an iframe on its own website."""
    return f"{unit}/moi-nhat/"


def json_feed(unit: str) -> str:
    """Return the JSON Feed (jsonfeed.org 1.1) of a unit's latest postings."""
    return f"{unit}/moi-nhat.json"
