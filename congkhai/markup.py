"""Plain text out of an author's Markdown, for feed summaries, listings and meta descriptions."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from html.parser import HTMLParser

import markdown

from .limits import MAX_NESTING, MAX_RENDER_SECONDS
from .text import heading_slug, strip_controls

# The extensions mkdocs.yml turns on, so that a body that renders here within the limits renders in
# the build too (this module must not import MkDocs; keep the two lists the same).
SITE_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "def_list", "footnotes", "sane_lists", "toc")
_SITE_EXTENSION_CONFIGS = {"toc": {"slugify": heading_slug}}
_CONTAINER = re.compile(r" {0,3}(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))\s?")

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


# Python-Markdown is quadratic in the number of unclosed brackets, tags and the like (20,000 '['
# take 79 s); a body with fewer markup characters than this renders in well under a second, so only
# bodies above it are rendered once during `check` to hold them to MAX_RENDER_SECONDS.
TRIAL_RENDER_FROM = 2_000
_MARKUP_CHARACTERS = "[]<>()*_`{}!\\|~&#"


class RenderTimeout(BaseException):
    """Rendering one body took longer than MAX_RENDER_SECONDS (a BaseException, so no library swallows it)."""


def nesting(line: str) -> int:
    """Return how many lists and quotations a Markdown line opens: its indentation in steps of four
    columns (when it starts a list item or quotation) plus each marker in a row ("> - > - x" is 4)."""
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    rest, markers = stripped, 0
    while (match := _CONTAINER.match(rest)) is not None and match.end() > 0:
        rest = rest[match.end():]
        markers += 1
    if markers == 0:
        return 0
    return (len(expanded) - len(stripped)) // 4 + markers


def body_problems(body: str, first_line: int) -> list[tuple[int | None, str]]:
    """Return (line, message) for each reason the Markdown `body` cannot be published: lists or
    quotations nested deeper than MAX_NESTING, or rendering that recurses too deep or takes longer
    than MAX_RENDER_SECONDS (the limits in congkhai/limits.py). `first_line` is the body's first
    line in the file."""
    for index, line in enumerate(body.split("\n")):
        depth = nesting(line)
        if depth > MAX_NESTING:
            return [(first_line + index,
                     f"danh sách hoặc trích dẫn lồng nhau {depth} cấp, tối đa {MAX_NESTING} cấp. Sửa: bớt cấp lồng "
                     "(mỗi cấp là 4 dấu cách thụt lề, một dấu '>' hay một dấu '-' đầu dòng).")]
    if sum(body.count(c) for c in _MARKUP_CHARACTERS) < TRIAL_RENDER_FROM:
        return []  # too little markup to be slow: Python-Markdown's slow cases grow with the markup
    try:
        with _deadline(MAX_RENDER_SECONDS):
            markdown.markdown(body, extensions=list(SITE_EXTENSIONS), extension_configs=_SITE_EXTENSION_CONFIGS)
    except RecursionError:
        return [(None, "nội dung lồng nhau quá sâu, không dựng được trang. Sửa: bớt các cấp danh sách, trích dẫn "
                       "hay thẻ HTML lồng trong nhau.")]
    except RenderTimeout:
        return [(None, f"nội dung quá phức tạp: dựng trang mất hơn {MAX_RENDER_SECONDS:g} giây. Sửa: kiểm tra các "
                       "dấu '[', '(' hay '<' không được đóng; nội dung rất dài thì đăng thành tệp PDF đính kèm.")]
    return []


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise RenderTimeout in the block after `seconds` (a real-time alarm; only the main thread can
    set one, so elsewhere the block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise RenderTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
