"""Nothing injected: authored HTML is cleaned, front-matter text is escaped, and the author is told."""

from __future__ import annotations

from conftest import REPO, Site

from congkhai.model.sanitize import clean, removed_parts

REPO_OVERRIDES = REPO / "site_src" / "overrides"

HOSTILE = (
    '<p onclick="steal()">Xin chào</p>\n\n<script>alert("x")</script>\n\n'
    '<iframe src="https://example.com"></iframe>\n\n<style>body{display:none}</style>\n\n'
    '<form action="https://example.com"><input name="mk"></form>\n\n'
    '<svg><script>alert(2)</script></svg>\n\n'
    '[bấm vào đây](javascript:alert(3)) ![ảnh](data:image/png;base64,AAAA)\n\n'
    '| Cột | Giá trị |\n|---|---|\n| a<br>b | x<sup>2</sup> |\n\n![Sơ đồ trường](so-do.png)\n'
)


def test_the_harmless_part_stays() -> None:
    html = '<table><tr><td>a<br>b</td><td>x<sup>2</sup></td></tr></table><img src="so-do.png" alt="Sơ đồ">'
    assert clean(html) == ('<table><tbody><tr><td>a<br>b</td><td>x<sup>2</sup></td></tr></tbody></table>'
                           '<img src="so-do.png" alt="Sơ đồ">')
    assert removed_parts(html) == []


def test_a_hostile_body_is_cleaned_and_reported(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "tin-tuc", "tin", "title: Tin\ndate: 2025-03-01\n", body=HOSTILE)
    assert site.run("build") == 0
    out = capsys.readouterr().out
    assert ("Cảnh báo: content/thcs-a/tin-tuc/tin.md: nội dung có mã HTML không an toàn, đã bị loại bỏ khi đăng: "
            "thuộc tính onclick, thẻ <script>, thẻ <iframe>, thẻ <style>, thẻ <form>, thẻ <input>, thẻ <svg>, "
            "địa chỉ javascript:, địa chỉ data:.") in out
    page = (site.out / "thcs-a/tin-tuc/tin/index.html").read_text(encoding="utf-8")
    article = page[page.index('<article'):page.index('</article>')]
    for bad in ("onclick", "alert(", "<iframe", "display:none", "<form", "<input", "javascript:", "data:image"):
        assert bad not in article
    assert "<td>a<br>b</td>" in article and "<sup>2</sup>" in article and 'alt="Sơ đồ trường"' in article
    assert site.run("build", "--strict") == 1


# --- Front-matter text and unit names: escaped in every output file -------------------------------

import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from pathlib import Path  # noqa: E402

from conftest import MINIMAL_PDF  # noqa: E402

MARK = "ck-xss"
PAYLOAD = (f'<script>alert("{MARK}-1")</script> <img src=x onerror=alert("{MARK}-2")> '
           f'[bấm](javascript:alert("{MARK}-3")) <a href="javascript:alert(\'{MARK}-4\')">đây</a>')
LIVE_SCHEMES = re.compile(r"\s*(javascript|data|vbscript):", re.IGNORECASE)
TAG_IN_TEXT = re.compile(r"<\s*(script|img|a|iframe|svg)\b", re.IGNORECASE)


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_portal(site: Site) -> None:
    """A portal whose unit names, document title, tag, attachment title and body all carry script."""
    site.unit("so-gd", f"code: so-gd\nname: {_yaml('Sở ' + PAYLOAD)}\nkind: so\n")
    site.unit("thcs-a", f"code: thcs-a\nname: {_yaml('Trường ' + PAYLOAD)}\nkind: thcs\nparent: so-gd\n")
    site.raw("content/thcs-a/ke-hoach/ke-hoach.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2025", f"""
        title: {_yaml('=HYPERLINK("https://evil.example") Kế hoạch ' + PAYLOAD)}
        date: 2025-03-01
        number: 05/KH-THCS
        tags: [{_yaml('Thẻ ' + PAYLOAD)}]
        attachments:
          - file: ke-hoach.pdf
            title: {_yaml('Tệp ' + PAYLOAD)}
        """, body=f"# Mục {PAYLOAD}\n\nĐoạn đầu {PAYLOAD}\n\n{PAYLOAD}\n\n{ATTRIBUTE_LISTS}")


