"""Nothing published wrong (issue 19): one owner per output path, every input accounted for,
spreadsheets read as the reader sees them, identities that never repeat, plausible input, faults of
the machine in Vietnamese, a sound up-to-date check, a unit's own site that stands alone."""

from __future__ import annotations

import errno
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINIMAL_PDF, REPO, SAMPLE_ON, Site, tree_digest

from congkhai import cli

PLAN = "title: Kế hoạch năm 2025\ndate: 2025-03-01\nnumber: 05/KH-THCS\n"


def messages(site: Site) -> list[str]:
    return site.messages()


# --- one owner per output path ----------------------------------------------------------------------

def test_two_files_at_one_address_are_an_error_naming_both(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/a/Ke-hoach.pdf", MINIMAL_PDF)
    site.raw("content/thcs-a/ke-hoach/b/ke-hoach.PDF", MINIMAL_PDF)
    site.raw("content/thcs-a/tai-chinh/bang-so-lieu.csv", "code,name,parent,Dự toán\n1,Chi,,100\n")
    site.doc("thcs-a", "ke-hoach", "kh", PLAN + "aliases: [kh]\nattachments:\n- file: a/Ke-hoach.pdf\n"
             "- file: b/ke-hoach.PDF\n")
    site.doc("thcs-a", "tai-chinh", "du-toan", "title: Dự toán 2025\ndate: 2025-01-20\nreport: du-toan\n"
             "fiscal_year: '2025'\nperiod: '2025'\nmoney_unit: dong\ntable_file: bang-so-lieu.csv\n"
             "attachments:\n- file: bang-so-lieu.csv\n")
    found = messages(site)
    assert ("Lỗi: content/thcs-a/ke-hoach/kh.md, dòng 5: 'aliases': địa chỉ cũ trùng với địa chỉ hiện tại của văn "
            "bản, nhận được 'kh'.") in " ".join(found)
    assert any("tệp đính kèm 'b/ke-hoach.PDF' và tệp đính kèm 'a/Ke-hoach.pdf' cùng được đăng ở một địa chỉ "
               "…/kh/ke-hoach.pdf" in m for m in found), found
    assert any("tệp 'bang-so-lieu.csv' do cổng tạo cho công khai tài chính và tệp đính kèm 'bang-so-lieu.csv'" in m
               for m in found), found
    assert site.run("build") == 1


def test_two_documents_whose_names_fold_to_one_address_are_an_error_naming_both(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2025", PLAN)
    site.doc("thcs-a", "ke-hoach", "Kế-hoạch-2025", PLAN.replace("05/KH", "06/KH"))
    found = "\n".join(messages(site))
    assert re.search(r"ke-hoach/ke-hoach-2025\.md: hai văn bản cùng một địa chỉ /thcs-a/ke-hoach/ke-hoach-2025/ "
                     r"\(tệp này và content/thcs-a/ke-hoach/Kế-hoạch-2025\.md\)", found), found
    assert site.run("build") == 1


def test_parts_of_the_site_never_overwrite_each_other() -> None:
    from congkhai.build.cache import Entry, FileClash, wanted_files

    a = Entry(Path("/x/_portal"), ("sitemap.xml", "rss.xml"), (1, 2), {})
    b = Entry(Path("/x/_index"), ("sitemap.xml",), (3,), {})
    with pytest.raises(FileClash) as clash:
        wanted_files([a, b])
    assert "(portal và index) cùng tạo tệp /sitemap.xml" in str(clash.value)


# --- every input accounted for ----------------------------------------------------------------------

def test_every_file_under_content_is_built_attached_or_reported(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", PLAN + "attachments:\n- file: ban-scan.pdf\n")
    folder = site.content / "thcs-a" / "ke-hoach"
    site.raw("content/thcs-a/ke-hoach/ban-scan.pdf", MINIMAL_PDF)
    for name in ("HOA-DON.MD", "Nhap.Md", "tin.markdown", "ghi-chu.md.txt", "ke-hoach.md~", "~$bao-cao.docx",
                 ".~lock.bang.ods#", "Thumbs.db"):
        site.raw(f"content/thcs-a/ke-hoach/{name}", "---\ntitle: x\n---\n")
    site.raw("content/thcs-a/ke-hoach/khong-dung.pdf", MINIMAL_PDF)
    site.raw("content/thcs-a/ghi-chu.txt", "x")
    os.symlink("khong-co.md", folder / "hong.md")
    os.symlink("vong.md", folder / "vong.md")
    os.symlink("/etc/hostname", folder / "ra-ngoai.md")
    os.symlink("../../../units", folder / "thu-muc-ngoai")
    found = "\n".join(messages(site))
    for name, fix in [("HOA-DON.MD", "đổi tên tệp thành HOA-DON.md"), ("Nhap.Md", "đổi tên tệp thành Nhap.md"),
                      ("tin.markdown", "tin.md"), ("ghi-chu.md.txt", "ghi-chu.md"),
                      ("ke-hoach.md~", "tệp tạm"), ("~$bao-cao.docx", "tệp tạm"), (".~lock.bang.ods#", "tệp tạm"),
                      ("Thumbs.db", "tệp tạm"), ("khong-dung.pdf", "không được văn bản nào dùng đến"),
                      ("hong.md", "trỏ tới tệp không còn tồn tại"), ("vong.md", "vòng lặp"),
                      ("ra-ngoai.md", "dẫn ra ngoài thư mục content/thcs-a/"),
                      ("thu-muc-ngoai", "dẫn ra ngoài thư mục content/thcs-a/")]:
        assert re.search(rf"content/thcs-a/ke-hoach/{re.escape(name)}: [^\n]*{re.escape(fix)}", found), name
    assert "content/thcs-a/ghi-chu.txt: văn bản phải có đuôi .md" in found
    assert "ban-scan.pdf" not in found  # attached: accounted for
    assert "Traceback" not in found


def test_every_entry_of_units_is_read_or_reported(site: Site) -> None:
    site.standard_units()
    site.raw("units/ghi-chu.txt", "x")
    site.raw("units/truong-c.YML", "name: Trường C\n")
    site.raw("units/truong-d.yml~", "name: Trường D\n")
    site.raw("units/cu/truong-e.yml", "name: Trường E\n")
    site.raw("units/.gitkeep", "")
    os.symlink("khong-co.yml", site.units / "hong.yml")
    os.symlink("vong.yml", site.units / "vong.yml")
    os.symlink("/etc/hostname", site.units / "ra-ngoai.yml")
    found = "\n".join(messages(site))
    for name, text in [("ghi-chu.txt", "không phải tệp đơn vị"), ("truong-c.YML", "đổi tên thành truong-c.yml"),
                       ("truong-d.yml~", "tệp tạm"), ("cu", "thư mục con trong units/"),
                       ("hong.yml", "trỏ tới tệp không còn tồn tại"), ("vong.yml", "vòng lặp"),
                       ("ra-ngoai.yml", "dẫn ra ngoài thư mục units/")]:
        assert re.search(rf"units/{re.escape(name)}: [^\n]*{re.escape(text)}", found), (name, found)
    assert ".gitkeep" not in found
    assert "Traceback" not in found
    assert site.run("build") == 1  # the broken links are errors


def test_no_unit_takes_an_address_the_portal_itself_publishes(sample_site: Path) -> None:
    from congkhai.model.units import RESERVED_CODES

    own = {entry.name for entry in sample_site.iterdir() if entry.is_dir()}
    units = {path.stem for path in (REPO / "units").glob("*.yml")}
    assert own - units <= RESERVED_CODES, sorted(own - units - RESERVED_CODES)


def test_a_unit_code_the_portal_uses_is_refused(site: Site) -> None:
    site.standard_units()
    site.unit("quan-tri", "name: Trường Quản Trị\nkind: thcs\nparent: so-gd\n")
    found = "\n".join(messages(site))
    assert re.search(r"units/quan-tri\.yml[^\n]*quan-tri", found), found


def test_a_unit_folder_whose_record_has_mistakes_is_not_told_to_create_it(site: Site) -> None:
    site.standard_units()
    site.unit("thcs-b", "name: Trường B\nkind: dai-hoc\nparent: so-gd\n")
    site.doc("thcs-b", "ke-hoach", "kh", PLAN)
    found = messages(site)
    assert any("content/thcs-b: đơn vị của thư mục này chưa đọc được" in m and "sửa các lỗi của tệp units/thcs-b.yml"
               in m for m in found), found
    assert not any("tạo units/thcs-b.yml" in m for m in found)


# --- spreadsheets read as the reader sees them --------------------------------------------------------

def test_a_formula_whose_result_was_never_saved_is_refused(site: Site) -> None:
    import openpyxl

    site.standard_units()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "amount"])
    sheet.append(["1", "Lương", 100])
    sheet.append(["2", "Chi khác", 50])
    sheet.append(["", "Tổng", "=SUM(C2:C3)"])  # written by a script: no cached result
    (site.content / "thcs-a" / "tai-chinh").mkdir(parents=True)
    book.save(site.content / "thcs-a" / "tai-chinh" / "bang.xlsx")
    site.doc("thcs-a", "tai-chinh", "du-toan", "title: Dự toán 2025\ndate: 2025-01-20\nreport: du-toan\n"
             "fiscal_year: '2025'\nperiod: '2025'\nmoney_unit: dong\ntable_file: bang.xlsx\n")
    found = " ".join(messages(site))
    assert "ô C4 có công thức =SUM(C2:C3) nhưng tệp chưa lưu kết quả tính" in found
    assert "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại" in found


def test_no_csv_cell_the_portal_publishes_can_run_as_a_formula(site: Site) -> None:
    import csv
    import io

    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "du-toan", "title: '=HYPERLINK(\"https://x.example\")'\ndate: 2025-01-20\n"
             "report: du-toan\nfiscal_year: '2025'\nperiod: '2025'\nmoney_unit: dong\ntable:\n"
             "- code: '@1'\n  name: '+chi'\n  amount: -2500\n- code: '2'\n  name: '-Khác'\n  amount: 2500\n")
    assert site.run("build") == 0
    for path in site.out.rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")) and not re.match(r"-[^\d]", cell), (path, cell)
    table = (site.out / "thcs-a/tai-chinh/du-toan/bang-so-lieu.csv").read_text(encoding="utf-8-sig")
    assert "'@1,'+chi,1,-2500" in table  # text neutralised, numbers kept


