"""`python build.py import`: seeds, our fixtures and a Word file made here become documents that pass `check`."""

from __future__ import annotations

from contextlib import chdir
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, Site, needs_seeds

from congkhai import cli
from congkhai.kinds import REGISTRY
from congkhai.model.documents import read_document
from congkhai.model.problems import Problems
from congkhai.model.units import load_units

FIXTURES = REPO / "tests" / "fixtures" / "import"


def run_import(site: Site, source: Path, *args: str) -> int:
    with chdir(site.root):
        return cli.main(["import", str(source), *args])


def load(site: Site, relative: str):
    problems = Problems()
    units = load_units(site.units, problems)
    path = site.root / relative
    unit, kind = path.parent.parent.name, path.parent.name
    doc = read_document(path, units, REGISTRY[kind],
                        site.content / unit, problems, date(2026, 11, 22))
    return doc, problems


@needs_seeds
@pytest.mark.parametrize("seed, slug, number, issued, recipients, signer", [
    ("000_c0a69f2d58fd669f.txt", "ke-hoach-thong-tin-tuyen-truyen-ve-cai-cach-hanh-chinh-nha-2023", "108/KH-PGD&ĐT",
     date(2023, 2, 24), 3, "Phạm Văn Ngát"),
    ("002_0e771f2d0e19ff96.txt", "ke-hoach-phat-dong-thi-dua-thang-cao-diem-thuc-hien-chu-de-2021", "486/KH-GDĐT",
     date(2021, 6, 4), 5, "Nguyễn Thanh Thủy"),
    ("004_33a5ee634398de70.txt", "ke-hoach-cong-tac-cai-cach-hanh-chinh-nganh-giao-duc-va-dao-2023", "08/KH-PGD&ĐT",
     date(2023, 2, 8), 5, "Cần Văn Đa"),
])
def test_importing_a_seed_writes_a_plan_that_passes_check(site: Site, capsys, seed, slug, number, issued,
                                                          recipients, signer) -> None:
    site.standard_units()
    assert run_import(site, SEEDS / seed, "--unit", "phong-gd") == 0
    relative = f"content/phong-gd/ke-hoach/{slug}.md"
    out = capsys.readouterr().out
    assert out.startswith(f"Đã tạo {relative} (kế hoạch, sẵn sàng đăng).\n")
    assert f"  Số, ký hiệu (number): {number}\n" in out
    assert "Không tìm thấy:\n  Cơ quan ban hành\n  Cơ quan chủ quản\n" in out
    doc, problems = load(site, relative)
    assert problems.sorted() == []
    assert (doc.number, doc.date, doc.signer.title, doc.signer.name) == (number, issued, "TRƯỞNG PHÒNG", signer)
    assert len(doc.recipients) == recipients and doc.basis and doc.status.value == "published"
    assert site.messages() == []


def test_two_column_decision_about_a_budget_becomes_a_budget_draft(site: Site, capsys) -> None:
    site.standard_units()
    assert run_import(site, FIXTURES / "hai-cot-quyet-dinh.txt", "--unit", "thcs-a") == 0
    out = capsys.readouterr().out
    relative = "content/thcs-a/tai-chinh/quyet-dinh-ve-viec-cong-khai-du-toan-thu-chi-ngan-sach-nam-2025.md"
    assert out.startswith(f"Đã tạo {relative} (công khai tài chính, bản nháp (status: draft)).\n")
    assert ("  - Văn bản chưa đủ để đăng (xem các lỗi dưới đây) nên được lưu là bản nháp (status: draft): báo cáo tài "
            "chính cần bảng số liệu") in out
    doc, problems = load(site, relative)
    assert problems.sorted() == []
    assert doc.status.value == "draft" and doc.details.report.key == "du-toan" and doc.details.fiscal_year == "2025"
    assert doc.signer.authority == "KT. HIỆU TRƯỞNG" and doc.signer.title == "PHÓ HIỆU TRƯỞNG"
    text = (site.root / relative).read_text(encoding="utf-8")
    assert "# Cơ quan ban hành ghi trên văn bản: TRƯỜNG THCS HOA SEN (cơ quan chủ quản: UBND PHƯỜNG HOA SEN)\n" in text
    assert "\n#table_file: du-toan-2026.csv\n" in text  # the fields left to fill are listed
    assert site.messages() == []