class _LiveMarkup(HTMLParser):
    """Finds markup that would run: a script holding the payload, an event handler, a javascript:/data:
    address, or the payload's own image."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.live.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data") and LIVE_SCHEMES.match(value):
                self.live.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.live.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def live_markup(path: Path) -> list[str]:
    """Return what in one output file could run as markup, judged by what the file is."""
    data = path.read_bytes()
    if path.suffix == ".html":
        from congkhai.site.audit import live_code

        parser = _LiveMarkup()
        parser.feed(data.decode("utf-8"))
        return parser.live + live_code(data)
    if path.suffix in (".xml", ".opml"):  # readers render descriptions (and some render titles) as HTML
        texts = [t for e in ET.fromstring(data).iter() for t in [e.text or "", *e.attrib.values()]]
        return [t[:60] for t in texts if TAG_IN_TEXT.search(t)]
    if path.suffix == ".json":  # no '<' at all, even if a browser sniffs the file as HTML
        return ["<"] if b"<" in data else []
    if path.suffix == ".ics":
        return TAG_IN_TEXT.findall(re.sub(r"\r\n[ \t]", "", data.decode("utf-8")))
    if path.suffix == ".csv":  # data, not markup: but no cell may run as a spreadsheet formula
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return [cell for row in rows for cell in row if cell.startswith(("=", "+", "@"))]
    if path.parent.name == "fragment":  # Pagefind's records: JSON data that pagefind.js escapes on display
        raw = gzip.decompress(data)
        json.loads(raw[len(b"pagefind_dcd"):])
        return []
    return [MARK] if MARK.encode() in data and path.suffix not in (".pf_fragment",) else []


def test_script_in_any_text_never_reaches_any_output_file_as_live_markup(site: Site) -> None:
    hostile_portal(site)
    assert site.run("build") == 0
    files = [p for p in sorted(site.out.rglob("*")) if p.is_file()]
    assert len(files) > 100
    found = {p.relative_to(site.out).as_posix(): live_markup(p) for p in files}
    assert {path: live for path, live in found.items() if live} == {}
    # the text is there, escaped, wherever it is shown
    page = (site.out / "thcs-a/ke-hoach/ke-hoach-2025/index.html").read_text(encoding="utf-8")
    assert "Kế hoạch &lt;script&gt;alert(&#34;ck-xss-1&#34;)&lt;/script&gt;" in page.replace("&quot;", "&#34;")
    assert "Tệp &lt;script&gt;" in page
    feed = ET.parse(site.out / "thcs-a/ke-hoach/rss.xml").getroot()
    assert "Thẻ \u2039script>alert(\"ck-xss-1\")\u2039/script>" in [c.text[:38] for c in feed.iter("category")]
    register = json.loads((site.out / "data/documents.json").read_text(encoding="utf-8"))
    assert register["documents"][0]["title"].endswith("Kế hoạch " + PAYLOAD)
    assert register["documents"][0]["unit_name"] == "Trường " + PAYLOAD
    csv_text = (site.out / "data/documents.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in csv_text
    assert b'fragment.content.replace(/</g,"&lt;")' in (site.out / "pagefind/pagefind.js").read_bytes()


def test_search_results_show_hostile_titles_as_text(browser, site: Site) -> None:
    from conftest import serve
    from test_search import search_page

    hostile_portal(site)
    assert site.run("build") == 0
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(site.out) as base:
        (result,) = search_page(page, base, "hyperlink")
        page.goto(f"{base}thcs-a/ke-hoach/ke-hoach-2025/")
        page.goto(base)
    assert result["title"] == '=HYPERLINK("https://evil.example") Kế hoạch ' + PAYLOAD
    assert "<img" not in result["excerpt"] and "<script" not in result["excerpt"]
    assert dialogs == []


# --- Attribute lists, the table of contents and the skip link: one policy for every attribute ------

from congkhai.model.sanitize import attribute_policy  # noqa: E402
from congkhai.site.audit import live_code  # noqa: E402

ATTRIBUTE_LISTS = """\
## Tiêu đề {: id='x" onmouseover="alert(1)' }