# --- identity that never repeats ------------------------------------------------------------------------

def test_one_id_in_two_documents_is_an_error_naming_both(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", PLAN + "id: kh-2025\n")
    site.doc("ubnd-xa", "thong-bao", "tb", "title: Thông báo\ndate: 2025-03-02\nid: kh-2025\n")
    assert ("Lỗi: content/ubnd-xa/thong-bao/tb.md, dòng 4: 'id': mã nhận diện trùng với văn bản "
            "content/thcs-a/ke-hoach/kh.md, nhận được 'kh-2025'.") in " ".join(messages(site))


def test_no_feed_repeats_a_guid_and_guids_survive_a_new_title(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", PLAN + "changes:\n- date: 2025-04-01\n  note: Sửa một\n"
             "- date: 2025-04-01\n  note: Sửa hai\n- date: 2025-04-01\n  note: Sửa một\n")
    site.doc("thcs-a", "thong-bao", "tb", "title: Thông báo\ndate: 2025-03-02\nstatus: withdrawn\n"
             "withdrawn:\n  date: 2025-03-10\n  reason: Nhầm.\n")
    assert site.run("build") == 0
    before = _guids(site.out)
    for feed, guids in before.items():
        assert len(guids) == len(set(guids)), feed
    site.doc("thcs-a", "ke-hoach", "kh", PLAN.replace("Kế hoạch năm 2025", "Kế hoạch năm 2025 (sửa tên)")
             + "changes:\n- date: 2025-04-01\n  note: Sửa một\n- date: 2025-04-01\n  note: Sửa hai\n"
             "- date: 2025-04-01\n  note: Sửa một\n")
    assert site.run("build") == 0
    assert _guids(site.out) == before


def _guids(out: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(out.rglob("*.xml")):
        root = ET.parse(path).getroot()
        if root.tag == "rss":
            found[path.relative_to(out).as_posix()] = [g.text for g in root.iter("guid")]
    for path in sorted(out.rglob("moi-nhat.json")):
        found[path.relative_to(out).as_posix()] = [i["id"] for i in json.loads(path.read_text())["items"]]
    for path in sorted(out.rglob("*.ics")):
        found[path.relative_to(out).as_posix()] = re.findall(r"^UID:(.*)$", path.read_text(), re.M)
    return found


# --- plausible input -------------------------------------------------------------------------------------

def test_implausible_dates_invisible_characters_and_replacement_cycles_are_named(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "nam-sai", "title: Kế hoạch\ndate: 2062-03-01\npublished: 2062-03-02\n")
    site.doc("thcs-a", "ke-hoach", "nam-cu", "title: Kế hoạch cũ\ndate: 1026-03-01\n")
    site.doc("thcs-a", "thong-bao", "an", "title: \"Thông báo \\u202eabc\"\ndate: 2025-03-02\n"
             "number: \"05\\u200b/TB-THCS\"\n")
    site.doc("thcs-a", "thong-bao", "a", "title: A\ndate: 2025-03-02\nstatus: superseded\n"
             "superseded_by: thcs-a/thong-bao/b\n")
    site.doc("thcs-a", "thong-bao", "b", "title: B\ndate: 2025-03-03\nstatus: superseded\n"
             "superseded_by: thcs-a/thong-bao/a\n")
    found = "\n".join(messages(site))
    assert "content/thcs-a/ke-hoach/nam-sai.md, dòng 3: 'date': ngày khó có thật" in found
    assert "content/thcs-a/ke-hoach/nam-cu.md, dòng 3: 'date': ngày khó có thật" in found
    assert "content/thcs-a/thong-bao/an.md, dòng 2: 'title': có ký tự điều khiển hướng chữ vô hình (U+202E)" in found
    assert "content/thcs-a/thong-bao/an.md, dòng 4: 'number': có ký tự vô hình (U+200B), đã được bỏ khi đăng" in found
    assert "content/thcs-a/thong-bao/a.md, dòng 5: 'superseded_by': các văn bản thay thế lẫn nhau thành vòng" in found
    assert "content/thcs-a/thong-bao/b.md, dòng 5: 'superseded_by': các văn bản thay thế lẫn nhau thành vòng" in found


def test_no_document_is_hidden_without_a_message(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "hen", "title: Hẹn đăng\ndate: 2025-03-01\npublished: 2026-12-20\n")
    site.doc("thcs-a", "ke-hoach", "nhap", "title: Nháp\nstatus: draft\n")
    assert site.run("check") == 0
    out = capsys.readouterr().out
    assert "content/thcs-a/ke-hoach/hen.md: hẹn đăng ngày 20/12/2026, chưa hiện trên cổng." in out
    assert "content/thcs-a/ke-hoach/nhap.md: bản nháp (status: draft), chưa hiện trên cổng." in out


# --- faults of the machine --------------------------------------------------------------------------------

FAULTS = {
    "disk full": (errno.ENOSPC, "ổ đĩa đầy, không ghi được"),
    "read-only": (errno.EROFS, "ổ đĩa chỉ cho đọc, không ghi được"),
    "no permission": (errno.EACCES, "không có quyền truy cập"),
    "vanished": (errno.ENOENT, "tệp hoặc thư mục biến mất trong khi dựng"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("where", ["cache", "output"])
def test_a_fault_of_the_machine_is_one_vietnamese_line_and_the_site_stays(site: Site, capsys, monkeypatch,
                                                                         fault: str, where: str) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", PLAN)
    assert site.run("build") == 0
    before = tree_digest(site.out)
    site.doc("thcs-a", "ke-hoach", "kh", PLAN.replace("năm 2025", "năm 2025 (sửa)"))
    code, message = FAULTS[fault]
    target = site.root / (".congkhai-cache" if where == "cache" else "site")
    _inject(monkeypatch, code, target)
    capsys.readouterr()
    assert site.run("build") == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("Lỗi")]
    assert len(lines) == 1 and lines[0].startswith(f"Lỗi: {message}") and ". Sửa: " in lines[0], out
    assert "Traceback" not in out and os.strerror(code) not in out  # no English text of the system
    assert out.rstrip().endswith("Có 1 lỗi và 0 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên.")
    assert tree_digest(site.out) == before
    assert not [p for p in site.root.iterdir() if p.name.startswith((".site.tmp-", ".site.old-"))]


def _inject(monkeypatch, code: int, target: Path) -> None:
    """Make every write under `target` fail as the system would with `code`."""
    import shutil

    real_link, real_copy, real_mkdir = os.link, shutil.copyfile, os.mkdir

    def inside(path) -> bool:  # the target, or what is made beside it for it (.site.tmp-…, .site.prev)
        try:
            first = Path(os.path.abspath(path)).relative_to(target.parent).parts[0]
        except (ValueError, IndexError):
            return False
        return first == target.name or first.startswith("." + target.name.lstrip(".") + ".")

    def link(src, dst, *args, **kwargs):
        if inside(dst):
            raise OSError(code, os.strerror(code), str(dst))
        return real_link(src, dst, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if inside(path):
            raise OSError(code, os.strerror(code), str(path))
        return real_mkdir(path, *args, **kwargs)

    def copyfile(src, dst, *args, **kwargs):
        if inside(dst):
            raise OSError(code, os.strerror(code), str(dst))
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(shutil, "copyfile", copyfile)


def test_out_or_cache_inside_the_inputs_is_refused(site: Site, capsys) -> None:
    site.standard_units()
    for option in (["--out", "content/site"], ["--cache-dir", "units/cache"]):
        assert site.run("build", *option) == 2
        assert "nằm trong thư mục nguồn" in capsys.readouterr().err
    assert not (site.content / "site").exists() and not (site.units / "cache").exists()


# --- the up-to-date check is sound --------------------------------------------------------------------------

def test_every_kind_of_input_change_makes_the_next_build_build(site: Site, capsys) -> None:
    site.standard_units()
    shared = site.content / "thcs-a" / "ke-hoach" / "tai-lieu"  # a folder of the unit's, reached through a link
    site.raw("content/thcs-a/ke-hoach/tai-lieu/phu-luc.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "kh", PLAN + "attachments:\n- file: lien-ket/phu-luc.pdf\n")
    os.symlink("tai-lieu", site.content / "thcs-a" / "ke-hoach" / "lien-ket", target_is_directory=True)
    config = site.config()

    def build() -> str:
        capsys.readouterr()
        assert site.run("build", config=config) in (0, 1)
        return capsys.readouterr().out

    build()
    assert "không có gì thay đổi kể từ lần dựng trước" in build()
    edits = {
        "a document": lambda: site.doc("thcs-a", "ke-hoach", "kh", PLAN.replace("2025\n", "2025 mới\n", 1)
                                       + "attachments:\n- file: lien-ket/phu-luc.pdf\n"),
        "a unit file": lambda: site.unit("thcs-a", (site.units / "thcs-a.yml").read_text() + "phone: '0210 1'\n"),
        "the configuration": lambda: config.write_text(config.read_text() + "\n# sửa\n"),
        "a new file": lambda: site.raw("content/thcs-a/ke-hoach/moi.md", "---\ntitle: Mới\ndate: 2025-05-01\n---\n"),
        "a deleted file": lambda: (site.content / "thcs-a" / "ke-hoach" / "moi.md").unlink(),
        "a link's target": lambda: (shared / "phu-luc.pdf").write_bytes(MINIMAL_PDF + b"% sua\n"),
        "a theme template": lambda: _touch(REPO / "site_src" / "overrides" / "main.html"),
        "the guide": lambda: _touch(REPO / "docs" / "huong-dan-soan-thao.md"),
    }
    for name, edit in edits.items():
        edit()
        out = build()
        assert "không có gì thay đổi kể từ lần dựng trước" not in out, name
        assert "không có gì thay đổi kể từ lần dựng trước" in build(), name


def _touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


# --- a unit's own site stands alone ------------------------------------------------------------------------

def test_the_sample_built_as_a_schools_own_site_lists_only_its_own_material(tmp_path: Path, capsys) -> None:
    from contextlib import chdir

    base = "https://thcs-hoa-sen.example.vn/cong-khai/"
    with chdir(REPO):
        code = cli.main(["build", "--unit", "thcs-hoa-sen", "--site-url", base, "--out", str(tmp_path / "site"),
                         "--cache-dir", str(tmp_path / "cache"), "--on", SAMPLE_ON, "--strict"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "(1 đơn vị, " in out.splitlines()[-1]
    site = tmp_path / "site"
    others = {"so-gddt/", "ubnd-phuong-hoa-sen/", "thpt-tan-ha/", "mn-hoa-mai/", "th-kim-dong/"}
    for path in [*site.rglob("*.xml"), *site.rglob("*.opml"), *site.rglob("*.json")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for address in re.findall(r"https://[^\"<\s]+example\.vn[^\"<\s]*", text):
            if address.startswith("https://congkhai.honglam.example.vn/"):
                continue  # links back to the shared portal, as the banner says
            assert address.startswith(base), (path, address)
            assert not any(f"{base}{other}" in address for other in others), (path, address)
    listed = Counter(p.parent.name for p in site.rglob("index.html"))
    assert not any(other.rstrip("/") in listed for other in others)


# --- property: whatever the tree, check and build never crash, never publish a collision, name the file --

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = ["Kế-hoạch", "ke-hoach", "KE HOACH", "ke_hoach", "kế hoạch", "Thông báo", "thong-bao", "index"]
SUFFIXES = [".md", ".md", ".md", ".MD", ".Md", ".markdown", ".md.txt", ".md~", ".txt"]
FILES = ["Bản scan.pdf", "ban-scan.pdf", "BAN SCAN.PDF", "bang-so-lieu.csv", "a/ban-scan.pdf", "b/Ban-Scan.pdf"]
HOSTILE = ["## Mục {: id='x\" onmouseover=\"alert(1)' }", "![ảnh](a.png){: onerror=\"alert(2)\" }",
           "[x](https://a.vn){: href=\"javascript:alert(3)\" }", "<b onclick=\"alert(4)\">đậm</b>",
           "!!! note \"<img src=x onerror=alert(5)>\"\n    x", "Đoạn thường."]


@st.composite
def trees(draw):
    docs = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(SUFFIXES),
                                   st.lists(st.sampled_from(FILES), max_size=3),
                                   st.sampled_from(HOSTILE), st.lists(st.sampled_from(NAMES), max_size=2)),
                         min_size=1, max_size=6))
    links = draw(st.lists(st.tuples(st.sampled_from(["lk", "lk.md", "vong.md", "ra.pdf"]),
                                    st.sampled_from(["khong-co.md", "vong.md", "/etc/hostname", "ban-scan.pdf"])),
                          max_size=3, unique_by=lambda link: link[0]))
    return docs, links


@settings(max_examples=int(os.environ.get("CONGKHAI_FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tree=trees())
def test_no_tree_crashes_the_build_or_publishes_a_collision(tree, tmp_path_factory) -> None:
    from contextlib import chdir

    from congkhai.site.audit import live_code

    docs, links = tree
    site = Site(tmp_path_factory.mktemp("cay"))
    site.standard_units()
    folder = site.content / "thcs-a" / "ke-hoach"
    folder.mkdir(parents=True)
    for number, (name, suffix, files, body, aliases) in enumerate(docs):
        for written in files:
            site.raw(f"content/thcs-a/ke-hoach/{written}", MINIMAL_PDF + str(number).encode())
        front = (f"title: Văn bản {number}\ndate: 2025-03-0{number + 1}\n"
                 + (f"attachments: {json.dumps([{'file': f} for f in files], ensure_ascii=False)}\n" if files else "")
                 + (f"aliases: {json.dumps(aliases, ensure_ascii=False)}\n" if aliases else ""))
        (folder / f"{name}{suffix}").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    for name, target in links:
        if not os.path.lexists(folder / name):
            os.symlink(target, folder / name)
    config = site.config()
    for command in ("check", "build"):
        out = _run(site, command, config)
        assert out["code"] in (0, 1), out
        assert "Traceback" not in out["text"]
        for line in out["text"].splitlines():
            if line.startswith(("Lỗi: ", "Cảnh báo: ")) and not line.startswith("Lỗi: Có cảnh báo"):
                named = line.split(": ", 1)[1].split(",", 1)[0].split(": ", 1)[0]
                assert os.path.lexists(site.root / named) or named.startswith("site_src"), line
    if out["code"] == 0:  # published: every attachment is the author's file, byte for byte; nothing runs
        with chdir(site.root):
            result = site.validate()
        for doc in result.portal.documents:
            for attachment in doc.attachments:
                published = site.out / "thcs-a/ke-hoach" / doc.slug / attachment.file.name
                assert published.read_bytes() == attachment.file.path.read_bytes(), attachment.file.written
        assert [p for p in site.out.rglob("*.html") if live_code(p.read_bytes())] == []


def _run(site: Site, command: str, config: Path) -> dict:
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = site.run(command, config=config)
    return {"code": code, "text": printed.getvalue()}


# --- published files readable by the web server ------------------------------------------------------------

def test_every_build_publishes_folders_0755_and_files_0644(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", PLAN)
    previous = os.umask(0o022)
    try:
        for round_number in range(3):  # the first build, a rebuild from the spare site, a rebuild after an edit
            if round_number == 2:
                site.doc("thcs-a", "ke-hoach", "kh", PLAN.replace("năm 2025", "năm 2025 (sửa)"))
            assert site.run("build") == 0
            modes = {oct(p.stat().st_mode & 0o777) for p in [site.out, *site.out.rglob("*")]
                     if p.is_dir()} | {"file " + oct(p.stat().st_mode & 0o777) for p in site.out.rglob("*")
                                       if p.is_file()}
            assert modes == {"0o755", "file 0o644"}, (round_number, modes)
    finally:
        os.umask(previous)