def test_blank_number_and_day_give_a_draft_and_a_message(site: Site, capsys) -> None:
    site.standard_units()
    assert run_import(site, FIXTURES / "chua-so-chua-ngay.txt", "--unit", "so-gd") == 0
    out = capsys.readouterr().out
    assert "(thông báo, bản nháp (status: draft))" in out
    assert "Không tìm thấy:\n  Ngày ban hành (date)\n  Địa danh" not in out
    assert "  Số của văn bản (dòng 'Số:' để trống)\n  Ngày ban hành (dòng ngày tháng để trống ngày)\n" in out
    assert ("  - Văn bản chưa có số và ngày ban hành nên được lưu là bản nháp (status: draft), không hiện trên cổng. "
            "Sửa: khi văn bản đã ký, ghi number và date rồi xóa dòng 'status: draft'.") in out
    doc, problems = load(site, "content/so-gd/thong-bao/thong-bao-tuyen-sinh-lop-bo-tuc-van-hoa-nam-hoc-2025-2026.md")
    assert problems.sorted() == [] and doc.status.value == "draft" and doc.number == "/TB-TTTH" and doc.date is None


def test_date_against_title_year_is_a_warning_in_the_summary(site: Site, capsys) -> None:
    site.standard_units()
    assert run_import(site, FIXTURES / "ocr-nam-lech.md", "--unit", "thcs-a", "--slug", "ke-hoach-cchc-2026") == 0
    out = capsys.readouterr().out
    assert ("  - Ngày ban hành 12/01/2025 không cùng năm với tiêu đề (2026). Sửa: đối chiếu dòng ngày tháng với bản "
            "giấy; nếu văn bản ban hành trước năm nó nói tới thì bỏ qua cảnh báo này.\n") in out
    assert site.messages() == []


def test_a_document_the_loader_refuses_is_not_written(site: Site, capsys) -> None:
    site.standard_units()
    # Dated 05/09/2025, after the district office was dissolved (30/06/2025): an error even for a draft.
    assert run_import(site, FIXTURES / "hai-cot-quyet-dinh.txt", "--unit", "phong-gd", "--slug", "qd-15-2025") == 1
    assert capsys.readouterr().err == (
        "Lỗi: văn bản nhập vào không qua được bước kiểm tra, nên không được ghi:\n"
        "Lỗi: content/phong-gd/tai-chinh/qd-15-2025.md, dòng 10: 'date': văn bản ban hành sau ngày đơn vị phong-gd "
        "giải thể (30/06/2025), nhận được '2025-09-05'. Sửa: kiểm tra lại ngày, hoặc đăng văn bản dưới đơn vị kế "
        "thừa (ubnd-xa).\n"
    )
    assert not (site.content / "phong-gd" / "tai-chinh" / "qd-15-2025.md").exists()


def test_existing_file_is_never_overwritten_without_force(site: Site, capsys) -> None:
    site.standard_units()
    source = FIXTURES / "cong-van.txt"
    assert run_import(site, source, "--unit", "thcs-a", "--slug", "cong-van-112") == 0
    target = site.content / "thcs-a" / "thong-bao" / "cong-van-112.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nSửa tay.\n", encoding="utf-8")
    capsys.readouterr()
    assert run_import(site, source, "--unit", "thcs-a", "--slug", "cong-van-112") == 1
    assert capsys.readouterr().err == (
        "Lỗi: đã có tệp content/thcs-a/thong-bao/cong-van-112.md; không ghi đè. Sửa: thêm --force để ghi đè, hoặc "
        "đặt tên khác bằng --slug TÊN-TỆP.\n")
    assert target.read_text(encoding="utf-8").endswith("Sửa tay.\n")
    assert run_import(site, source, "--unit", "thcs-a", "--slug", "cong-van-112", "--force") == 0
    assert not target.read_text(encoding="utf-8").endswith("Sửa tay.\n")