Xem [mục trên](#x" onmouseover="alert(1)).

## Hai {: #abc .cls" onclick="alert(2)" title='t" onfocus="alert(3)' data-toc-label='<img src=x onerror=alert(4)>' }

![ảnh trường](truong.png){: onerror="alert(5)" src="javascript:alert(6)" }

[liên kết](https://example.vn){: href="javascript:alert(7)" target="_top" style="background:url(javascript:alert(8))" }

| Cột | Giá trị |
|-----|---------|
| a   | 1       |
{: .bang onclick="alert(9)" }

!!! note "Lưu ý <img src=y onerror=alert(10)>"
    Nội dung {: onclick="alert(11)" }

<div markdown="1" onclick="alert(12)" id='y" autofocus onfocus="alert(13)'>
## Trong khối {: id="z' onclick='alert(14)" }
</div>

Chú thích[^ghi-chu].

[^ghi-chu]: Ghi chú <b onclick="alert(15)">đậm</b>.
"""


def test_attribute_lists_cannot_put_script_in_the_heading_the_toc_or_the_skip_link(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "tb", "title: Thông báo\ndate: 2025-03-01\n", body=ATTRIBUTE_LISTS)
    assert site.run("build") == 0
    out = capsys.readouterr().out
    assert "content/thcs-a/thong-bao/tb.md: nội dung có mã HTML không an toàn" in out
    assert "mã neo id='x\" onmouseover=\"alert(1)' (đổi thành 'x-onmouseover-alert-1')" in out
    for told in ("thuộc tính onclick", "thuộc tính onerror", "địa chỉ javascript:", "thuộc tính data-toc-label",
                 "thuộc tính style"):
        assert told in out, told
    html = (site.out / "thcs-a/thong-bao/tb/index.html").read_text(encoding="utf-8")
    assert live_code(html) == []
    assert 'title="t&quot; onfocus=&quot;alert(3)"' in html  # a title stays, as text
    # every id in the page is a slug the portal made; the skip link and the table of contents use it
    ids = re.findall(r'\sid="([^"]*)"', html)
    body_ids = [i for i in ids if "alert" in i]
    assert body_ids and all(re.fullmatch(r"[a-z0-9-]+", i) for i in body_ids)
    skip = re.search(r'<a href="([^"]*)" class="md-skip">', html).group(1)
    assert skip == "#x-onmouseover-alert-1"
    assert 'class="md-nav__link"' in html and 'href="#x-onmouseover-alert-1" class="md-nav__link"' in html
    # a link inside the body to the renamed anchor follows it
    assert 'href="#x-onmouseover-alert-1">mục trên</a>' in html
    # footnotes keep working, with slug ids
    assert re.search(r'id="fn-ghi-chu"', html) and 'href="#fn-ghi-chu"' in html
    # the admonition's title is text, the table and image stay (without their hostile attributes)
    assert "Lưu ý" in html and "<table" in html and 'alt="ảnh trường"' in html
    # nothing live in any other file of the site either
    assert {p.relative_to(site.out).as_posix(): found for p in site.out.rglob("*.html")
            if (found := live_code(p.read_bytes()))} == {}
    assert site.run("build", "--strict") == 1


def test_the_attribute_policy() -> None:
    assert attribute_policy("h2", "id", "Mục-1") == ("muc-1", None)  # folded quietly
    assert attribute_policy("h2", "id", 'x" onclick="y')[0] == "x-onclick-y"
    assert attribute_policy("h2", "id", 'x" onclick="y')[1].startswith("mã neo id=")
    assert attribute_policy("table", "class", "bang dep") == ("bang dep", None)
    assert attribute_policy("table", "class", 'bang x"<y>') == ("bang", "tên lớp class='bang x\"<y>'")
    assert attribute_policy("a", "href", " JaVa\tScript:alert(1)") == (None, "địa chỉ javascript:")
    assert attribute_policy("a", "href", "tai-lieu.pdf") == ("tai-lieu.pdf", None)
    assert attribute_policy("img", "src", "data:image/png;base64,AA") == (None, "địa chỉ data:")
    assert attribute_policy("p", "onclick", "x") == (None, "thuộc tính onclick")
    assert attribute_policy("h2", "data-toc-label", "x") == (None, "thuộc tính data-toc-label")
    assert attribute_policy("td", "colspan", "2") == ("2", None)


def test_the_audit_finds_whatever_could_run() -> None:
    safe = ('<html><head><script id="__config" type="application/json">{"a":1}</script>'
            '<script src="assets/x.js"></script></head><body><a href="../y/">y</a>'
            '<img src="a.png" alt=""></body></html>')
    assert live_code(safe) == []
    cases = {
        '<script>alert(1)</script>': "mã script nội tuyến",
        '<script src="https://evil.example/x.js"></script>': "script từ nơi khác (https://evil.example/x.js)",
        '<script src="//evil.example/x.js"></script>': "script từ nơi khác (//evil.example/x.js)",
        '<p onmouseover="x()">a</p>': "thuộc tính sự kiện onmouseover",
        '<a href=" javascript:x()">a</a>': "địa chỉ không an toàn href=' javascript:x()'",
        '<iframe src="a.html"></iframe>': "thẻ <iframe>",
        '<base href="https://evil.example/">': "thẻ <base>",
        '<meta http-equiv="refresh" content="0; url=javascript:x()">': "chuyển trang tới địa chỉ không an toàn",
        '<img srcset="a.png 1x, javascript:x() 2x">': "địa chỉ không an toàn trong srcset (javascript:x())",
        '<div style="background:url(javascript:x())">': "mã trong thuộc tính style",
        '<form action="data:text/html,x"></form>': "địa chỉ không an toàn action='data:text/html,x'",
    }
    for fragment, expected in cases.items():
        assert live_code(f"<html><body>{fragment}</body></html>") == [expected], fragment


def test_a_theme_override_with_inline_script_stops_the_build_and_keeps_the_site(site: Site, capsys) -> None:
    import shutil

    site.standard_units()
    site.doc("thcs-a", "thong-bao", "tb", "title: Thông báo\ndate: 2025-03-01\n")
    theme = site.root / "theme"
    shutil.copytree(REPO_OVERRIDES, theme)
    config = site.config(add="")
    config.write_text(config.read_text(encoding="utf-8").replace(str(REPO_OVERRIDES), str(theme)), encoding="utf-8")
    assert site.run("build", config=config) == 0
    before = (site.out / "index.html").read_bytes()
    main = theme / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + '\n{% block announce %}<b onclick="track()">Tin</b>'
                    "<script>track()</script>{% endblock %}\n", encoding="utf-8")
    capsys.readouterr()
    assert site.run("build", config=config) == 1
    out = capsys.readouterr().out
    assert "Lỗi: content/thcs-a/thong-bao/tb.md: trang /thcs-a/thong-bao/tb/ có phần có thể chạy trong trình duyệt " \
           "(thuộc tính sự kiện onclick, mã script nội tuyến)" in out
    assert "Lỗi: site_src/: trang /, /404.html, " in out  # pages no author wrote: the theme is to blame
    assert (site.out / "index.html").read_bytes() == before
