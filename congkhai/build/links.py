"""Link integrity of a built site: every internal link and asset reference resolves to a file of the
output. HTML pages are read for href/src/srcset/poster and refresh redirects; feeds, OPML lists and
sitemaps for their links into the site (absolute addresses under `site_url`); calendars for their URL."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..model.problems import Problems, display_path

# Attributes that point at another file, by element ("*": any element).
LINK_ATTRIBUTES = {
    "*": ("href", "src", "poster"),
    "object": ("data",),
}
XML_SUFFIXES = frozenset({".xml", ".opml"})
_XML_LINK_ATTRIBUTES = ("href", "url", "xmlUrl", "htmlUrl")
_XML_LINK_ELEMENTS = frozenset({"link", "loc"})
_REFRESH = re.compile(r"^\s*\d+\s*;\s*url\s*=\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class BrokenLink:
    """A link in one output file (a site-root path such as "thcs-a/index.html") that leads nowhere."""

    file: str
    link: str


def html_links(text: str) -> list[str]:
    """Return every link and asset reference written in an HTML page, in order (parsed with lxml, as
    leniently as a browser)."""
    if not text.strip():
        return []
    root = etree.fromstring(text, etree.HTMLParser())
    found: list[str] = []
    for element in root.iter() if root is not None else ():
        if not isinstance(element.tag, str):  # a comment or a processing instruction
            continue
        names = LINK_ATTRIBUTES["*"] + LINK_ATTRIBUTES.get(element.tag, ())
        for name, value in element.attrib.items():
            if name in names:
                found.append(value)
            elif name == "srcset":
                found += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
        if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.match(element.get("content") or "")
            if match:
                found.append(match.group(1).strip("'\""))
    return found


def xml_links(data: bytes) -> list[str]:
    """Return every address in a feed, OPML list or sitemap (element text of <link>/<loc>, and
    href/url/xmlUrl/htmlUrl attributes)."""
    found = []
    for element in ET.fromstring(data).iter():
        local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if local in _XML_LINK_ELEMENTS and element.text and element.text.strip():
            found.append(element.text.strip())
        found += [element.attrib[name] for name in _XML_LINK_ATTRIBUTES if element.attrib.get(name)]
    return found


def calendar_links(text: str) -> list[str]:
    """Return the URL of every event in an iCalendar file (folded lines joined)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    return [line.split(":", 1)[1].strip() for line in unfolded.splitlines() if line.upper().startswith("URL")
            and ":" in line]


def target(link: str, file: str, site_url: str | None) -> str | None:
    """Return the site-root path that `link`, written in output file `file`, must lead to ("" is the
    home page, a trailing "/" a folder); None when the link leaves the site (another host, mail,
    telephone) or only names a place in the same page; "../" when it climbs above the site root."""
    link = link.strip()
    base = (site_url or "").rstrip("/")
    if base and (link == base or link.startswith(base + "/")):
        link = "/" + link[len(base):].lstrip("/")
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None  # "#muc-2" or "?q=": the page itself
    if path.startswith("/"):
        prefix = urlsplit(base).path  # a portal served under a folder: https://host/cong/
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix):] or "/"
        joined = posixpath.normpath(path.lstrip("/") or ".")
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(file), path))
    if joined == ".." or joined.startswith("../"):
        return "../"
    if joined == ".":
        return ""
    return joined + "/" if path.endswith("/") else joined


def resolves(root: Path, path: str) -> bool:
    """Return True when the site-root `path` names a file of the site under `root` (a folder counts
    when it holds index.html, as web servers serve it)."""
    if path == "../":
        return False
    candidate = root / path
    if path == "" or path.endswith("/") or candidate.is_dir():
        return (candidate / "index.html").is_file()
    return candidate.is_file()


def links_of(path: Path) -> list[str]:
    """Return the links of one output file (none for files that hold no links)."""
    if path.suffix == ".html":
        return html_links(path.read_text(encoding="utf-8", errors="replace"))
    if path.suffix in XML_SUFFIXES:
        try:
            return xml_links(path.read_bytes())
        except ET.ParseError:
            return []  # not ours to judge: every feed is written by the portal and tested well-formed
    if path.suffix == ".ics":
        return calendar_links(path.read_text(encoding="utf-8", errors="replace"))
    return []


def check_site(root: Path, site_url: str | None) -> list[BrokenLink]:
    """Return every link of the site under `root` that leads to no file of it, sorted by file and link."""
    broken: set[BrokenLink] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        file = path.relative_to(root).as_posix()
        for link in links_of(path):
            wanted = target(link, file, site_url)
            if wanted is not None and not resolves(root, wanted):
                broken.add(BrokenLink(file, link))
    return sorted(broken, key=lambda b: (b.file, b.link))


def report(broken: list[BrokenLink], sources: Mapping[str, str], out: Path, problems: Problems) -> None:
    """Record a warning (an error under --strict) for each broken link, on the document's source file
    (`sources`: output file -> source file) when an author wrote the page, else on the output file."""
    for item in broken:
        source = sources.get(item.file)
        page = "/" + (item.file[: -len("index.html")] if item.file.endswith("index.html") else item.file)
        if source is not None:
            problems.warning(source, None, None,
                             f"trang {page} có liên kết '{item.link}' không dẫn tới tệp nào của cổng. Sửa: kiểm tra "
                             "địa chỉ trong nội dung (liên kết tới văn bản khác của cổng viết dạng "
                             "'../../ke-hoach/ten-tep/'; tệp kèm theo ghi vào 'attachments').")
        else:
            problems.warning(display_path(out / item.file), None, None,
                             f"trang {page} có liên kết '{item.link}' không dẫn tới tệp nào của cổng. Sửa: đây là lỗi "
                             "của giao diện (site_src/) hoặc của công cụ; hãy báo cho người quản trị cổng.")
