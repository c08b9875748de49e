"""Plain text out of an author's Markdown, for feed summaries, listings and meta descriptions."""

from __future__ import annotations

import re
import signal
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .limits import MAX_NESTING, MAX_RENDER_SECONDS
from .sanitize import attribute_policy
from .text import heading_slug, strip_controls

# The extensions mkdocs.yml turns on, so that a body that renders here within the limits renders in
# the build too (this module must not import MkDocs; keep the two lists the same).
SITE_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "def_list", "footnotes", "sane_lists", "toc")
_SITE_EXTENSION_CONFIGS = {"toc": {"slugify": heading_slug}}
_CONTAINER = re.compile(r" {0,3}(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))\s?")

class SafeAttributes(Extension):
    """Holds every attribute that Markdown put on an element to the portal's policy (sanitize.py)
    before the table of contents, the skip link and the page are made from them: an attribute list
    such as `## Mục {: id='x" onclick=…'}` gives the heading the slug id "x-onclick", links to "#x"
    inside the body follow it, and attributes outside the allowed list are dropped. What was changed
    is added to `notes` (in the words shown to authors) until the caller clears it."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (8) has set the author's attributes, before toc (5) reads the ids.
        md.treeprocessors.register(_AttributePolicy(md, self), "congkhai_attributes", 7.5)


class _AttributePolicy(Treeprocessor):
    def __init__(self, md: markdown.Markdown, owner: SafeAttributes) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        renamed: dict[str, str] = {}
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name in list(element.attrib):
                value = element.attrib[name]
                kept, note = attribute_policy(element.tag, name, value)
                if note and note not in self.owner.notes:
                    self.owner.notes.append(note)
                if kept is None and name in ("href", "src") and element.tag in ("a", "img"):
                    element.attrib[name] = ""  # MkDocs expects links and images to keep an address
                elif kept is None:
                    del element.attrib[name]
                else:
                    element.attrib[name] = kept
                if name == "id" and kept is not None and kept != value:
                    renamed[value] = kept
        for element in root.iter("a"):  # links inside the body follow renamed anchors
            href = element.attrib.get("href", "")
            if href.startswith("#") and href[1:] in renamed:
                element.attrib["href"] = "#" + renamed[href[1:]]


def site_extensions() -> list[str | Extension]:
    """Return the Markdown extensions of the site (the names in SITE_EXTENSIONS and the attribute policy)."""
    return [*SITE_EXTENSIONS, SafeAttributes()]


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
            markdown.markdown(body, extensions=site_extensions(), extension_configs=_SITE_EXTENSION_CONFIGS)
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
