"""`python build.py serve`: rebuilds on change, keeps serving on errors and shows them on the page."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, Site

from congkhai.authoring import serve
from congkhai import config
from congkhai.config import load as load_settings

FRONT = """
    title: Kế hoạch cải cách hành chính năm 2026
    number: 08/KH-THCSSM
    date: 2026-02-03
    """


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for_version(preview: serve.Preview, version: int, seconds: float = 120) -> serve.State:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = preview.snapshot()
        if state.version >= version and not state.building:
            return state
        time.sleep(0.1)
    raise AssertionError(f"không dựng xong lần {version} sau {seconds} giây")


@pytest.fixture
def preview(site: Site):
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-cchc-2026", FRONT, "Nội dung kế hoạch lần đầu.\n")
    options = config.load(site.config(), content=site.content, units=site.units, today=date(2026, 11, 22))
    lines: list[str] = []
    instance = serve.Preview(options, port=0, log=lines.append)
    instance.lines = lines  # type: ignore[attr-defined]
    instance.start()
    yield instance
    instance.stop()
    assert not instance.out.parent.exists()  # the private folder is removed


def test_watches_content_units_site_src_and_the_config(tmp_path: Path) -> None:
    options = config.Settings(content=tmp_path / "c", units=tmp_path / "u", config_file=tmp_path / "mkdocs.yml")
    assert serve.watched_paths(options) == [tmp_path / "c", tmp_path / "u", tmp_path / "site_src", tmp_path / "mkdocs.yml"]
    assert serve.is_ignored("content/a/.#ke-hoach.md") and serve.is_ignored("x.md.swp") and not serve.is_ignored("x.md")


def test_rebuilds_on_change_and_shows_errors_on_the_page(site: Site, preview: serve.Preview) -> None:
    state = wait_for_version(preview, 1)
    assert state.errors == [] and state.built_once
    assert "site" != preview.out.name or preview.out != site.out  # never the published folder
    page_url = preview.url + "thcs-a/ke-hoach/ke-hoach-cchc-2026/"
    status, page = fetch(page_url)
    assert status == 200 and "Nội dung kế hoạch lần đầu." in page
    assert serve.STATUS_PATH in page and 'id="congkhai-loi"' not in page
    assert not (preview.out / "pagefind").exists()  # search is skipped in the preview

    register_url = preview.url + "data/documents.json"
    assert [d["title"] for d in json.loads(fetch(register_url)[1])["documents"]] == \
        ["Kế hoạch cải cách hành chính năm 2026"]

    path = site.content / "thcs-a" / "ke-hoach" / "ke-hoach-cchc-2026.md"
    path.write_text(path.read_text(encoding="utf-8").replace("lần đầu", "đã sửa")
                    .replace("hành chính năm 2026", "hành chính năm 2026 (sửa)"), encoding="utf-8")
    wait_for_version(preview, 2)
    assert "Nội dung kế hoạch đã sửa." in fetch(page_url)[1]
    # the register, merged from lines each part keeps aside (which the preview remembers), follows the edit
    assert [d["title"] for d in json.loads(fetch(register_url)[1])["documents"]] == \
        ["Kế hoạch cải cách hành chính năm 2026 (sửa)"]

    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-02-03", "date: 03/02/2026"),
                    encoding="utf-8")
    state = wait_for_version(preview, 3)
    message = (f"Lỗi: {path.as_posix()}, dòng 4: 'date': cần ngày dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ "
               "2024-03-15, nhận được '03/02/2026'. Sửa thành 2026-02-03.")
    assert state.errors == [message]
    assert message in preview.lines  # type: ignore[attr-defined]
    status, page = fetch(page_url)
    assert status == 200 and "Nội dung kế hoạch đã sửa." in page  # the last good build stays on screen
    assert 'id="congkhai-loi"' in page and "Nội dung có 1 lỗi, chưa dựng lại được trang." in page
    assert "nhận được &#x27;03/02/2026&#x27;. Sửa thành 2026-02-03." in page
    body = json.loads(fetch(preview.url + serve.STATUS_PATH.lstrip("/"))[1])
    assert body["version"] == 3 and body["errors"] == [message]


@pytest.fixture
def portal_part_held(monkeypatch):
    """Hold the portal's part of every rebuild until the test lets it go (or makes it fail)."""
    from congkhai.build import pipeline
    from congkhai.build.parts import PORTAL
    from congkhai.site.engine import RenderError

    gate = {"go": threading.Event(), "fail": False, "held": threading.Event()}
    real = pipeline.build_part

    def held(ctx, name):
        if name == PORTAL:
            gate["held"].set()
            assert gate["go"].wait(60)
            if gate["fail"]:
                raise RenderError("hỏng thử")
        return real(ctx, name)

    monkeypatch.setattr(pipeline, "build_part", held)
    return gate


