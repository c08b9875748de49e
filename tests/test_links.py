"""Link integrity: after a build every internal link and asset reference resolves to a file of the
output; the sample portal has no broken link; --strict refuses a site that has one."""

from __future__ import annotations

from pathlib import Path

from conftest import Site

from congkhai.build import links
from congkhai.build.links import BrokenLink, check_site, target

SITE_URL = "https://congkhai.honglam.example.vn/"


def test_target_reads_links_as_a_browser_and_a_feed_reader_would() -> None:
    page = "thcs-a/ke-hoach/kh/index.html"
    assert [target(link, page, SITE_URL) for link in [
        "../", "../../", "tep.pdf", "./tep%20moi.pdf?v=2#trang-3", "/rss.xml", "#muc-1", "?q=a", "",
        SITE_URL + "thcs-a/", SITE_URL.rstrip("/"), "https://example.vn/x", "mailto:a@b.vn", "tel:0210",
        "//cdn.example/x.js", "../../../../ra-ngoai/",
    ]] == [
        "thcs-a/ke-hoach/", "thcs-a/", "thcs-a/ke-hoach/kh/tep.pdf", "thcs-a/ke-hoach/kh/tep moi.pdf", "rss.xml",
        None, None, None, "thcs-a/", "", None, None, None, None, "../",
    ]
    assert target("/cong/thcs-a/", page, "https://host.example/cong/") == "thcs-a/"  # served under a folder


def test_every_kind_of_reference_in_every_kind_of_file_is_checked(tmp_path: Path) -> None:
    (tmp_path / "thcs-a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="thcs-a/">đơn vị</a><img src="logo.png" srcset="logo.png 1x, logo-2x.png 2x">'
        '<link rel="stylesheet" href="assets/a.css"><script src="assets/a.js"></script>'
        '<meta http-equiv="refresh" content="0; url=cu/">', encoding="utf-8")
    (tmp_path / "thcs-a/index.html").write_text('<a href="../">về trang chủ</a>', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"")
    (tmp_path / "rss.xml").write_text(
        f'<rss><channel><link>{SITE_URL}</link><item><link>{SITE_URL}thcs-a/x/</link>'
        f'<enclosure url="{SITE_URL}thcs-a/x/a.pdf"/></item></channel></rss>', encoding="utf-8")
    (tmp_path / "feeds.opml").write_text(
        f'<opml><body><outline xmlUrl="{SITE_URL}rss.xml" htmlUrl="{SITE_URL}khong-co/"/></body></opml>',
        encoding="utf-8")
    (tmp_path / "lich.ics").write_text(f"BEGIN:VEVENT\r\nURL:{SITE_URL}thcs-a/tinh-hinh-\r\n cong-khai/\r\nEND:VEVENT\r\n",
                                       encoding="utf-8")
    assert check_site(tmp_path, SITE_URL) == [
        BrokenLink("feeds.opml", SITE_URL + "khong-co/"),
        BrokenLink("index.html", "assets/a.css"), BrokenLink("index.html", "assets/a.js"),
        BrokenLink("index.html", "cu/"), BrokenLink("index.html", "logo-2x.png"),
        BrokenLink("lich.ics", SITE_URL + "thcs-a/tinh-hinh-cong-khai/"),
        BrokenLink("rss.xml", SITE_URL + "thcs-a/x/"), BrokenLink("rss.xml", SITE_URL + "thcs-a/x/a.pdf"),
    ]


def test_the_sample_portal_has_no_broken_link(sample_site: Path) -> None:
    checked = sum(len(links.links_of(p)) for p in sample_site.rglob("*") if p.is_file())
    assert checked > 10_000  # pages, feeds, OPML, sitemaps and calendars were all read
    assert check_site(sample_site, SITE_URL) == []


def test_strict_build_refuses_a_broken_link_and_names_the_page_and_the_link(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", "title: Kế hoạch\ndate: 2025-03-01\n", body="Xem [phụ lục](phu-luc/).\n")
    assert site.run("build") == 0
    before = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*")}
    site.doc("thcs-a", "ke-hoach", "kh", "title: Kế hoạch\ndate: 2025-03-02\n", body="Xem [phụ lục](phu-luc/).\n")
    capsys.readouterr()
    assert site.run("build", "--strict") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "Lỗi: content/thcs-a/ke-hoach/kh.md: trang /thcs-a/ke-hoach/kh/ có liên kết 'phu-luc/' không dẫn tới tệp "
        "nào của cổng. Sửa: kiểm tra địa chỉ trong nội dung (liên kết tới văn bản khác của cổng viết dạng "
        "'../../ke-hoach/ten-tep/'; tệp kèm theo ghi vào 'attachments').")
    assert {p.relative_to(site.out).as_posix() for p in site.out.rglob("*")} == before
    assert "ngày 01 tháng 3 năm 2025" in (site.out / "thcs-a/ke-hoach/kh/index.html").read_text(encoding="utf-8")
