"""A school's own site: one unit built standalone under a path prefix, served there, every internal
link and asset resolving in Chromium, its own search working; and the embed snippet showing the
latest postings in a plain page of another website."""

from __future__ import annotations

import html
import json
import re
from contextlib import chdir
from datetime import date
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from conftest import REPO, SAMPLE_ON, free_port, serve

from congkhai import cli
from congkhai.model.problems import Problems
from congkhai.model.units import load_units

UNIT = "thcs-hoa-sen"
PREFIX = "/cong-khai/"
PORTAL = "https://congkhai.honglam.example.vn/"


@pytest.fixture(scope="module")
def unit_site(tmp_path_factory) -> tuple[Path, int]:
    """The sample's THCS school built as its own site for http://127.0.0.1:<port>/cong-khai/."""
    out = tmp_path_factory.mktemp("don-vi") / "site"
    port = free_port()
    with chdir(REPO):
        code = cli.main(["build", "--unit", UNIT, "--site-url", f"http://127.0.0.1:{port}{PREFIX}", "--out", str(out),
                         "--on", SAMPLE_ON, "--cache-dir", str(out.parent / "cache")])
    assert code == 0
    return out, port


def test_the_unit_site_holds_its_unit_only_and_links_back_to_the_portal(unit_site) -> None:
    out, _ = unit_site
    units = {p.stem for p in (REPO / "units").glob("*.yml")}
    present = {p.name for p in out.iterdir() if p.is_dir()}
    assert present & units == {UNIT}  # nothing of another unit
    home = (out / UNIT / "index.html").read_text(encoding="utf-8")
    assert f'href="{PORTAL}"' in home  # the way back to the shared portal
    assert f'href="{PORTAL}ubnd-phuong-hoa-sen/"' in home  # and to its supervising unit there
    assert "Trường Trung học cơ sở Hoa Sen – thông tin công khai" in home
    register = (out / "data" / "documents.json").read_text(encoding="utf-8")
    assert {d["unit"] for d in json.loads(register)["documents"]} == {UNIT}
    feed = (out / UNIT / "rss.xml").read_text(encoding="utf-8")
    assert "http://127.0.0.1:" in feed and PORTAL not in feed
    assert not (out / "huong-dan").exists()  # the authoring guide is the shared portal's, not the school's


def test_the_portal_publishes_the_authoring_guide(sample_site: Path) -> None:
    guide = (REPO / "docs" / "huong-dan-soan-thao.md").read_text(encoding="utf-8")
    page = (sample_site / "huong-dan" / "index.html").read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in guide.splitlines() if line.startswith("## ")]
    assert len(headings) > 5 and all(h.replace("`", "") in page.replace("<code>", "").replace("</code>", "")
                                     for h in headings[:5])
    ids = set(re.findall(r'id="([^"]+)"', page))
    anchors = set(re.findall(r'href="#([^"]+)"', page))
    assert anchors and anchors <= ids  # every link inside the guide lands on a heading
    assert 'href="huong-dan/"' in (sample_site / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_and_asset_resolves_under_the_prefix_in_chromium(browser, unit_site) -> None:
    out, port = unit_site
    with serve(out, PREFIX, port) as base:
        page = browser.new_page()
        failures: list[str] = []
        page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda e: failures.append(f"lỗi JavaScript: {e}"))
        seen: set[str] = set()
        queue = [base, base + UNIT + "/"]
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            fetched = page.request.get(url)  # feeds, calendars, attachments: checked, not opened
            assert fetched.status == 200, url
            if not (fetched.headers.get("content-type") or "").startswith("text/html"):
                continue
            answer = page.goto(url)  # a page: every asset it loads is checked by the response hook
            assert answer is not None and answer.status == 200, url
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                target, _ = urldefrag(href)
                parts = urlsplit(target)
                if parts.netloc == f"127.0.0.1:{port}":
                    assert parts.path.startswith(PREFIX), f"{url} → {href}"
                    if not parts.query:
                        queue.append(target)
                else:
                    assert parts.scheme in ("https", "mailto", "tel"), f"{url} → {href}"
        assert len(seen) > 40
        assert failures == []
        # its own search, scoped to it, through the real search box
        page.goto(base + UNIT + "/")
        page.fill("#ck-search-input", "ke hoach")
        page.wait_for_selector(".ck-search__panel .ck-result", timeout=15000)
        hits = page.locator(".ck-search__panel .ck-result a").evaluate_all("els => els.map(e => e.href)")
        assert hits and all(urlsplit(h).path.startswith(PREFIX + UNIT + "/") for h in hits)
        assert failures == []
        page.close()


