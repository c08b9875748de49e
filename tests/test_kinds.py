"""The registry of kinds: every stage asks it, and a kind is one entry. The admissions kind
(tuyen-sinh) is the demonstration: its module, its template, its guide section and these tests are all
it took; no other file of the package names it."""

from __future__ import annotations

import re
import subprocess
from contextlib import chdir

from conftest import REPO, Site

from congkhai import cli
from congkhai.authoring import scaffold
from congkhai.kinds import KINDS, REGISTRY, tuyen_sinh
from congkhai.model.kind import Kind

ADMISSION = """
title: Thông báo tuyển sinh lớp 6 năm học 2026 – 2027
number: 15/TB-THCS
date: 2026-06-10
school_year: 2026-2027
grade: Lớp 6
places: 315
apply_from: 2026-07-01
apply_until: 2026-07-15
method: xet-tuyen
area: Phường Bến Đò
"""


def test_every_kind_is_one_entry_with_a_template_and_a_guide_section() -> None:
    guide = (REPO / "docs" / "huong-dan-soan-thao.md").read_text(encoding="utf-8")
    templates = REPO / "congkhai" / "site" / "templates"
    assert [k.folder for k in KINDS] == list(REGISTRY)
    for kind in KINDS:
        assert isinstance(kind, Kind) and re.fullmatch(r"[a-z]+(-[a-z]+)*", kind.folder)
        assert f"### {kind.guide_heading}" in guide, kind.folder
        assert kind.folder in ("ke-hoach", "thong-bao") or (templates / kind.template).is_file(), kind.folder
        assert kind.body and kind.about and kind.label


def test_no_file_of_the_package_but_its_own_names_the_admissions_kind() -> None:
    own = {"congkhai/kinds/tuyen_sinh.py", "congkhai/kinds/__init__.py", "congkhai/site/templates/kinds/tuyen-sinh.html"}
    found = subprocess.run(["git", "grep", "-l", "-e", "tuyen_sinh", "-e", "tuyen-sinh", "--", "congkhai"],
                           cwd=REPO, capture_output=True, text=True).stdout.split()
    assert set(found) <= own, sorted(set(found) - own)


def test_an_admissions_notice_goes_through_every_stage(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "tuyen-sinh", "tuyen-sinh-lop-6", ADMISSION, body="Nội dung thông báo tuyển sinh.\n")
    assert site.messages() == []
    assert site.run("build", on="2026-07-05") == 0
    page = (site.out / "thcs-a/tuyen-sinh/tuyen-sinh-lop-6/index.html").read_text(encoding="utf-8")
    for text in ("<dt>Chỉ tiêu</dt><dd>315 học sinh</dd>", "01/07/2026 – 15/07/2026", "Xét tuyển",
                 "ck-badge--warn\">Đang nhận hồ sơ"):
        assert text in page, text
    listing = (site.out / "thcs-a/tuyen-sinh/index.html").read_text(encoding="utf-8")
    assert "Lớp 6 năm học 2026 – 2027" in listing and "Đang nhận hồ sơ" in listing
    assert "<title>Thông báo tuyển sinh lớp 6" in (site.out / "thcs-a/tuyen-sinh/rss.xml").read_text(encoding="utf-8")
    unit = (site.out / "thcs-a/index.html").read_text(encoding="utf-8")
    assert 'href="tuyen-sinh/"' in unit
    assert 'value="tuyen-sinh"' in (site.out / "tim-kiem/index.html").read_text(encoding="utf-8")
    # after the window the page says so, and the notice stays
    assert site.run("build", on="2026-08-01") == 0
    page = (site.out / "thcs-a/tuyen-sinh/tuyen-sinh-lop-6/index.html").read_text(encoding="utf-8")
    assert "Đã hết hạn nhận hồ sơ</p><p>Hạn nhận hồ sơ tuyển sinh là ngày 15 tháng 7 năm 2026" in page


def test_admission_mistakes_are_named(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tuyen-sinh", "sai", "title: Tuyển sinh\ndate: 2026-06-10\nschool_year: 2026-2028\n"
             "places: 0\napply_from: 2026-07-15\napply_until: 2026-07-01\nmethod: boc-tham\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tuyen-sinh/sai.md, dòng 4: 'school_year': năm học phải có dạng 2026-2027 (hai năm liền "
        "nhau), nhận được '2026-2028'.",
        "Lỗi: content/thcs-a/tuyen-sinh/sai.md, dòng 5: 'places': chỉ tiêu phải từ 1 trở lên, nhận được '0'.",
        "Lỗi: content/thcs-a/tuyen-sinh/sai.md, dòng 7: 'apply_until': hạn nhận hồ sơ trước ngày bắt đầu nhận "
        "(15/07/2026), nhận được '2026-07-01'. Sửa: kiểm tra lại hai ngày nhận hồ sơ.",
        "Lỗi: content/thcs-a/tuyen-sinh/sai.md, dòng 8: 'method': phương thức tuyển sinh không hợp lệ, nhận được "
        "'boc-tham'. Sửa: dùng một trong các giá trị: xet-tuyen, thi-tuyen, ket-hop, phan-tuyen.",
    ]


def test_new_writes_every_field_of_the_admissions_kind(site: Site, capsys) -> None:
    site.standard_units()
    with chdir(site.root):
        assert cli.main(["new", "tuyen-sinh", "--unit", "thcs-a", "--title", "Tuyển sinh lớp 6"]) == 0
    text = (site.content / "thcs-a/tuyen-sinh/tuyen-sinh-lop-6.md").read_text(encoding="utf-8")
    for name in scaffold.kind_fields(tuyen_sinh.KIND):
        assert f"\n{name}:" in text or f"\n#{name}:" in text, name
    assert "# (places) Chỉ tiêu tuyển sinh" in text
    assert site.messages() == []
