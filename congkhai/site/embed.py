"""What a school pastes into the website it already has: a tiny page of its latest postings for an
iframe (no theme, no script, readable 300 px wide) and the same list as a JSON Feed (jsonfeed.org).

The snippet to paste (documented in the README and the authoring guide):

    <iframe src="https://<cổng>/<đơn vị>/moi-nhat/" title="Văn bản công khai mới"
            width="100%" height="420" style="border:0;max-width:480px" loading="lazy"></iframe>
"""

from __future__ import annotations

import json
from html import escape

from ..model.portal import Portal
from ..model.text import format_date, midnight
from ..model.units import Unit
from . import urls
from .feeds import FeedContext

LATEST = 10

_STYLE = (
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1d2125;"
    "background:#fff}h1{font-size:16px;margin:0;padding:10px 12px;background:#1565c0;color:#fff}"
    "ul{list-style:none;margin:0;padding:0}li{padding:9px 12px;border-bottom:1px solid #e3e6ea}"
    "a{color:#0d47a1;text-decoration:none;overflow-wrap:anywhere}a:hover,a:focus{text-decoration:underline}"
    ".m{display:block;color:#5f6b76;font-size:13px}.t{background:#b71c1c;color:#fff;border-radius:3px;"
    "padding:0 4px;font-size:12px}p{margin:0;padding:9px 12px;font-size:13px}"
    "a:focus-visible{outline:3px solid #102a43;outline-offset:2px}.s{position:absolute;left:-999px}"
    ".s:focus{position:static;display:block;padding:6px 12px}"
)


def _link(site_url: str | None, here: str, to: str) -> str:
    return urls.absolute(site_url, to) if site_url else urls.relative(here, to)


def latest_page(portal: Portal, unit: Unit, site_url: str | None, limit: int = LATEST) -> bytes:
    """Return the "latest postings" page of `unit` (and the units under it): plain HTML, inline style."""
    here = urls.embed_url(unit.code)
    docs = [d for d in portal.within(unit.code) if d.is_current][:limit]
    items = []
    for doc in docs:
        href = _link(site_url, here, urls.document_url(doc.unit, doc.kind.folder, doc.slug))
        issuer = portal.units[doc.unit].name_on(doc.date or doc.posted)
        meta = " · ".join(x for x in (doc.kind.label, format_date(doc.posted), issuer if doc.unit != unit.code else "")
                          if x)
        items.append(f'<li><a href="{escape(href)}" target="_blank" rel="noopener">{escape(doc.title)}</a>'
                     f'<span class="m">{escape(meta)}</span></li>')
    more = _link(site_url, here, urls.unit_url(unit.code))
    feed = _link(site_url, here, urls.unit_feed(unit.code))
    body = "<ul>" + "".join(items) + "</ul>" if items else "<p>Chưa có văn bản nào được công khai.</p>"
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>Văn bản công khai mới – {escape(unit.name)}</title>"
        '<meta name="robots" content="noindex"><base target="_blank">'
        f'<link rel="alternate" type="application/rss+xml" title="RSS – {escape(unit.name)}" href="{escape(feed)}">'
        f"<style>{_STYLE}</style></head><body>"
        '<a class="s" href="#noi-dung" target="_self">Đến nội dung chính</a>'
        f'<main id="noi-dung"><h1>Công khai – {escape(unit.display_name)}</h1>{body}'
        f'<p><a href="{escape(more)}" rel="noopener">Xem tất cả văn bản công khai »</a></p>'
        "</main></body></html>\n"
    ).encode("utf-8")


def json_feed(ctx: FeedContext, unit: Unit, site_url: str, limit: int = LATEST) -> bytes:
    """Return the JSON Feed 1.1 of `unit`'s latest postings (the same items as its RSS feed)."""
    events = ctx.events(ctx.portal.within(unit.code), limit)
    items = []
    for event in events:
        item = {
            "id": event.guid,
            "url": urls.absolute(site_url, event.link),
            "title": event.title,
            "summary": event.summary,
            "date_published": midnight(event.day).isoformat(),
            "authors": [{"name": event.creator}],
            "tags": list(event.categories),
        }
        if event.enclosures:
            item["attachments"] = [{"url": urls.absolute(site_url, e.url), "mime_type": e.mime,
                                    "size_in_bytes": e.length} for e in event.enclosures]
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{unit.name} – văn bản công khai mới",
        "home_page_url": urls.absolute(site_url, urls.unit_url(unit.code)),
        "feed_url": urls.absolute(site_url, urls.json_feed(unit.code)),
        "language": "vi",
        "items": items,
    }
    text = json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n").encode("utf-8")