def test_the_edited_page_is_served_before_the_rest_of_the_rebuild(site: Site, preview: serve.Preview,
                                                                   portal_part_held, monkeypatch) -> None:
    monkeypatch.setattr(serve, "WAIT_SECONDS", 0.5)
    portal_part_held["go"].set()  # the first build goes through
    wait_for_version(preview, 1)
    portal_part_held["go"].clear()
    route = "/thcs-a/ke-hoach/ke-hoach-cchc-2026/"
    page_url = preview.url + route.lstrip("/")
    register_url = preview.url + "data/documents.json"

    def news(version: int) -> tuple[dict, float]:
        started = time.monotonic()
        body = fetch(f"{preview.url}{serve.STATUS_PATH.lstrip('/')}?v={version}&p={urllib.parse.quote(route)}")[1]
        return json.loads(body), time.monotonic() - started

    answer, waited = news(1)
    assert answer["ahead"] is False and waited >= 0.4  # no news: answered only after the wait
    path = site.content / "thcs-a" / "ke-hoach" / "ke-hoach-cchc-2026.md"
    original = path.read_text(encoding="utf-8")
    for version, fails in ((2, False), (3, True)):
        mark = f"bản {version}"
        path.write_text(original.replace("lần đầu", mark).replace("năm 2026\n", f"năm 2026 ({mark})\n", 1),
                        encoding="utf-8")
        assert portal_part_held["held"].wait(60)  # the school's part is built; the portal's waits
        deadline = time.monotonic() + 30
        while f"Nội dung kế hoạch {mark}." not in (page := fetch(page_url)[1]):
            assert time.monotonic() < deadline, "the edited page was not served before the build ended"
            time.sleep(0.05)
        state = preview.snapshot()
        assert state.building and state.version == version - 1  # served while the build is under way
        assert 'data-ahead="1"' in page
        answer, waited = news(version - 1)  # a page showing the last version learns it at once
        assert answer["ahead"] is True and answer["building"] is True and waited < 0.4
        assert f"({mark})" not in fetch(register_url)[1]  # what comes after the parts is not there yet
        portal_part_held["held"].clear()
        portal_part_held["fail"] = fails
        portal_part_held["go"].set()
        state = wait_for_version(preview, version)
        portal_part_held["go"].clear()
        page = fetch(page_url)[1]
        assert 'data-ahead="0"' in page
        if not fails:
            assert state.errors == [] and "Nội dung kế hoạch bản 2." in page
            assert "(bản 2)" in fetch(register_url)[1]
        else:  # failed after the page was served ahead: the last good site is what is served again
            assert len(state.errors) == 1 and "hỏng thử" in state.errors[0]
            assert "Nội dung kế hoạch bản 2." in page and 'id="congkhai-loi"' in page
            assert "(bản 3)" not in fetch(register_url)[1]
            assert news(version)[0]["ahead"] is False


def test_browser_reloads_by_itself_and_shows_the_error_box(site: Site, preview: serve.Preview, browser) -> None:
    wait_for_version(preview, 1)
    page = browser.new_page()
    try:
        page.goto(preview.url + "thcs-a/ke-hoach/ke-hoach-cchc-2026/")
        assert page.get_by_text("Nội dung kế hoạch lần đầu.").is_visible()
        path = site.content / "thcs-a" / "ke-hoach" / "ke-hoach-cchc-2026.md"
        path.write_text(path.read_text(encoding="utf-8").replace("lần đầu", "đã sửa"), encoding="utf-8")
        page.get_by_text("Nội dung kế hoạch đã sửa.").wait_for(timeout=120_000)
        path.write_text(path.read_text(encoding="utf-8").replace("number: 08/KH-THCSSM\n", "number: [\n"),
                        encoding="utf-8")
        box = page.locator("#congkhai-loi")
        box.wait_for(timeout=120_000)
        assert "Nội dung có 1 lỗi" in box.inner_text()
        assert ("ke-hoach-cchc-2026.md, dòng 4: phần đầu YAML không đọc được: danh sách trong ngoặc vuông thiếu dấu "
                "']' đóng") in box.inner_text()
    finally:
        page.close()


