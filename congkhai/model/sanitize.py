"""Cleaning the HTML of what authors write, with the nh3 sanitiser (Ammonia): tables, line breaks,
superscripts, images with alt text and the like stay; scripts, event handlers, javascript:/data:
addresses, frames, styles, forms and SVG go — and the author is told what was removed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from .text import heading_slug

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
ALLOWED_ATTRIBUTES = {
    "*": set(GENERIC_ATTRIBUTES),
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background"})
# Elements whose content goes with them (nothing of a script or a style is shown as text).
CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
                          "form", "textarea", "select", "button"})


_CLASS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_MARKUP_SIGNS = re.compile(r"[\"'<>=`\x00-\x1f]")


def url_scheme(value: str) -> str:
    """Return the lower-case scheme of an address ("javascript" for " JavaScript:x"), "" for a relative one.
    Control characters and spaces that browsers ignore inside a scheme are ignored here too."""
    compact = re.sub(r"[\x00-\x20\x7f]+", "", value)
    head = compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else ""


def safe_url(value: str) -> bool:
    """Return True when an address may stay in a page: relative, or http(s), mailto or tel."""
    scheme = url_scheme(value)
    return not scheme or scheme in URL_SCHEMES


def safe_id(value: str) -> str:
    """Return the anchor id the portal makes of an author's id: an ASCII slug ("" when nothing is left)."""
    return heading_slug(value)


def safe_classes(value: str) -> str:
    """Return the class names of `value` that are plain names (letters, digits, '-', '_'); the rest go."""
    return " ".join(name for name in value.split() if _CLASS_NAME.fullmatch(name))


def attribute_policy(tag: str, name: str, value: str) -> tuple[str | None, str | None]:
    """Return (the value the attribute keeps, or None to drop it; what the author is told, or None).

    The one policy for attributes that Markdown extensions (attribute lists, md_in_html) put on
    elements before the table of contents, skip link and page are made from them: ids become slugs,
    class names stay plain names, addresses keep safe schemes, and attributes outside the allowed
    list go."""
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
    if name not in allowed:
        return None, f"thuộc tính {name}"
    if name == "id":
        slug = safe_id(value)
        # Folding "Mục-1" to "muc-1" is silent; an id that carries quotes or markup is reported.
        told = f"mã neo id='{value}' (đổi thành '{slug}')" if _MARKUP_SIGNS.search(value) else None
        return (slug or None), told
    if name == "class":
        kept = safe_classes(value)
        return (kept or None), (None if kept == " ".join(value.split()) else f"tên lớp class='{value}'")
    if name in URL_ATTRIBUTES and not safe_url(value):
        return None, f"địa chỉ {url_scheme(value)}:"
    return value, None


@dataclass
class _Removed(HTMLParser):
    """Lists what the sanitiser will take out of a piece of HTML, in the words shown to authors."""

    found: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _note(self, text: str) -> None:
        if text not in self.found:
            self.found.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._note(f"thẻ <{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self._note(f"thuộc tính {name}")
            elif name in URL_ATTRIBUTES and value and not safe_url(value):
                self._note(f"địa chỉ {url_scheme(value)}:")

    handle_startendtag = handle_starttag


def removed_parts(html: str) -> list[str]:
    """Return what cleaning `html` removes ("thẻ <script>", "thuộc tính onclick", "địa chỉ javascript:")."""
    detector = _Removed()
    detector.feed(html)
    detector.close()
    return detector.found


def clean(html: str) -> str:
    """Return `html` with only the harmless markup kept."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
