"""Budget disclosures: tables from YAML, CSV and XLSX, their arithmetic, and how they read."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import Site
from test_encodings import to_cp1258, to_tcvn3

from congkhai.kinds.tai_chinh import parse_amount
from congkhai.model.text import format_amount
from congkhai.model.fields import FieldError

HEAD = "title: Công khai dự toán năm 2025\nnumber: 12/QĐ-THCS\ndate: 2025-01-20\nreport: du-toan\nfiscal_year: 2025\n"
TABLE = HEAD + """period: 2025
money_unit: dong
table:
  - code: I
    name: Tổng thu
    amount: 1250000
    lines:
      - name: Học phí
        amount: 850000
      - name: Ngân sách cấp
        amount: 401000
"""


def test_amounts_in_every_written_form() -> None:
    assert parse_amount("1234567") == Decimal(1234567)
    assert parse_amount("1.234.567") == Decimal(1234567)
    assert parse_amount("1.234,5") == Decimal("1234.5")
    assert parse_amount("1234,5") == Decimal("1234.5")
    assert parse_amount("92.5") == Decimal("92.5")
    assert parse_amount(" 1 234 567 ") == Decimal(1234567)
    assert parse_amount(1500) == Decimal(1500)
    with pytest.raises(FieldError):
        parse_amount("một triệu")
    assert format_amount(Decimal(1234567)) == "1.234.567"
    assert format_amount(Decimal("1234.50")) == "1.234,5"
    assert format_amount(Decimal(-2500)) == "-2.500"
    assert format_amount(None) == "–"


def test_a_total_that_differs_from_its_lines_says_which_and_by_how_much(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE)
    assert site.messages() == [
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 10: 'table': dòng 'I. Tổng thu' ghi tổng "
        "1.250.000 đồng nhưng các dòng con cộng lại 1.251.000 đồng, nhiều hơn 1.000 đồng. Sửa: kiểm tra lại số "
        "của dòng tổng hoặc của các dòng con."
    ]


def test_several_columns_are_each_checked_and_named(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "thuc-hien-q1", HEAD.replace("du-toan", "thuc-hien-quy") + """period: 2025-Q1
money_unit: nghin-dong
columns: [Dự toán năm, Thực hiện quý I]
table:
  - name: Tổng chi
    amounts: [1000, 300]
    lines:
      - name: Chi lương
        amounts: [700, 200]
      - name: Chi khác
        amounts: [300, 90]
