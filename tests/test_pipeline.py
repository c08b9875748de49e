"""The build as a whole: all-or-nothing output, reproducibility, and what it refuses."""

from __future__ import annotations

import shutil

from conftest import MINIMAL_PDF, Site, tree_digest
from test_documents import ERRORS, write_mistakes


def good_site(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/du-toan.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024", "title: Kế hoạch năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n")
    site.doc("thcs-a", "tai-chinh", "du-toan-2025",
             "title: Công khai dự toán năm 2025\nnumber: 12/QĐ-THCS\ndate: 2025-01-20\nreport: du-toan\nfiscal_year: 2025\n"
             "attachments:\n  - file: du-toan.pdf\n    title: Biểu mẫu dự toán\n")
    site.doc("ubnd-xa", "thong-bao", "lich-tiep-dan", "title: Lịch tiếp công dân\ndate: 2025-08-04\n")


def test_failed_build_leaves_the_previous_site_byte_identical(site: Site, capsys) -> None:
    good_site(site)
    assert site.run("build") == 0
    before = tree_digest(site.out)
    assert "thcs-a/ke-hoach/ke-hoach-2024/index.html" in before
    shutil.rmtree(site.content)
    write_mistakes(site)
    capsys.readouterr()
    assert site.run("build") == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:-1] == ERRORS
    assert tree_digest(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".congkhai-cache", "content", "site", "units"]


def test_same_input_and_date_give_byte_identical_output(site: Site) -> None:
    good_site(site)
    assert site.run("build", on="2026-03-01") == 0
    first = tree_digest(site.out)
    assert site.run("build", on="2026-03-01") == 0
    assert tree_digest(site.out) == first
    assert site.run("build", on="2026-03-02") == 0
    assert tree_digest(site.out) != first


def test_output_folder_holding_other_files_is_refused(site: Site, capsys) -> None:
    good_site(site)
    site.raw("site/ghi-chu.txt", "tệp của người dùng")
    assert site.run("build") == 1
    out = capsys.readouterr().out
    assert "site đã có dữ liệu không do công cụ này tạo ra; không ghi đè." in out
    assert (site.out / "ghi-chu.txt").read_text(encoding="utf-8") == "tệp của người dùng"


def test_build_without_site_url_says_so_and_skips_feeds(site: Site, capsys) -> None:
    good_site(site)
    config = site.config(drop=("site_url",))
    assert site.run("build", config=config) == 0
    out = capsys.readouterr().out
    assert "chưa có địa chỉ công khai của cổng (site_url trong mkdocs.yml hoặc --site-url)" in out
    assert not (site.out / "rss.xml").exists()
    assert (site.out / "thcs-a" / "index.html").exists()


def test_strict_turns_warnings_into_errors(site: Site, capsys) -> None:
    good_site(site)
    site.doc("thcs-a", "thong-bao", "so-trong", "title: Thông báo\ndate: 2024-03-10\nnumber: /TB-THCS\n")
    assert site.run("build") == 0
    assert site.run("build", "--strict") == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Có 1 lỗi và 0 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên."
    )