def test_the_embed_snippet_shows_the_latest_postings_in_a_narrow_frame(browser, sample_site: Path, tmp_path) -> None:
    embed = (sample_site / UNIT / "moi-nhat" / "index.html").read_text(encoding="utf-8")
    assert len(embed.encode("utf-8")) < 20_000 and "<script" not in embed
    snippet = next(block for block in (REPO / "README.md").read_text(encoding="utf-8").split("```html\n")[1:]
                   if "moi-nhat" in block).split("```")[0]
    register = json.loads((sample_site / "data" / "documents.json").read_text(encoding="utf-8"))["documents"]
    newest = max((d for d in register if d["unit"] == UNIT and d["status"] == "published"),
                 key=lambda d: (d["published"], d["url"]))
    with serve(sample_site) as base:
        host = tmp_path / "truong"
        host.mkdir()
        # The school's page gives the snippet a column exactly 300 px wide (the snippet's width is 100%).
        (host / "index.html").write_text(
            "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Trường</title></head><body>"
            "<h1>Trang của trường</h1><div style='width:300px'>" + snippet.replace(PORTAL, base)
            + "</div></body></html>", encoding="utf-8")
        with serve(host) as school:
            page = browser.new_page(viewport={"width": 1024, "height": 800})
            page.goto(school)
            box = page.locator("iframe").bounding_box()
            assert box is not None and box["width"] == 300
            frame = page.frame_locator("iframe")
            first = frame.locator("li a").first
            first.wait_for(timeout=10000)
            assert first.inner_text() == newest["title"]
            inner = page.frames[1]
            assert inner.evaluate("() => window.innerWidth") == 300
            sizes = inner.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                                   " document.body.scrollWidth, document.body.clientWidth]")
            assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes  # no sideways scrolling at 300 px
            # every posting, title and date, is laid out inside the frame (none cut off on the right)
            edges = inner.evaluate("() => Array.from(document.querySelectorAll('li, li *'), e => "
                                   "[e.getBoundingClientRect().left, e.getBoundingClientRect().right])")
            assert len(edges) > 3 and all(0 <= left and right <= sizes[1] for left, right in edges), edges
            page.close()
    feed = json.loads((sample_site / UNIT / "moi-nhat.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["title"].startswith(newest["title"] + " – ")  # the unit's name after the title


SUPERVISOR = "ubnd-phuong-hoa-sen"


def test_a_unit_with_its_subordinates_holds_them_and_nothing_else(sample_site: Path, tmp_path: Path) -> None:
    units = load_units(REPO / "units", Problems())
    day = date.fromisoformat(SAMPLE_ON)
    under = {code for code, unit in units.items()
             if code != SUPERVISOR and unit.active_on(day) and units.is_within(code, SUPERVISOR, day)}
    assert UNIT in under and len(under) >= 3  # the sample's commune has several schools today
    scope = under | {SUPERVISOR}
    outside = set(units) - scope
    assert outside
    out = tmp_path / "site"
    site_url = "https://ubnd-phuong-hoa-sen.example.gov.vn/cong-khai/"
    with chdir(REPO):
        code = cli.main(["build", "--unit", SUPERVISOR, "--with-subordinates", "--site-url", site_url,
                         "--out", str(out), "--on", SAMPLE_ON, "--cache-dir", str(tmp_path / "cache")])
    assert code == 0
    present = {p.name for p in out.iterdir() if p.is_dir()}
    assert present & set(units) == scope  # each school under it today, and no other unit
    for unit in scope:
        assert (out / unit / "index.html").is_file(), unit
    # every posting of the units in scope, as the shared portal lists them, and no other
    shared = json.loads((sample_site / "data" / "documents.json").read_text(encoding="utf-8"))["documents"]
    own = json.loads((out / "data" / "documents.json").read_text(encoding="utf-8"))["documents"]
    assert {d["unit"] for d in own} == scope
    assert sorted(d["guid"] for d in own) == sorted(d["guid"] for d in shared if d["unit"] in scope)
    assert all(d["url"].startswith(site_url) for d in own)
    # no page of it leads to another unit's pages on this site (what it cites links to the shared portal)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 100
    local = 0
    for path in pages:
        here = site_url + path.relative_to(out).as_posix()
        for href in re.findall(r'href="([^"#]*)', path.read_text(encoding="utf-8")):
            target = urljoin(here, html.unescape(href))
            if target.startswith(site_url):
                local += 1
                first = target[len(site_url):].split("/", 1)[0]
                assert first not in outside, (path.relative_to(out).as_posix(), href)
    assert local > 1000
    home = (out / SUPERVISOR / "index.html").read_text(encoding="utf-8")
    assert f'href="{PORTAL}"' in home and f'href="{PORTAL}so-gddt/"' in home  # back to the portal and the Sở
