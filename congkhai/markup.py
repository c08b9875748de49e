"""Plain text out of an author's Markdown, for feed summaries, listings and meta descriptions."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown

from .text import strip_controls

_SKIP = {"script", "style", "iframe", "object", "svg", "math", "template", "noscript"}


class _Paragraphs(HTMLParser):
    """Collects the text of each top-level paragraph, ignoring markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "p" and self._current is None:
            self._current = []
        elif tag == "br" and self._current is not None:
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag == "p" and self._current is not None:
            text = " ".join("".join(self._current).split())
            if text:
                self.paragraphs.append(text)
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._skip:
            self._current.append(data)


def paragraphs(body: str) -> list[str]:
    """Return the plain text of each paragraph of a Markdown body (headings, lists and tables skipped)."""
    html = markdown.markdown(body, extensions=["tables", "sane_lists"])
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return [strip_controls(p) for p in parser.paragraphs]


def summary(body: str, description: str | None, limit: int = 400) -> str:
    """Return the document's description, else its first paragraph as plain text, cut at `limit`."""
    text = description or next(iter(paragraphs(body)), "")
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut + "…"
    return text
