"""Cleaning the HTML of what authors write, with the nh3 sanitiser (Ammonia): tables, line breaks,
superscripts, images with alt text and the like stay; scripts, event handlers, javascript:/data:
addresses, frames, styles, forms and SVG go — and the author is told what was removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

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
            elif name in URL_ATTRIBUTES and value:
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else ""
                if scheme and scheme not in URL_SCHEMES:
                    self._note(f"địa chỉ {scheme}:")

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


class Cleaner:
    """Cleans each authored page and remembers, per source file, what it removed."""

    def __init__(self) -> None:
        self.removed: dict[str, list[str]] = {}

    def __call__(self, html: str, source: str) -> str:
        parts = removed_parts(html)
        if parts:
            self.removed.setdefault(source, [])
            self.removed[source] += [p for p in parts if p not in self.removed[source]]
        return clean(html)


def sanitize(html: str, source: str) -> tuple[str, list[str]]:
    """Return `html` cleaned, and what was removed from it (for the warning naming `source`)."""
    return clean(html), removed_parts(html)