@pytest.mark.parametrize("args, message", [
    (["--unit", "khong-co"], "Lỗi: không có đơn vị 'khong-co' trong units/. Các mã đơn vị: phong-gd, so-gd, thcs-a, ubnd-xa.\n"),
    (["--unit", "thcs-a", "--kind", "van-ban"],
     "Lỗi: loại văn bản không hợp lệ 'van-ban'. Sửa: dùng một trong: ke-hoach, thu-tuc, tai-chinh, tin-tuc, thong-bao, tuyen-sinh.\n"),
])
def test_wrong_usage_exits_2(site: Site, capsys, args: list[str], message: str) -> None:
    site.standard_units()
    assert run_import(site, FIXTURES / "cong-van.txt", *args) == 2
    assert capsys.readouterr().err == message


def test_old_word_format_is_refused_with_the_fix(site: Site, capsys) -> None:
    site.standard_units()
    old = site.raw("KH 2026.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert run_import(site, old, "--unit", "thcs-a") == 2
    assert capsys.readouterr().err == (
        "Lỗi: không nhập được tệp '.doc': chỉ nhận .docx, .txt và .md. Sửa: mở tệp bằng Word, chọn Lưu thành (Save As) "
        "kiểu 'Word Document (*.docx)'.\n")


def test_text_in_tcvn3_is_converted_on_import(site: Site, capsys) -> None:
    from test_encodings import to_tcvn3

    site.standard_units()
    source = site.raw("ke-hoach-tcvn3.txt", to_tcvn3((FIXTURES / "chua-so-chua-ngay.txt").read_text(encoding="utf-8")))
    assert run_import(site, source, "--unit", "so-gd") == 0
    out = capsys.readouterr().out
    assert ("  - Tệp được lưu bằng bảng mã TCVN3 (ABC), phông chữ .VnTime, .VnArial…; công cụ đã chuyển sang Unicode. "
            "Sửa: lưu lại tệp với bảng mã UTF-8 và đọc lại bản chuyển (chữ hoa có dấu, lỗi gõ).\n") in out
    doc, problems = load(site, "content/so-gd/thong-bao/thong-bao-tuyen-sinh-lop-bo-tuc-van-hoa-nam-hoc-2025-2026.md")
    assert doc.title == "Thông báo tuyển sinh lớp bổ túc văn hóa năm học 2025 – 2026"
    assert doc.signer.title == "GIÁM ĐỐC" and doc.signer.name == "Mai Xuân Trường"


def make_docx(path: Path) -> Path:
    """A Word file as schools write them: a two-column header table, headings, a list, a table and a
    signature table."""
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "UBND PHƯỜNG HOA SEN"
    header.cell(0, 0).add_paragraph("TRƯỜNG THCS HOA SEN")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 21/KH-THCSHS"
    header.cell(1, 1).text = "Hoa Sen, ngày 10 tháng 3 năm 2026"
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Chuyển đổi số năm 2026").bold = True
    document.add_paragraph("Căn cứ Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen, "
                           "Trường THCS Hoa Sen xây dựng kế hoạch như sau:")
    document.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=1)
    document.add_heading("1. Mục đích", level=2)
    document.add_paragraph("Học bạ số cho 100% học sinh lớp 6.", style="List Bullet")
    document.add_paragraph("Thông báo điểm qua ứng dụng liên lạc.", style="List Bullet")
    paragraph = document.add_paragraph("Kinh phí ")
    paragraph.add_run("không thu thêm").bold = True
    paragraph.add_run(" của cha mẹ học sinh, ")
    paragraph.add_run("tiết kiệm").italic = True
    paragraph.add_run(".")
    document.add_heading("II. TỔ CHỨC THỰC HIỆN", level=1)
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for column, text in enumerate(("Nội dung", "Người chủ trì", "Thời gian")):
        table.cell(0, column).text = text
    for column, text in enumerate(("Học bạ số", "Phó hiệu trưởng", "Tháng 4/2026")):
        table.cell(1, column).text = text
    closing = document.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:"
    closing.cell(0, 0).add_paragraph("- UBND phường Hoa Sen;")
    closing.cell(0, 0).add_paragraph("- Lưu: VT.")
    closing.cell(0, 1).text = "KT. HIỆU TRƯỞNG"
    closing.cell(0, 1).add_paragraph("PHÓ HIỆU TRƯỞNG")
    closing.cell(0, 1).add_paragraph("(Đã ký)")
    closing.cell(0, 1).add_paragraph("Lương Thị Thúy")
    document.save(str(path))
    return path


