"""Reading the administrative layout: the three seeds (when ../shared/seeds is there) and our own
fixtures in tests/fixtures/import, which cover the same header shapes without them."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO, SEEDS, needs_seeds

from congkhai.authoring import letterhead

FIXTURES = REPO / "tests" / "fixtures" / "import"
SEED_000 = SEEDS / "000_c0a69f2d58fd669f.txt"
SEED_002 = SEEDS / "002_0e771f2d0e19ff96.txt"
SEED_004 = SEEDS / "004_33a5ee634398de70.txt"


def read(path) -> letterhead.Letter:
    return letterhead.parse(path.read_text(encoding="utf-8"), markdown=path.suffix == ".md")


def notes(letter: letterhead.Letter) -> list[str]:
    return [n.text for n in letter.notes]


@needs_seeds
def test_seed_000_emphasised_number_and_day() -> None:
    letter = read(SEED_000)
    assert letter.number == "108/KH-PGD&ĐT"
    assert letter.date == date(2023, 2, 24)
    assert letter.place == "Thanh Trì"
    assert letter.type.name == "Kế hoạch" and letter.type.kind == "ke-hoach"
    assert letter.title == "Kế hoạch thông tin, tuyên truyền về cải cách hành chính nhà nước năm 2023"
    assert letter.basis == [
        "Kế hoạch số 75/KH-UBND ngày 16 tháng 02 năm 2023 của UBND huyện Thanh Trì về việc thông tin, tuyên "
        "truyền cải cách hành chính năm 2023 của huyện Thanh Trì"
    ]
    assert letter.recipients == ["BLD phòng GD&ĐT", "Các trường MN; TH; THCS", "Lưu: VT."]
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == (None, "TRƯỞNG PHÒNG", "Phạm Văn Ngát")
    assert not letter.is_draft
    # The header and the closing are not repeated in the body; the basis paragraph stays.
    assert letter.body.startswith("Thực hiện Kế hoạch số 75/KH-UBND")
    assert "Số:" not in letter.body and "Nơi nhận" not in letter.body and "Phạm Văn Ngát" not in letter.body
    assert letter.body.rstrip().endswith("nghiêm túc triển khai thực hiện./.")
    assert "\n## I. MỤC ĐÍCH, YÊU CẦU\n\n### 1. Mục đích\n" in letter.body
    assert "\n#### 1.1. Tuyên truyền quan điểm, chủ trương của Đảng;" in letter.body


@needs_seeds
def test_seed_002_quoted_theme_in_title_and_basis() -> None:
    letter = read(SEED_002)
    assert (letter.number, letter.date, letter.place) == ("486/KH-GDĐT", date(2021, 6, 4), "Gò Vấp")
    assert letter.title == ("Kế hoạch phát động thi đua Tháng cao điểm thực hiện Chủ đề năm 2021 “Năm xây dựng chính "
                            "quyền đô thị và cải thiện môi trường đầu tư”")
    assert letter.basis == [
        "Công văn 2022/UBND-CCHC ngày 03 tháng 6 năm 2021 của Ủy ban nhân dân quận Gò Vấp về việc triển khai các nội "
        "dung thực hiện Chủ đề năm 2021 “Năm xây dựng chính quyền đô thị và cải thiện môi trường đầu tư”"
    ]
    assert letter.recipients == ["UBND quận", "Phòng Nội vụ", "Các bộ phận chuyên môn của Phòng GDĐT",
                                 "Các đơn vị trực thuộc", "Lưu: VT, CCHC."]
    assert (letter.signer_title, letter.signer_name) == ("TRƯỞNG PHÒNG", "Nguyễn Thanh Thủy")
    # "tham mưu lãnh đạo thẩm" / "định các mô hình": a paragraph cut by a page break is joined again.
    assert "tham mưu lãnh đạo thẩm định các mô hình" in letter.body


@needs_seeds
def test_seed_004_markdown_headings_ocr_debris_and_two_documents_in_basis() -> None:
    letter = read(SEED_004)
    assert (letter.number, letter.date, letter.place) == ("08/KH-PGD&ĐT", date(2023, 2, 8), "Quận Hai Bà Trưng")
    assert letter.title == "Kế hoạch công tác cải cách hành chính ngành Giáo dục và Đào tạo năm 2023"
    assert letter.basis == [
        "Kế hoạch CCHC nhà nước năm 2023 của UBND thành phố Hà Nội được ban hành tại Quyết định số 280/QĐ-UBND "
        "ngày 11/01/2023",
        "Kế hoạch số 28/KH-UBND ngày 06/02/2023 về Kế hoạch cải cách hành chính nhà nước năm 2023 của UBND quận "
        "Hai Bà Trưng",
    ]
    assert letter.recipients == ["Sở GD&ĐT", "UBND quận", "Phòng Nội vụ quận", "Lãnh đạo, chuyên viên, nhân viên",
                                 "Lưu VT, BPCM."]
    assert (letter.signer_title, letter.signer_name) == ("TRƯỞNG PHÒNG", "Cần Văn Đa")
    assert ("đã bỏ 7 dòng nghi là chữ rác do quét (OCR) hay con dấu (dòng 53, 54, 55, 56, 57, 58, …: '==', '110', "
            "'PH', 'ÁO', 'ĐÀ', '941', …). Sửa: đối chiếu với bản giấy.") in notes(letter)
    assert "100% lãnh đạo ngành Giáo dục và Đào tạo tiếp tục được bồi dưỡng" in letter.body
    assert "\n## II. NỘI DUNG THỰC HIỆN CCHC\n\n### 1. Cải cách thể chế\n" in letter.body
    assert "**" not in "".join(line for line in letter.body.splitlines() if line.startswith("#"))
    assert "✓" not in letter.body and "2004.04.20" not in letter.body and "\n941\n" not in letter.body


def test_two_column_decision_with_deputy_signing() -> None:
    letter = read(FIXTURES / "hai-cot-quyet-dinh.txt")
    assert (letter.parent, letter.issuer) == ("UBND PHƯỜNG HOA SEN", "TRƯỜNG THCS HOA SEN")
    assert (letter.number, letter.date, letter.place) == ("15/QĐ-THCSHS", date(2025, 9, 5), "Hoa Sen")
    assert letter.type.name == "Quyết định"
    assert letter.title == "Quyết định về việc công khai dự toán thu, chi ngân sách năm 2025"
    assert letter.basis == [
        "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015",
        "Thông tư số 61/2017/TT-BTC ngày 15/6/2017 của Bộ Tài chính hướng dẫn về công khai ngân sách",
        "Quyết định số 120/QĐ-UBND ngày 10/01/2025 của Ủy ban nhân dân phường Hoa Sen về giao dự toán năm 2025",
    ]
    assert letter.recipients == ["UBND phường Hoa Sen", "Như Điều 2", "Lưu: VT, KT."]
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == (
        "KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Lương Thị Thúy")
    assert "HIỆU TRƯỞNG TRƯỜNG TRUNG HỌC CƠ SỞ HOA SEN" not in letter.body
    assert "(Đã ký)" not in letter.body and "KT. HIỆU TRƯỞNG" not in letter.body
    assert "Điều 2. Quyết định có hiệu lực kể từ ngày ký." in letter.body


def test_blank_number_and_blank_day_make_a_draft_and_say_so() -> None:
    letter = read(FIXTURES / "chua-so-chua-ngay.txt")
    assert (letter.parent, letter.issuer) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HỒNG LAM", "TRUNG TÂM GDNN-GDTX TÂN HÀ")
    assert letter.number == "/TB-TTTH" and letter.missing_number
    assert letter.date is None and letter.missing_day and letter.place == "Tân Hà"
    assert letter.is_draft
    assert notes(letter) == [
        "văn bản chưa có số (dòng 'Số: /TB-TTTH' để trống phần số).",
        "văn bản chưa có ngày ban hành (dòng 'Tân Hà, ngày tháng 8 năm 2025' để trống ngày; tháng 8 năm 2025).",
    ]
    assert letter.title == "Thông báo tuyển sinh lớp bổ túc văn hóa năm học 2025 – 2026"
    assert (letter.signer_title, letter.signer_name) == ("GIÁM ĐỐC", "Mai Xuân Trường")


def test_markdown_table_header_ocr_debris_and_a_date_that_contradicts_the_title() -> None:
    letter = read(FIXTURES / "ocr-nam-lech.md")
    assert (letter.parent, letter.issuer) == ("UBND PHƯỜNG HOA SEN", "TRƯỜNG MẦM NON HOA MAI")
    assert (letter.number, letter.date) == ("07/KH-MNHM", date(2025, 1, 12))
    assert letter.title == "Kế hoạch cải cách hành chính năm 2026"
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == (
        "TM. BAN GIÁM HIỆU", "HIỆU TRƯỞNG", "Nguyễn Thị Minh Nguyệt")
    assert notes(letter) == [
        "đã bỏ 3 dòng nghi là chữ rác do quét (OCR) hay con dấu (dòng 17, 18, 19: '==', '47', 'TR'). Sửa: đối chiếu "
        "với bản giấy.",
        "đã nối 1 đoạn bị ngắt giữa câu (do ngắt trang hay con dấu).",
        "ngày ban hành 12/01/2025 không cùng năm với tiêu đề (2026). Sửa: đối chiếu dòng ngày tháng với bản giấy; nếu "
        "văn bản ban hành trước năm nó nói tới thì bỏ qua cảnh báo này.",
    ]
    assert letter.body == (
        "Căn cứ Kế hoạch số 41/KH-UBND ngày 26/01/2026 của Ủy ban nhân dân phường Hoa Sen về cải cách hành chính "
        "lĩnh vực giáo dục năm 2026; Trường Mầm non Hoa Mai xây dựng kế hoạch như sau:\n\n"
        "## I. MỤC ĐÍCH, YÊU CẦU\n\n"
        "- Niêm yết đầy đủ thủ tục hành chính tại bảng tin của nhà trường.\n\n"
        "- Công khai thu, chi năm học đúng hạn.\n\n"
        "## II. TỔ CHỨC THỰC HIỆN\n\n"
        "| Nội dung | Người chủ trì | Thời gian |\n|---|---|---|\n| Niêm yết thủ tục | Phó hiệu trưởng | Tháng 02/2026 |\n"
    )


def test_official_letter_without_type_name_and_acting_head() -> None:
    letter = read(FIXTURES / "cong-van.txt")
    assert letter.type is letterhead.OFFICIAL_LETTER
    assert letter.title == "Về việc tăng cường niêm yết thủ tục hành chính"
    assert (letter.number, letter.date, letter.issuer) == ("112/THKĐ-VP", date(2026, 3, 3), "TRƯỜNG TIỂU HỌC KIM ĐỒNG")
    assert letter.basis == ["Công văn số 55/UBND-VHXH ngày 20/02/2026 của Ủy ban nhân dân phường Hoa Sen"]
    assert letter.recipients == ["Như trên", "Lưu: VT."]
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == ("Q. HIỆU TRƯỞNG", None, "Trần Văn Bình")


@pytest.mark.parametrize("line", ["==", "110", "PH", "ĐÀ", "2004.04.20", "1"])
def test_scanning_debris(line: str) -> None:
    assert letterhead.is_debris(line)


@pytest.mark.parametrize("line", ["- Lưu: VT.", "Điều 1.", "|---|---|", "100% hồ sơ đúng hạn.", "UBND"])
def test_lines_that_are_not_debris(line: str) -> None:
    assert not letterhead.is_debris(line)


# "TL." (thừa lệnh) and "TUQ." (thừa ủy quyền): someone signs on the head's behalf, under their own title.
@pytest.mark.parametrize("fixture, signature, expected", [
    ("cong-van.txt", {"Q. HIỆU TRƯỞNG\n\nTrần Văn Bình": "TL. HIỆU TRƯỞNG\nTỔ TRƯỞNG VĂN PHÒNG\n(Đã ký)\n\nĐỗ Thị Hạnh"},
     ("TL. HIỆU TRƯỞNG", "TỔ TRƯỞNG VĂN PHÒNG", "Đỗ Thị Hạnh")),
    ("cong-van.txt", {"Q. HIỆU TRƯỞNG\n\nTrần Văn Bình": "TL.HIỆU TRƯỞNG\nCHÁNH VĂN PHÒNG\n\nĐỗ Thị Hạnh"},
     ("TL. HIỆU TRƯỞNG", "CHÁNH VĂN PHÒNG", "Đỗ Thị Hạnh")),
    ("cong-van.txt", {"Q. HIỆU TRƯỞNG\n\nTrần Văn Bình": "TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nPhan Văn Lực"},
     ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Phan Văn Lực")),
    ("hai-cot-quyet-dinh.txt", {"KT. HIỆU TRƯỞNG": "TUQ . GIÁM ĐỐC", "PHÓ HIỆU TRƯỞNG": "TRƯỞNG PHÒNG TỔ CHỨC CÁN BỘ",
                                "Lương Thị Thúy": "Vũ Minh Khoa"},
     ("TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC CÁN BỘ", "Vũ Minh Khoa")),
], ids=["tl", "tl-no-space", "tuq", "tuq-two-columns"])
def test_signing_by_order_or_by_delegation(fixture: str, signature: dict[str, str],
                                           expected: tuple[str, str, str]) -> None:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    for old, new in signature.items():
        assert old in text
        text = text.replace(old, new)
    letter = letterhead.parse(text)
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == expected
    # The signature is not taken for a recipient, and not left in the body.
    assert not any(part in item for item in letter.recipients for part in expected)
    assert not any(part in letter.body for part in expected)
    assert letter.recipients == (["Như trên", "Lưu: VT."] if fixture == "cong-van.txt"
                                 else ["UBND phường Hoa Sen", "Như Điều 2", "Lưu: VT, KT."])


def test_a_commune_letterhead_is_one_issuing_body_without_a_parent() -> None:
    """A commune's People's Committee writes its name over two lines ("ỦY BAN NHÂN DÂN" / "PHƯỜNG HOA
    SEN"): one issuing body, no cơ quan chủ quản; a school under the commune has the commune above it."""
    text = ("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPHƯỜNG HOA SEN\tĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 41/KH-UBND\tHoa Sen, ngày 26 tháng 01 năm 2026\n\nKẾ HOẠCH\nCải cách hành chính năm 2026\n\n"
            "I. MỤC ĐÍCH\nNội dung.\n\nNơi nhận:\n- Các trường;\n- Lưu: VT.\tTM. ỦY BAN NHÂN DÂN\n\tKT. CHỦ TỊCH\n"
            "\tPHÓ CHỦ TỊCH\n\tTrịnh Thị Thanh Loan\n")
    letter = letterhead.parse(text)
    assert (letter.issuer, letter.parent, letter.place) == ("ỦY BAN NHÂN DÂN PHƯỜNG HOA SEN", None, "Hoa Sen")
    assert (letter.signer_authority, letter.signer_title, letter.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trịnh Thị Thanh Loan")
    school = letterhead.parse(text.replace("ỦY BAN NHÂN DÂN\t", "UBND PHƯỜNG HOA SEN\t", 1)
                              .replace("PHƯỜNG HOA SEN\tĐộc", "TRƯỜNG THCS HOA SEN\tĐộc"))
    assert (school.issuer, school.parent) == ("TRƯỜNG THCS HOA SEN", "UBND PHƯỜNG HOA SEN")