""")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tai-chinh/thuc-hien-q1.md, dòng 11: 'table': cột 'Thực hiện quý I': dòng "
        "'Tổng chi' ghi tổng 300 nghìn đồng nhưng các dòng con cộng lại 290 nghìn đồng, ít hơn 10 nghìn đồng. "
        "Sửa: kiểm tra lại số của dòng tổng hoặc của các dòng con."
    ]


def test_amounts_must_be_numbers_and_the_unit_stated(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", HEAD + "table:\n  - name: Tổng thu\n    amount: 12 triệu\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 2: 'money_unit': bảng số liệu phải ghi đơn vị tính. "
        "Sửa: thêm 'money_unit: dong' (hoặc nghin-dong, trieu-dong).",
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 9: 'table[1].amount': cần một số, nhận được "
        "'12 triệu'. Sửa: viết chữ số liền (1234567) hoặc có dấu chấm giữa hàng nghìn (1.234.567); phần lẻ dùng "
        "dấu phẩy (1.234,5).",
    ]


def test_the_period_must_fit_the_report_type(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "q", HEAD.replace("du-toan", "thuc-hien-quy") + "period: 2025-H1\nnil: true\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tai-chinh/q.md, dòng 7: 'period': kỳ báo cáo của loại 'thuc-hien-quy' phải có dạng "
        "2024-Q1, nhận được '2025-H1'."
    ]


CSV = "code,name,parent,Dự toán\nA,Tổng thu,,1.250.000\nA1,Học phí,A,850.000\nA2,Ngân sách cấp,A,400.000\n"


def test_a_csv_table_beside_the_document(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bang.csv", CSV)
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", HEAD + "money_unit: dong\ntable_file: bang.csv\n")
    result = site.validate()
    assert result.problems.sorted() == []
    (doc,) = result.portal.documents
    table = doc.details.table
    assert [(d, line.code, line.name, line.amounts) for d, line in table.rows()] == [
        (0, "A", "Tổng thu", (Decimal(1250000),)),
        (1, "A1", "Học phí", (Decimal(850000),)),
        (1, "A2", "Ngân sách cấp", (Decimal(400000),)),
    ]
    assert table.columns == ("Dự toán",) and table.source == "bang.csv"


def test_csv_rows_with_mistakes_are_reported_by_row(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bang.csv",
             "code;name;parent;Dự toán\nA;Tổng thu;;1.250.000\nA1;Học phí;A;850.000\nA2;Ngân sách;B;abc\n")
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", HEAD + "money_unit: dong\ntable_file: bang.csv\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 8: 'table': hàng 2 của bang.csv: dòng 'A. Tổng thu' "
        "ghi tổng 1.250.000 đồng nhưng các dòng con cộng lại 850.000 đồng, ít hơn 400.000 đồng. Sửa: kiểm tra lại "
        "số của dòng tổng hoặc của các dòng con.",
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 8: 'table_file': hàng 4 của bang.csv, cột 'Dự toán': "
        "cần một số, nhận được 'abc'. Sửa: viết chữ số liền (1234567) hoặc có dấu chấm giữa hàng nghìn "
        "(1.234.567); phần lẻ dùng dấu phẩy (1.234,5).",
        "Lỗi: content/thcs-a/tai-chinh/du-toan-2025.md, dòng 8: 'table_file': hàng 4 của bang.csv: không có dòng "
        "cha mang mã 'B'. Sửa: ghi đúng mã ở cột parent.",
    ]


def test_an_xlsx_table_as_accountants_export_it(site: Site) -> None:
    site.standard_units()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["code", "name", "parent", "Dự toán", "Thực hiện"], ["I", "Tổng chi", None, 1000, 450.5],
                ["1", "Chi lương", "I", 700, 300], ["2", "Chi hoạt động", "I", 300, 150.5]):
        sheet.append(row)
    (site.content / "thcs-a/tai-chinh").mkdir(parents=True)
    book.save(site.content / "thcs-a/tai-chinh/bang.xlsx")
    site.doc("thcs-a", "tai-chinh", "thuc-hien", HEAD.replace("du-toan", "thuc-hien-nam") + "money_unit: trieu-dong\n"
             "table_file: bang.xlsx\n")
    result = site.validate()
    assert result.problems.sorted() == []
    table = result.portal.documents[0].details.table
    assert table.columns == ("Dự toán", "Thực hiện")
    assert table.lines[0].amounts == (Decimal(1000), Decimal("450.5"))


def test_the_page_shows_amounts_words_chart_and_a_csv_download(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE.replace("401000", "400000"))
    assert site.run("build") == 0
    page = (site.out / "thcs-a/tai-chinh/du-toan-2025/index.html").read_text(encoding="utf-8")
    assert '<td class="ck-num" data-label="Số tiền">1.250.000</td>' in page
    assert "<em>Bằng chữ: Một triệu hai trăm năm mươi nghìn đồng.</em>" in page
    # the chart draws each line to scale (the largest 1000 long) as SVG, no inline style
    assert '<span class="ck-bars__label">Học phí</span>' in page
    assert '<rect class="ck-bars__bar ck-bars__bar--1" width="1000" height="10" data-value="850000"/>' in page
    assert '<rect class="ck-bars__bar ck-bars__bar--1" width="471" height="10" data-value="400000"/>' in page
    assert '<a href="bang-so-lieu.csv" download>' in page
    csv_bytes = (site.out / "thcs-a/tai-chinh/du-toan-2025/bang-so-lieu.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert csv_bytes.decode("utf-8-sig").splitlines() == [
        "Mã,Nội dung,Cấp,Số tiền (đồng)", "I,Tổng thu,1,1250000", ",Học phí,2,850000", ",Ngân sách cấp,2,400000",
    ]


def test_a_nil_return_is_a_valid_disclosure(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tai-chinh", "tai-tro-2025-2026",
             "title: Công khai tài trợ năm học 2025–2026\ndate: 2026-06-12\nreport: tai-tro\nfiscal_year: 2025-2026\n"
             "period: 2025-2026\nnil: true\n", body="Không phát sinh khoản tài trợ nào trong năm học.\n")
    assert site.messages() == []
    assert site.run("build") == 0
    page = (site.out / "thcs-a/tai-chinh/tai-tro-2025-2026/index.html").read_text(encoding="utf-8")
    assert "Không phát sinh</p><p>Đơn vị báo cáo không phát sinh số liệu trong kỳ năm học 2025–2026." in page


# As Excel saves "CSV (Comma delimited)" on Vietnamese Windows: ';' between cells, CRLF, the code page.
EXCEL_CSV = ("code;name;parent;Dự toán\r\nA;Tổng thu;;1.250.000\r\nA1;Học phí;A;850.000\r\n"
             "A2;Ngân sách cấp;A;400.000\r\n")
VNI_CSV = ("code;name;parent;Döï toaùn\r\nA;Toång thu;;1.250.000\r\nA1;Hoïc phí;A;850.000\r\n"
           "A2;Ngaân saùch caáp;A;400.000\r\n").encode("latin-1")
TABLE_FILE = HEAD + "money_unit: dong\ntable_file: bang.csv\n"
LOCATION = "content/thcs-a/tai-chinh/du-toan-2025.md, dòng 8: 'table_file': "


def test_a_windows_1258_csv_is_converted_with_a_warning(site: Site) -> None:
    site.standard_units()
    raw = to_cp1258(EXCEL_CSV)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really not UTF-8
    site.raw("content/thcs-a/tai-chinh/bang.csv", raw)
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE_FILE)
    result = site.validate()
    assert [p.render() for p in result.problems.sorted()] == [
        "Cảnh báo: " + LOCATION + "tệp CSV được lưu bằng bảng mã Windows-1258 (Vietnamese), không phải UTF-8; công "
        "cụ đã chuyển sang Unicode, nhận được 'bang.csv'. Sửa: trong Excel chọn Lưu dưới dạng 'CSV UTF-8 (Comma "
        "delimited)'."
    ]
    table = result.portal.documents[0].details.table
    assert table.columns == ("Dự toán",)
    assert [(d, line.code, line.name, line.amounts) for d, line in table.rows()] == [
        (0, "A", "Tổng thu", (Decimal(1250000),)),
        (1, "A1", "Học phí", (Decimal(850000),)),
        (1, "A2", "Ngân sách cấp", (Decimal(400000),)),
    ]


def test_a_utf8_csv_with_a_byte_order_mark_is_read_without_a_warning(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bang.csv", EXCEL_CSV.encode("utf-8-sig"))
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE_FILE)
    result = site.validate()
    assert result.problems.sorted() == []
    table = result.portal.documents[0].details.table
    assert table.columns == ("Dự toán",) and table.lines[0].name == "Tổng thu"


@pytest.mark.parametrize("raw, named, written, read_as", [
    (to_tcvn3(EXCEL_CSV), "bảng mã TCVN3 (ABC), phông chữ .VnTime, .VnArial…", "code;name;parent;Dù", "TCVN3"),
    (VNI_CSV, "bảng mã VNI Windows, phông chữ VNI-Times, VNI-Helve…", "code;name;parent;Döï", "VNI"),
], ids=["tcvn3", "vni"])
def test_a_csv_in_a_legacy_font_encoding_is_refused_with_the_encoding_line_and_fix(
        site: Site, raw: bytes, named: str, written: str, read_as: str) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bang.csv", raw)
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE_FILE)
    source = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI Windows"}[read_as]
    assert site.messages() == [
        "Lỗi: " + LOCATION + f"tệp CSV không phải UTF-8: văn bản gõ bằng {named}, không phải Unicode: '{written}' "
        f"(đọc theo {read_as} là 'code;name;parent;Dự') (dòng 1), nhận được 'bang.csv'. Sửa: mở Unikey, chọn Công cụ "
        f"(Ctrl+Shift+F6), Bảng mã nguồn: {source}, Bảng mã đích: Unicode, bấm Chuyển mã, rồi lưu tệp lại với bảng mã "
        "UTF-8; hoặc chạy 'python build.py import <tệp> --unit <mã đơn vị>' để công cụ chuyển mã rồi đọc lại bản "
        "chuyển."
    ]


def test_a_csv_that_is_not_valid_utf8_names_its_line(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bang.csv", EXCEL_CSV.encode("utf-8").replace(b"850.000", b"8\xff0.000"))
    site.doc("thcs-a", "tai-chinh", "du-toan-2025", TABLE_FILE)
    assert site.messages() == [
        "Lỗi: " + LOCATION + "tệp CSV không phải văn bản UTF-8 (byte 0xff không hợp lệ) (dòng 3), nhận được "
        "'bang.csv'. Sửa: mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8 (Unicode); nếu văn bản gõ bằng "
        "phông TCVN3 hoặc VNI, hãy chuyển mã sang Unicode (ví dụ bằng Unikey) trước khi lưu."
    ]
