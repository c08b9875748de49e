"""The last look at every HTML file before it is published: nothing in it may run in a reader's browser
except the site's own script files. Authored text is escaped and authored HTML is cleaned long before
this (sanitize.py); this check holds the whole page — the theme's chrome, the table of contents, the
skip link, titles, the portal's own templates — to one rule, so that a gap anywhere upstream stops
the build instead of reaching readers. It is also what makes the pages work under the
Content-Security-Policy of deploy/nginx.conf (no inline script, no event handler)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from ..model.sanitize import safe_url

# What every page may load, sent by deploy/nginx.conf as a header (with frame-ancestors, which only a
# header can carry) and written into every page as <meta http-equiv> for hosts that send no headers
# (GitHub Pages, a school's shared hosting). Only the site's own files: no inline script, no event
# handler, no other host; WebAssembly for Pagefind ('wasm-unsafe-eval'); inline style attributes
# for the bar charts' widths.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

# The web editor's page (/quan-tri/, Decap CMS) needs more, and gets it only there (deploy/nginx.conf
# sends it for that folder; the page also carries it as <meta>): Decap compiles its configuration's
# schema with `new Function` ('unsafe-eval'), shows uploads and previews from blob: addresses, and
# talks to the Git forge's API and sign-in (`origins`). Still no inline script and no other script host.
ADMIN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:{origins}; font-src 'self'; connect-src 'self' blob:{origins}; "
    "worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def admin_content_security_policy(origins: tuple[str, ...] = ()) -> str:
    """Return the web editor's policy, allowing the Git forge's addresses `origins` ("https://api.github.com")."""
    return ADMIN_CONTENT_SECURITY_POLICY.format(origins="".join(" " + origin for origin in origins))


# Elements that load or run other content; none belongs in a transparency portal's page.
FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "portal"})
# Attributes holding an address (srcset is a list of them).
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "background", "data", "xlink:href",
                            "ping", "cite", "longdesc", "manifest", "codebase", "srcset"})
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]*)", re.IGNORECASE)
_STYLE_CODE = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)


def _own_script(src: str) -> bool:
    """Return True for a script file of the site itself (a relative address, no scheme, no host)."""
    return bool(src) and not src.startswith("//") and "\\" not in src and ":" not in src.split("/", 1)[0]


_WATCHED_TAGS = FORBIDDEN_TAGS | {"script", "style", "meta", "base"}
_WATCHED_NAMES = URL_ATTRIBUTES | {"srcdoc", "style"}


def live_code(page: str | bytes) -> list[str]:
    """Return what in an HTML page could run in a browser, in the words of a Vietnamese error message:
    an inline script, a script from another host, an event handler, a javascript:/data: address, an
    embedded frame or object, a refresh to such an address, script inside a style. Empty when the
    page is safe."""
    found: list[str] = []

    def note(text: str) -> None:
        if text not in found:
            found.append(text)

    data = page.encode("utf-8") if isinstance(page, str) else page
    if not data.strip():
        return found
    root = etree.fromstring(data, _PARSER)
    if root is None:
        return found
    for element in root.iter(etree.Element):  # elements only: comments are removed, entities resolved
        if element.tag in _WATCHED_TAGS:
            _element(element, note)
        for name, value in element.items():
            if name in _WATCHED_NAMES or name.startswith("on"):
                _attribute(name, value, note)
    return found


_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True)


def _attribute(name: str, value: str, note: Callable[[str], None]) -> None:
    if name.startswith("on"):
        note(f"thuộc tính sự kiện {name}")
    elif name == "srcdoc":
        note("thuộc tính srcdoc")
    elif name == "srcset":
        for candidate in value.split(","):
            address = candidate.strip().split(" ", 1)[0]
            if address and not safe_url(address):
                note(f"địa chỉ không an toàn trong srcset ({address[:40]})")
    elif name == "style":
        if _STYLE_CODE.search(value):
            note("mã trong thuộc tính style")
    elif name in URL_ATTRIBUTES and not safe_url(value):
        note(f"địa chỉ không an toàn {name}='{value[:40]}'")


def _element(element: Any, note: Callable[[str], None]) -> None:
    tag = element.tag.lower()
    if tag in FORBIDDEN_TAGS or (tag == "base" and element.get("href") is not None):
        note(f"thẻ <{tag}>")  # <base target> alone only says where links open
    elif tag == "script":
        kind = (element.get("type") or "").strip().lower()
        src = element.get("src")
        if kind in ("application/json", "application/ld+json") and src is None:
            return  # data, never run
        if src is None:
            if (element.text or "").strip():
                note("mã script nội tuyến")
        elif not _own_script(src.strip()):
            note(f"script từ nơi khác ({src[:60]})")
    elif tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        match = _REFRESH_URL.search(element.get("content") or "")
        if match and not safe_url(match.group(1).strip()):
            note("chuyển trang tới địa chỉ không an toàn")
    elif tag == "style" and _STYLE_CODE.search(element.text or ""):
        note("mã trong thẻ <style>")


def message(pages: list[str], found: list[str]) -> str:
    """Return the error shown when `pages` (site addresses) hold live code (the build publishes nothing)."""
    shown = ", ".join("/" + url for url in pages[:5]) + (f" và {len(pages) - 5} trang khác" if len(pages) > 5 else "")
    return (f"trang {shown} có phần có thể chạy trong trình duyệt ({', '.join(found)}), nên cổng không đăng "
            "lần dựng này. Sửa: nếu là nội dung của văn bản, xóa phần đó khỏi tệp; nếu là mẫu giao diện trong "
            "site_src/, bỏ mã script nội tuyến và thuộc tính sự kiện (đặt mã vào tệp .js riêng).")
