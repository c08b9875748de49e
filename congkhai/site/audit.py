"""The last look at every HTML file before it is published: nothing in it may run in a reader's browser
except the site's own script files. Authored text is escaped and authored HTML is cleaned long before
this (sanitize.py); this check holds the whole page — the theme's chrome, the table of contents, the
skip link, titles, the portal's own templates — to one rule, so that a gap anywhere upstream stops
the build instead of reaching readers. It is also what makes the pages work under the
Content-Security-Policy of deploy/nginx.conf (no inline script, no event handler)."""

from __future__ import annotations

import re

import lxml.html

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


def live_code(page: str | bytes) -> list[str]:
    """Return what in an HTML page could run in a browser, in the words of a Vietnamese error message:
    an inline script, a script from another host, an event handler, a javascript:/data: address, an
    embedded frame or object, a refresh to such an address, script inside a style. Empty when the
    page is safe."""
    found: list[str] = []

    def note(text: str) -> None:
        if text not in found:
            found.append(text)

    if isinstance(page, bytes):
        page = page.decode("utf-8", "replace")
    if not page.strip():
        return found
    root = lxml.html.document_fromstring(page)
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        tag = tag.lower()
        if tag in FORBIDDEN_TAGS or (tag == "base" and element.get("href") is not None):
            note(f"thẻ <{tag}>")  # <base target> alone only says where links open
        if tag == "script":
            kind = (element.get("type") or "").strip().lower()
            src = element.get("src")
            if kind in ("application/json", "application/ld+json") and src is None:
                pass  # data, never run
            elif src is None:
                if (element.text or "").strip():
                    note("mã script nội tuyến")
            elif not _own_script(src.strip()):
                note(f"script từ nơi khác ({src[:60]})")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                note(f"thuộc tính sự kiện {name}")
            elif name == "srcdoc":
                note("thuộc tính srcdoc")
            elif name == "srcset":
                for candidate in value.split(","):
                    address = candidate.strip().split(" ", 1)[0]
                    if address and not safe_url(address):
                        note(f"địa chỉ không an toàn trong srcset ({address[:40]})")
            elif name in URL_ATTRIBUTES and not safe_url(value):
                note(f"địa chỉ không an toàn {name}='{value[:40]}'")
            elif name == "style" and _STYLE_CODE.search(value):
                note("mã trong thuộc tính style")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH_URL.search(element.get("content") or "")
            if match and not safe_url(match.group(1).strip()):
                note("chuyển trang tới địa chỉ không an toàn")
        if tag == "style" and _STYLE_CODE.search(element.text or ""):
            note("mã trong thẻ <style>")
    return found


def message(pages: list[str], found: list[str]) -> str:
    """Return the error shown when `pages` (site addresses) hold live code (the build publishes nothing)."""
    shown = ", ".join("/" + url for url in pages[:5]) + (f" và {len(pages) - 5} trang khác" if len(pages) > 5 else "")
    return (f"trang {shown} có phần có thể chạy trong trình duyệt ({', '.join(found)}), nên cổng không đăng "
            "lần dựng này. Sửa: nếu là nội dung của văn bản, xóa phần đó khỏi tệp; nếu là mẫu giao diện trong "
            "site_src/, bỏ mã script nội tuyến và thuộc tính sự kiện (đặt mã vào tệp .js riêng).")