def test_a_change_to_a_unit_file_is_shown_after_the_rebuild(site: Site, preview: serve.Preview) -> None:
    wait_for_version(preview, 1)
    unit_url = preview.url + "ubnd-xa/"
    status, page = fetch(unit_url)
    assert status == 200 and "0210 3800 001" in page and "0210 3800 999" not in page
    path = site.units / "ubnd-xa.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("phone: 0210 3800 001", "phone: 0210 3800 999"),
                    encoding="utf-8")
    state = wait_for_version(preview, 2)
    assert state.errors == []
    status, page = fetch(unit_url)
    assert status == 200 and "0210 3800 999" in page and "0210 3800 001" not in page
    assert 'href="tel:02103800999"' in page


OVERRIDE_MARK = "Mẫu trang đã sửa trong site_src"


@pytest.fixture
def themed_preview(site: Site):
    """A preview whose mkdocs.yml points at a throwaway copy of site_src beside it (watched there):
    the repository's own site_src is never touched."""
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-cchc-2026", FRONT, "Nội dung kế hoạch lần đầu.\n")
    shutil.copytree(REPO / "site_src", site.root / "site_src")
    config = site.config()
    overrides = site.root / "site_src" / "overrides"
    text = config.read_text(encoding="utf-8").replace(str(REPO / "site_src" / "overrides"), str(overrides))
    assert f"custom_dir: {overrides}" in text
    config.write_text(text, encoding="utf-8")
    options = load_settings(config, content=site.content, units=site.units, today=date(2026, 11, 22),
                            cache_dir=site.root / "cache")
    assert site.root / "site_src" in serve.watched_paths(options)
    instance = serve.Preview(options, port=0, log=lambda line: None)
    instance.start()
    state = wait_for_version(instance, 1)
    assert state.errors == []
    yield instance, overrides
    instance.stop()
    assert not instance.out.parent.exists()
    assert "ck-mau-moi" not in (REPO / "site_src" / "overrides" / "main.html").read_text(encoding="utf-8")
    assert "ck-mau-moi" not in (REPO / "site_src" / "overrides" / "assets" / "stylesheets" / "congkhai.css"
                                ).read_text(encoding="utf-8")


def test_a_change_to_a_site_src_template_is_shown_after_the_rebuild(themed_preview) -> None:
    preview, overrides = themed_preview
    page_url = preview.url + "thcs-a/ke-hoach/ke-hoach-cchc-2026/"
    status, page = fetch(page_url)
    assert status == 200 and "Nội dung kế hoạch lần đầu." in page and OVERRIDE_MARK not in page
    template = overrides / "main.html"
    written = template.read_text(encoding="utf-8")
    assert "  {{ super() }}\n{% endblock %}" in written
    template.write_text(written.replace("  {{ super() }}\n{% endblock %}",
                                        f'  {{{{ super() }}}}\n  <p class="ck-mau-moi">{OVERRIDE_MARK}</p>\n'
                                        "{% endblock %}"), encoding="utf-8")
    state = wait_for_version(preview, 2)
    assert state.errors == []
    status, page = fetch(page_url)
    assert status == 200 and "Nội dung kế hoạch lần đầu." in page
    assert f'<p class="ck-mau-moi">{OVERRIDE_MARK}</p>' in page


def test_a_change_to_a_site_src_stylesheet_is_served_after_the_rebuild(themed_preview) -> None:
    preview, overrides = themed_preview
    css_url = preview.url + "assets/stylesheets/congkhai.css"
    status, css = fetch(css_url)
    assert status == 200 and ".ck-mau-moi" not in css
    stylesheet = overrides / "assets" / "stylesheets" / "congkhai.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n.ck-mau-moi { font-weight: 700; }\n",
                          encoding="utf-8")
    state = wait_for_version(preview, 2)
    assert state.errors == []
    status, css = fetch(css_url)
    assert status == 200 and ".ck-mau-moi { font-weight: 700; }" in css
