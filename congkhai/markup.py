"""Plain text out of an author's Markdown, for feed summaries, listings and meta descriptions."""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser

import markdown

from .text import strip_controls

_SKIP = {"script", "style", "iframe", "object", "svg", "math", "template", "noscript"}


_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre"}


class _Blocks(HTMLParser):
    """Collects the text of each block (paragraph, list item, cell, heading), ignoring markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[tuple[str, list[str]]] = []
        self._skip = 0
        self._anchor_skips: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":  # a heading's permalink ("¶") is not text
            permalink = "headerlink" in (dict(attrs).get("class") or "").split()
            self._anchor_skips.append(permalink)
            self._skip += permalink
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            self._stack.append((tag, []))
        elif tag == "br" and self._stack:
            self._stack[-1][1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor_skips:
            self._skip -= self._anchor_skips.pop()
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag in _BLOCKS and self._stack and self._stack[-1][0] == tag:
            self._flush(pop=True)

    def handle_data(self, data: str) -> None:
        if self._stack and not self._skip:
            self._stack[-1][1].append(data)

    def _flush(self, pop: bool = False) -> None:
        if not self._stack:
            return
        tag, parts = self._stack.pop() if pop else self._stack[-1]
        text = " ".join("".join(parts).split())
        if text:
            self.blocks.append((tag, strip_controls(text)))
        parts.clear()


@lru_cache(maxsize=4096)
def blocks(body: str) -> tuple[tuple[str, str], ...]:
    """Return (tag, plain text) of each block of a Markdown body, in reading order."""
    html = markdown.markdown(body, extensions=["tables", "sane_lists"])
    return tuple(_parse_blocks(html))


def _parse_blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush(pop=True)
    return parser.blocks


def html_blocks(html: str) -> list[str]:
    """Return the plain text of every block of rendered HTML (paragraphs, items, cells, headings)."""
    return [text for _, text in _parse_blocks(html)]


def paragraphs(body: str) -> list[str]:
    """Return the plain text of each paragraph of a Markdown body (headings, lists and tables skipped)."""
    return [text for tag, text in blocks(body) if tag == "p"]


def plain_text(body: str) -> list[str]:
    """Return the plain text of every block of a Markdown body (paragraphs, items, cells, headings)."""
    return [text for _, text in blocks(body)]


def summary(body: str, description: str | None, limit: int = 400) -> str:
    """Return the document's description, else its first paragraph as plain text, cut at `limit`."""
    text = description or next(iter(paragraphs(body)), "")
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut + "…"
    return text
