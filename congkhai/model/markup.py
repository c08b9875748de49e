"""An author's Markdown body, converted once: the HTML a page shows (held to the portal's attribute
policy and cleaned with the HTML sanitiser), its table of contents, what was removed (for the warning
to the author), and the plain text of its blocks (for search, feed summaries and descriptions).

Every body is converted when the document is read, within MAX_RENDER_SECONDS whatever its size, with
one Python-Markdown instance per process (reset between bodies); nothing downstream converts it
again. A rebuild does not convert a body it converted before: `known` lends render_body the
previous results by the SHA-256 of their text. The portal's own Markdown (page templates, the authoring guide) goes through `render_trusted`
with the same extensions, unsanitised.
"""

from __future__ import annotations

import ctypes
import hashlib
import marshal
import re
import signal
import threading
import xml.etree.ElementTree as etree
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .limits import MAX_NESTING, MAX_RENDER_SECONDS
from .sanitize import attribute_policy, clean, removed_parts
from .text import heading_slug, strip_controls

# The Markdown extensions of every page, with the settings of the table of contents (permalinks).
SITE_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list", "footnotes",
                   "sane_lists")  # MkDocs always added the first three; the others were listed in mkdocs.yml
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # The permalink is the character itself, not "&para;": the sanitiser writes it so, and a body it
    # leaves unchanged needs no second look for what it removed (render_body).
    "toc": {"slugify": heading_slug, "permalink": "¶", "permalink_title": "Liên kết đến mục này"},
}
_CONTAINER = re.compile(r" {0,3}(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))\s?")

# A table-of-contents entry: (level, anchor id, title as HTML, entries below it).
TocEntry = tuple[int, str, str, tuple[Any, ...]]


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
                if kept is None:
                    del element.attrib[name]
                else:
                    element.attrib[name] = kept
                if name == "id" and kept is not None and kept != value:
                    renamed[value] = kept
        for element in root.iter("a"):  # links inside the body follow renamed anchors
            href = element.attrib.get("href", "")
            if href.startswith("#") and href[1:] in renamed:
                element.attrib["href"] = "#" + renamed[href[1:]]


def pack(value: Any) -> bytes:
    """Return text (strings, tuples of them) compressed (zlib, fast level): a portal holds every
    document's body and search record from reading to the end of the build, and Vietnamese text held
    as Python strings takes two bytes a character; packed it takes about a sixth of that (issue 23)."""
    return zlib.compress(marshal.dumps(value), 1)


def unpack(packed: bytes) -> Any:
    """Return the value of `pack`."""
    return marshal.loads(zlib.decompress(packed))


@dataclass(frozen=True)
class RenderedBody:
    """A Markdown body converted for publication (see the module's docstring). Its HTML and block
    texts are kept packed (`pack`), and unpacked when asked for."""

    packed: bytes  # the HTML and the plain text of every block, in reading order
    toc: tuple[TocEntry, ...] = ()
    removed: tuple[str, ...] = ()  # what the policy and the sanitiser took out or changed
    lead: str = ""  # the first paragraph as plain text
    source: str = ""  # SHA-256 of the Markdown text it was converted from
    text_size: int = 0  # characters of text in the blocks

    @classmethod
    def of(cls, html: str, toc: tuple[TocEntry, ...] = (), removed: tuple[str, ...] = (),
           blocks: tuple[str, ...] = (), lead: str = "", source: str = "") -> RenderedBody:
        """Return a converted body from its parts."""
        return cls(pack((html, blocks)), toc, removed, lead, source, sum(len(block) for block in blocks))

    @property
    def html(self) -> str:
        """Return the body as HTML."""
        return unpack(self.packed)[0]

    @property
    def blocks(self) -> tuple[str, ...]:
        """Return the plain text of every block, in reading order."""
        return unpack(self.packed)[1]


class RenderTimeout(BaseException):
    """Rendering one body took longer than MAX_RENDER_SECONDS (a BaseException, so no library swallows it)."""


class BodyError(Exception):
    """A body that cannot be published; `line` (in the body, 0-based) where known, `message` in Vietnamese."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@lru_cache(maxsize=1)
def _converter() -> tuple[markdown.Markdown, SafeAttributes]:
    """Return this process's Markdown instance (made once; reset between bodies) and its attribute policy."""
    policy = SafeAttributes()
    md = markdown.Markdown(extensions=[*SITE_EXTENSIONS, policy], extension_configs=EXTENSION_CONFIGS)
    return md, policy


def _convert(text: str) -> tuple[str, tuple[TocEntry, ...], list[str]]:
    """Return the HTML, table of contents and attribute notes of Markdown `text`, within the time limit."""
    md, policy = _converter()
    md.reset()
    policy.notes.clear()
    try:
        with _deadline(MAX_RENDER_SECONDS):
            html = md.convert(text)
    except RecursionError:
        _converter.cache_clear()  # an interrupted conversion may leave the instance half-way: make a new one
        raise BodyError("nội dung lồng nhau quá sâu, không dựng được trang. Sửa: bớt các cấp danh sách, trích dẫn "
                        "hay thẻ HTML lồng trong nhau.") from None
    except RenderTimeout:
        _converter.cache_clear()
        raise BodyError(f"nội dung quá phức tạp: dựng trang mất hơn {MAX_RENDER_SECONDS:g} giây. Sửa: kiểm tra các "
                        "dấu '[', '(' hay '<' không được đóng; nội dung rất dài thì đăng thành tệp PDF đính kèm.") from None
    return html, tuple(_toc(t) for t in getattr(md, "toc_tokens", [])), list(policy.notes)


def _toc(token: dict[str, Any]) -> TocEntry:
    return (token["level"], token["id"], token["name"], tuple(_toc(child) for child in token["children"]))