def test_word_file_round_trips_into_markdown(site: Site, capsys) -> None:
    site.standard_units()
    source = make_docx(site.root / "KH chuyển đổi số 2026.docx")
    assert run_import(site, source, "--unit", "thcs-a") == 0
    out = capsys.readouterr().out
    relative = "content/thcs-a/ke-hoach/ke-hoach-chuyen-doi-so-nam-2026.md"
    assert out.startswith(f"Đã tạo {relative} (kế hoạch, sẵn sàng đăng).\nĐã chép tệp gốc thành tệp đính kèm "
                          "content/thcs-a/ke-hoach/ke-hoach-chuyen-doi-so-nam-2026.docx.\n")
    doc, problems = load(site, relative)
    assert problems.sorted() == []
    assert (doc.number, doc.date, doc.title) == ("21/KH-THCSHS", date(2026, 3, 10), "Kế hoạch chuyển đổi số năm 2026")
    assert (doc.signer.authority, doc.signer.title, doc.signer.name) == (
        "KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Lương Thị Thúy")
    assert doc.recipients == ("UBND phường Hoa Sen", "Lưu: VT.")
    assert doc.basis == ("Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen",)
    assert [a.file.name for a in doc.attachments] == ["ke-hoach-chuyen-doi-so-nam-2026.docx"]
    assert (site.content / "thcs-a/ke-hoach/ke-hoach-chuyen-doi-so-nam-2026.docx").read_bytes() == source.read_bytes()
    body = (site.root / relative).read_text(encoding="utf-8").split("\n---\n", 1)[1]  # the Markdown written
    assert body.strip() == (
        "Căn cứ Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen, Trường THCS Hoa Sen xây "
        "dựng kế hoạch như sau:\n\n"
        "## I. MỤC ĐÍCH, YÊU CẦU\n\n"
        "### 1. Mục đích\n\n"
        "- Học bạ số cho 100% học sinh lớp 6.\n\n"
        "- Thông báo điểm qua ứng dụng liên lạc.\n\n"
        "Kinh phí **không thu thêm** của cha mẹ học sinh, *tiết kiệm*.\n\n"
        "## II. TỔ CHỨC THỰC HIỆN\n\n"
        "| Nội dung  | Người chủ trì   | Thời gian    |\n"
        "|-----------|-----------------|--------------|\n"
        "| Học bạ số | Phó hiệu trưởng | Tháng 4/2026 |"
    )
    assert site.messages() == []


def test_a_renamed_file_is_not_accepted_as_word(site: Site, capsys) -> None:
    site.standard_units()
    fake = site.raw("gia.docx", b"not a zip")
    assert run_import(site, fake, "--unit", "thcs-a", "--kind", "ke-hoach") == 1
    assert capsys.readouterr().err.startswith("Lỗi: gia.docx: không đọc được tệp Word (")
