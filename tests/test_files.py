"""Files a document points at: they stay in their unit, are of an allowed type whose content matches
the extension (the `filetype` library, then the format's own structure), and fit the size cap."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL_PDF

from congkhai.model.files import FileRefError, content_matches, resolve_file


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """content/thcs-a/ke-hoach/ with content/thcs-b/ beside it."""
    (tmp_path / "content/thcs-a/ke-hoach").mkdir(parents=True)
    (tmp_path / "content/thcs-b").mkdir(parents=True)
    return tmp_path / "content/thcs-a"


def refusal(written: str, unit: Path, **options) -> tuple[str, str]:
    with pytest.raises(FileRefError) as error:
        resolve_file(written, unit / "ke-hoach", unit, **options)
    return error.value.what, error.value.fix


def zip_file(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_real_files_of_every_allowed_type_are_accepted(unit: Path) -> None:
    here = unit / "ke-hoach"
    (here / "a.pdf").write_bytes(MINIMAL_PDF)
    (here / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    (here / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 32)
    (here / "a.webp").write_bytes(b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 32)
    (here / "a.csv").write_text("code,name,parent,Số tiền\n", encoding="utf-8")
    (here / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # OLE the library cannot name
    book = openpyxl.Workbook()
    book.active["A1"] = "Dự toán"
    book.save(here / "a.xlsx")
    zip_file(here / "a.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    # a .docx whose Word part comes after the first 8 KB: the library sees only a zip, the structure decides
    zip_file(here / "muon.docx", {"[Content_Types].xml": b"<Types/>", "customXml/x.bin": os.urandom(20_000),
                                   "word/document.xml": b"<w/>"})
    zip_file(here / "a.odt", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    zip_file(here / "a.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    for name in ("a.pdf", "a.png", "a.jpg", "a.webp", "a.csv", "a.doc", "a.xlsx", "a.docx", "muon.docx", "a.odt",
                 "a.ods"):
        assert resolve_file(name, here, unit).size == (here / name).stat().st_size


def test_content_must_match_the_extension(unit: Path) -> None:
    here = unit / "ke-hoach"
    book = openpyxl.Workbook()
    book.save(here / "bang.docx")  # an Excel workbook renamed .docx
    zip_file(here / "van-ban.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    (here / "chuong-trinh.pdf").write_bytes(b"MZ\x90\x00" + b"\0" * 64)
    (here / "bang.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    assert [content_matches(here / n, n.rsplit(".", 1)[1]) for n in
            ("bang.docx", "van-ban.odt", "chuong-trinh.pdf", "bang.csv")] == [False, False, False, False]
    assert refusal("bang.docx", unit) == ("nội dung tệp không phải tệp .docx thật (đuôi tệp bị đổi?)",
                                          "Sửa: xuất lại tệp từ phần mềm gốc với đúng định dạng.")


def test_paths_leaving_the_unit_are_refused(unit: Path) -> None:
    (unit.parent / "thcs-b/bi-mat.pdf").write_bytes(MINIMAL_PDF)
    os.symlink("../../thcs-b/bi-mat.pdf", unit / "ke-hoach/lien-ket.pdf")
    outside = "tệp nằm ngoài thư mục của đơn vị (qua liên kết tượng trưng)"
    assert refusal("/etc/passwd", unit)[0].startswith("đường dẫn tệp phải tương đối")
    assert refusal("D:\\tai-lieu.pdf", unit)[0].startswith("đường dẫn tệp phải tương đối")
    assert refusal("../../thcs-b/bi-mat.pdf", unit)[0] == "đường dẫn tệp không được chứa '..' (ra ngoài thư mục của đơn vị)"
    assert refusal("lien-ket.pdf", unit) == (outside, "Sửa: chép tệp thật vào thư mục của văn bản.")


def test_devices_and_pipes_are_refused_without_reading_them(unit: Path) -> None:
    here = unit / "ke-hoach"
    os.mkfifo(here / "ong.pdf")
    os.symlink("/dev/zero", here / "so-khong.pdf")
    (here / "ben-trong").mkdir()
    os.symlink("/dev/null", here / "ben-trong/rong.pdf")
    found: list[tuple[str, str]] = []
    worker = threading.Thread(target=lambda: found.append(refusal("ong.pdf", unit)), daemon=True)
    worker.start()
    worker.join(10)
    assert found == [("đây là một thiết bị hay đường ống của hệ điều hành, không phải tệp",
                      "Sửa: ghi tên một tệp thật đặt cạnh tệp .md.")]  # and no read blocked on the pipe
    assert refusal("so-khong.pdf", unit)[0] == "tệp nằm ngoài thư mục của đơn vị (qua liên kết tượng trưng)"
    for name in ("CON", "con.pdf", "Nul.docx", "COM1.xlsx", "ben-trong/LPT9.csv"):
        assert refusal(name, unit)[0] == "tên tệp là tên thiết bị của hệ điều hành (CON, NUL, COM1…), không phải tệp"


def test_the_size_cap_is_a_parameter_and_its_message_says_where_to_change_it(unit: Path) -> None:
    path = unit / "ke-hoach/lon.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(3 * 1024 * 1024)
    assert resolve_file("lon.pdf", unit / "ke-hoach", unit, max_bytes=3 * 1024 * 1024).size == 3 * 1024 * 1024
    assert refusal("lon.pdf", unit, max_bytes=2 * 1024 * 1024) == (
        "tệp quá lớn (3 MB, tối đa 2 MB)", "Sửa: nén hoặc chia nhỏ tệp (giới hạn đặt ở 'max_file_mb' trong mkdocs.yml).")


def test_an_office_file_that_unpacks_to_too_much_is_refused(unit: Path) -> None:
    path = unit / "ke-hoach/bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/sharedStrings.xml", b"\0" * (30 * 1024 * 1024))  # 30 MB from a few KB
    assert refusal("bom.xlsx", unit)[0] == (
        "tệp nén bên trong quá lớn (giải nén ra 30 MB, tối đa 200 MB và 100 lần cỡ tệp)")