def render_body(body: str) -> RenderedBody:
    """Return an author's body converted, checked and cleaned for publication; raises BodyError
    (lists nested deeper than MAX_NESTING, recursion too deep, more than MAX_RENDER_SECONDS)."""
    source = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    if (held := _KNOWN.get(source)) is not None:
        return held
    for index, line in enumerate(body.split("\n")):
        depth = nesting(line)
        if depth > MAX_NESTING:
            raise BodyError(f"danh sách hoặc trích dẫn lồng nhau {depth} cấp, tối đa {MAX_NESTING} cấp. Sửa: bớt cấp "
                            "lồng (mỗi cấp là 4 dấu cách thụt lề, một dấu '>' hay một dấu '-' đầu dòng).", index)
    raw, toc, notes = _convert(body)
    html = clean(raw)
    # What the sanitiser took out is looked for only when it changed something (most bodies: nothing).
    removed = removed_parts(raw) if html != raw else []
    found = _parse_blocks(html)
    lead = next((text for tag, text in found if tag == "p"), "")
    return RenderedBody.of(html, toc, tuple([*removed, *(n for n in notes if n not in removed)]),
                           tuple(text for _, text in found), lead, source)


_KNOWN: dict[str, RenderedBody] = {}


@contextmanager
def known(bodies: Iterable[RenderedBody]) -> Iterator[None]:
    """Within the block (and in workers forked within it), render_body returns one of `bodies` for the
    text it was converted from instead of converting that text again. The conversion is a function of
    the text and the code alone, so `bodies` must come from this code (the caller's cache key says so)."""
    _KNOWN.update((b.source, b) for b in bodies if b.source)
    try:
        yield
    finally:
        _KNOWN.clear()


def render_trusted(text: str) -> tuple[str, tuple[TocEntry, ...]]:
    """Return the HTML and table of contents of the portal's own Markdown (templates, the guide).
    A page template's output is HTML with a few Markdown headings: those are converted directly, as
    the toc extension would (slug ids, permalinks), without a full Markdown pass over the HTML."""
    fast = _headings_only(text)
    if fast is not None:
        return fast
    html, toc, _ = _convert(text)
    return html, toc


_HEADING = re.compile(r"(#{1,6}) (.+?)\s*")
_MARKDOWN_IN_TITLE = re.compile(r"[<&*`\[\]_\\!]")
_PERMALINK = '<a class="headerlink" href="#{0}" title="Liên kết đến mục này">¶</a>'


def _headings_only(text: str) -> tuple[str, tuple[TocEntry, ...]] | None:
    """Return `text` with its "## Heading" lines made HTML headings, when every other non-blank line
    is HTML (starts with '<'); None when the text needs the full Markdown conversion."""
    out: list[str] = []
    toc: list[TocEntry] = []
    used: set[str] = set()
    for line in text.split("\n"):
        match = _HEADING.fullmatch(line)
        if match is None:
            if line.strip() and not line.lstrip().startswith("<"):
                return None
            out.append(line)
            continue
        level, title = len(match.group(1)), match.group(2)
        if _MARKDOWN_IN_TITLE.search(title):
            return None
        anchor = base = heading_slug(title)
        number = 0
        while anchor in used:  # as the toc extension makes a repeated id unique: x, x_1, x_2…
            number += 1
            anchor = f"{base}_{number}"
        used.add(anchor)
        out.append(f'<h{level} id="{anchor}">{title}{_PERMALINK.format(anchor)}</h{level}>')
        toc.append((level, anchor, title, ()))
    return "\n".join(out), _nested(toc)


def _nested(flat: list[TocEntry]) -> tuple[TocEntry, ...]:
    """Return flat headings nested as the toc extension nests them (an h3 under the h2 before it)."""
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(0, root)]
    for level, anchor, title, _ in flat:
        while stack[-1][0] >= level:
            stack.pop()
        children: list[Any] = []
        stack[-1][1].append((level, anchor, title, children))
        stack.append((level, children))

    def freeze(items: list[Any]) -> tuple[TocEntry, ...]:
        return tuple((lv, an, ti, freeze(ch)) for lv, an, ti, ch in items)

    return freeze(root)


_SKIP = {"script", "style", "iframe", "object", "svg", "math", "template", "noscript"}
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre"}


class _Blocks(HTMLParser):
    """Collects the text of each block (paragraph, list item, cell, heading), ignoring markup; an
    admonition's title is not a paragraph of the text."""

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
            title = tag == "p" and "admonition-title" in (dict(attrs).get("class") or "").split()
            self._stack.append(("title" if title else tag, []))
        elif tag == "br" and self._stack:
            self._stack[-1][1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor_skips:
            self._skip -= self._anchor_skips.pop()
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag in _BLOCKS and self._stack and self._stack[-1][0] in (tag, "title"):
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


def _parse_blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush(pop=True)
    return parser.blocks


def html_blocks(html: str) -> list[str]:
    """Return the plain text of every block of rendered HTML (paragraphs, items, cells, headings)."""
    return [text for _, text in _parse_blocks(html)]


def summary(lead: str, description: str | None, limit: int = 400) -> str:
    """Return the document's description, else its first paragraph (`lead`), cut at `limit` characters."""
    text = description or lead
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut + "…"
    return text


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


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise RenderTimeout in the block after `seconds`: a real-time alarm in the main thread of a
    process (the build reads documents there, in each worker process); in another thread (the live
    preview builds in one), a timer that raises it in this thread between two Python instructions."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum: int, frame: object) -> None:
            raise RenderTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(RenderTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:  # raised already, or still pending: never let it out of this block later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
