"""Documents: each mistake in content/ gives one exact Vietnamese message; good files load fully."""

from __future__ import annotations

from datetime import date

from conftest import MINIMAL_PDF, Site

from congkhai.kinds import ke_hoach
from congkhai.model.documents import Status

GOOD = "title: Kế hoạch năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n"


def write_mistakes(site: Site) -> None:
    """One file (or folder) per mistake of issue 2, plus a good document and a draft."""
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024", GOOD)
    site.doc("khong-co", "ke-hoach", "a", GOOD)
    site.doc("thcs-a", "bao-cao", "a", GOOD)
    site.doc("thcs-a", "thong-bao", "thieu-tieu-de", "number: 06/TB-THCS\ndate: 2024-02-01\n")
    site.doc("thcs-a", "thong-bao", "ngay-sai", "title: Thông báo A\ndate: 2023-02-30\n")
    site.doc("thcs-a", "thong-bao", "ngay-kieu-viet", "title: Thông báo B\ndate: 15/3/2024\n")
    site.doc("phong-gd", "thong-bao", "sau-giai-the", "title: Thông báo C\nnumber: 12/TB-PGDĐT\ndate: 2025-08-01\n")
    site.doc("thcs-a", "ke-hoach", "Ke-Hoach-2024", GOOD.replace("05/KH", "07/KH"))  # its own number: only the address clashes
    site.doc("thcs-a", "thong-bao", "thieu-tep",
             "title: Thông báo D\ndate: 2024-03-01\nattachments:\n  - file: khong-co.pdf\n    title: Bản scan\n")
    site.doc("thcs-a", "thong-bao", "yaml-hong", "title: Thông báo E\ndate: 2024-03-01\ntags: [a, b\n")
    site.doc("thcs-a", "thong-bao", "truong-la", "title: Thông báo F\ndate: 2024-03-01\nauthor: Nguyễn Văn A\n")
    site.doc("thcs-a", "thong-bao", "dang-truoc", "title: Thông báo G\ndate: 2024-03-10\npublished: 2024-03-01\n")
    site.doc("thcs-a", "thong-bao", "so-sai", "title: Thông báo H\ndate: 2024-03-10\nnumber: TB 15 ngày 10/3\n")
    site.doc("thcs-a", "thong-bao", "so-trong", "title: Thông báo I\ndate: 2024-03-10\nnumber: /TB-THCS\n")
    site.doc("thcs-a", "thong-bao", "nhap", "title: Thông báo nháp\nstatus: draft\nnumber: /TB-THCS\n")


ERRORS = [
    "Lỗi: content/khong-co: thư mục của một đơn vị không có trong units/, nhận được 'khong-co'. "
    "Sửa: tạo units/khong-co.yml hoặc đổi tên thư mục theo mã đơn vị.",
    "Lỗi: content/phong-gd/thong-bao/sau-giai-the.md, dòng 4: 'date': văn bản ban hành sau ngày đơn vị "
    "phong-gd giải thể (30/06/2025), nhận được '2025-08-01'. Sửa: kiểm tra lại ngày, hoặc đăng văn bản dưới "
    "đơn vị kế thừa (ubnd-xa).",
    "Lỗi: content/thcs-a/bao-cao: loại văn bản không hợp lệ, nhận được 'bao-cao'. "
    "Sửa: dùng một trong: ke-hoach, thu-tuc, tai-chinh, tin-tuc, thong-bao, tuyen-sinh.",
    "Lỗi: content/thcs-a/ke-hoach/ke-hoach-2024.md: hai văn bản cùng một địa chỉ /thcs-a/ke-hoach/ke-hoach-2024/ "
    "(tệp này và content/thcs-a/ke-hoach/Ke-Hoach-2024.md). Sửa: đổi tên một trong hai tệp (tên tệp quyết định "
    "địa chỉ trang).",
    "Cảnh báo: content/thcs-a/thong-bao/dang-truoc.md, dòng 4: 'published': ngày đăng trước ngày ban hành "
    "(10/03/2024), nhận được '2024-03-01'. Sửa: ngày đăng ('published') phải bằng hoặc sau ngày ban hành ('date').",
    "Lỗi: content/thcs-a/thong-bao/ngay-kieu-viet.md, dòng 3: 'date': cần ngày dạng YYYY-MM-DD (năm-tháng-ngày), "
    "ví dụ 2024-03-15, nhận được '15/3/2024'. Sửa thành 2024-03-15.",
    "Lỗi: content/thcs-a/thong-bao/ngay-sai.md, dòng 3: 'date': ngày không có thật (tháng 02/2023 chỉ có 28 "
    "ngày), nhận được '2023-02-30'. Sửa: ghi một ngày có thật, dạng YYYY-MM-DD.",
    "Cảnh báo: content/thcs-a/thong-bao/so-sai.md, dòng 4: 'number': số, ký hiệu không đúng dạng số/ký hiệu "
    "(Nghị định 30/2020/NĐ-CP), nhận được 'TB 15 ngày 10/3'. Sửa: ghi dạng '108/KH-PGDĐT' (số/loại văn bản-cơ "
    "quan ban hành) hoặc '1234/UBND-VP' cho công văn.",
    "Cảnh báo: content/thcs-a/thong-bao/so-trong.md, dòng 4: 'number': văn bản đã đăng nhưng chưa có số, nhận "
    "được '/TB-THCS'. Sửa: ghi số của văn bản đã ký, hoặc đặt 'status: draft' nếu văn bản chưa ban hành.",
    "Lỗi: content/thcs-a/thong-bao/thieu-tep.md, dòng 5: 'attachments[1].file': không tìm thấy tệp, nhận được "
    "'khong-co.pdf'. Sửa: đặt tệp cạnh tệp .md của văn bản, hoặc sửa tên tệp cho đúng (phân biệt chữ hoa, "
    "chữ thường).",
    "Lỗi: content/thcs-a/thong-bao/thieu-tieu-de.md, dòng 2: 'title': thiếu trường bắt buộc. Sửa: thêm dòng "
    "'title: …' vào phần đầu tệp.",
    "Cảnh báo: content/thcs-a/thong-bao/truong-la.md, dòng 4: 'author': trường không được hỗ trợ cho loại "
    "'thong-bao'; trường này bị bỏ qua. Sửa: xóa hoặc đổi tên trường.",
    "Lỗi: content/thcs-a/thong-bao/yaml-hong.md, dòng 4: phần đầu YAML không đọc được: danh sách trong ngoặc "
    "vuông thiếu dấu ']' đóng (hoặc thiếu dấu ',' giữa hai mục). Sửa: mỗi dòng dạng 'tên: giá trị', thụt lề bằng "
    "dấu cách (không dùng Tab), giá trị có dấu ':' hoặc bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép.",
]


def test_every_mistake_gets_one_exact_message(site: Site) -> None:
    write_mistakes(site)
    assert site.messages() == ERRORS


HIDDEN = "content/thcs-a/thong-bao/nhap.md: bản nháp (status: draft), chưa hiện trên cổng."


def test_check_prints_every_message_and_exits_1(site: Site, capsys) -> None:
    write_mistakes(site)
    assert site.run("check") == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:-2] == ERRORS
    assert printed[-2] == HIDDEN  # the draft: not shown, and the author is told why
    assert printed[-1] == "Có 9 lỗi và 4 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên."


def test_unknown_key_close_to_a_known_one_gets_a_suggestion(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "a", GOOD + "recipient:\n  - Lưu VT\n")
    assert site.messages() == [
        "Cảnh báo: content/thcs-a/ke-hoach/a.md, dòng 5: 'recipient': trường không được hỗ trợ cho loại "
        "'ke-hoach'; trường này bị bỏ qua. Có phải ý bạn là 'recipients'?"
    ]


def test_numbers_in_the_forms_of_decree_30(site: Site) -> None:
    site.standard_units()
    for i, number in enumerate(["108/KH-PGDĐT", "1234/UBND-VP", "09/2024/TT-BGDĐT", "15/QyĐ-THCS", "05/TB-TH&THCS"]):
        site.doc("thcs-a", "thong-bao", f"tb-{i}", f"title: TB {i}\ndate: 2024-03-01\nnumber: {number}\n")
    site.doc("thcs-a", "thong-bao", "tb-nho", "title: TB nhỏ\ndate: 2024-03-01\nnumber: 5/TB-THCS\n")
    assert site.messages() == [
        "Cảnh báo: content/thcs-a/thong-bao/tb-nho.md, dòng 4: 'number': số dưới 10 phải có số 0 ở đầu "
        "(Nghị định 30/2020/NĐ-CP), nhận được '5/TB-THCS'. Sửa thành '05/TB-THCS'."
    ]


def test_a_complete_document_is_read_in_full(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/Bản scan.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-cchc-2024", """
        title: "Kế hoạch cải cách hành chính năm 2024"
        number: 05/KH-THCS
        date: 2024-01-15
        published: 2024-01-17
        signer:
          authority: KT. HIỆU TRƯỞNG
          title: PHÓ HIỆU TRƯỞNG
          name: Lê Văn Bình
        basis:
          - Kế hoạch số 12/KH-PGDĐT ngày 10/01/2024 của Phòng GD&ĐT huyện Ven Sông
        recipients: [Phòng GD&ĐT (để b/c), "Lưu: VT."]
        tags: [cải cách hành chính]
        attachments:
          - file: Bản scan.pdf
            title: Bản có chữ ký
        changes:
          - date: 2024-02-01
            note: Sửa phụ lục 1
          - date: 2024-03-01
            note: Bổ sung phụ lục 2
        """, body="## I. MỤC ĐÍCH\n\nNội dung.\n")
    result = site.validate()
    assert result.problems.sorted() == []
    (doc,) = result.portal.documents
    assert doc.key == "thcs-a/ke-hoach/ke-hoach-cchc-2024"
    assert doc.kind is ke_hoach.KIND and doc.status is Status.PUBLISHED
    assert (doc.date, doc.posted) == (date(2024, 1, 15), date(2024, 1, 17))
    assert (doc.signer.authority, doc.signer.title, doc.signer.name) == ("KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Lê Văn Bình")
    assert doc.recipients == ("Phòng GD&ĐT (để b/c)", "Lưu: VT.")
    assert doc.attachments[0].file.name == "ban-scan.pdf"
    assert doc.attachments[0].file.size == len(MINIMAL_PDF)
    assert [c.note for c in doc.changes] == ["Bổ sung phụ lục 2", "Sửa phụ lục 1"]
    assert doc.rendered.blocks == ("I. MỤC ĐÍCH", "Nội dung.") and doc.rendered.toc == ((2, "i-muc-dich", "I. MỤC ĐÍCH", ()),)
    assert doc.rendered.html.startswith('<h2 id="i-muc-dich">I. MỤC ĐÍCH<a class="headerlink"')


def test_nfd_text_is_stored_as_nfc(site: Site) -> None:
    import unicodedata

    site.standard_units()
    title = unicodedata.normalize("NFD", "Thông báo tuyển sinh lớp 6")
    site.doc("thcs-a", "thong-bao", "tuyen-sinh", f"title: {title}\ndate: 2024-05-02\n",
             body=unicodedata.normalize("NFD", "Học sinh đăng ký trực tuyến.\n"))
    (doc,) = site.validate().portal.documents
    assert doc.title == "Thông báo tuyển sinh lớp 6" and unicodedata.is_normalized("NFC", doc.rendered.html)


def test_drafts_and_future_postings_are_not_visible(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "nhap", "title: Nháp\nstatus: draft\n")
    site.doc("thcs-a", "thong-bao", "hen-ngay", "title: Hẹn ngày\ndate: 2026-11-20\npublished: 2026-12-01\n")
    portal = site.validate().portal
    assert portal.documents == ()
    assert [d.slug for d in portal.drafts] == ["nhap"]
    assert [d.slug for d in portal.scheduled] == ["hen-ngay"]


def test_a_number_used_twice_in_a_year_is_an_error_naming_both_files(site: Site) -> None:
    """Nghị định 30/2020/NĐ-CP Điều 15 k1: numbering restarts each 1 January; a number and symbol are unique
    in a year for one issuer (the same number with another symbol, or in another year, is fine)."""
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-a", "title: Kế hoạch A\nnumber: 05/KH-THCS\ndate: 2026-01-15\n")
    site.doc("thcs-a", "thong-bao", "ke-hoach-b", "title: Kế hoạch B\nnumber: 5/KH-THCS\ndate: 2026-03-02\n")
    site.doc("thcs-a", "thong-bao", "thong-bao-c", "title: Thông báo C\nnumber: 05/TB-THCS\ndate: 2026-03-02\n")
    site.doc("thcs-a", "ke-hoach", "ke-hoach-d", "title: Kế hoạch D\nnumber: 05/KH-THCS\ndate: 2025-03-02\n")
    site.doc("ubnd-xa", "ke-hoach", "ke-hoach-e", "title: Kế hoạch E\nnumber: 05/KH-THCS\ndate: 2026-03-02\n")
    assert [m for m in site.messages() if "đã dùng" in m] == [
        "Lỗi: content/thcs-a/thong-bao/ke-hoach-b.md, dòng 3: 'number': số, ký hiệu đã dùng cho văn bản "
        "content/thcs-a/ke-hoach/ke-hoach-a.md cùng năm 2026 (Nghị định 30/2020/NĐ-CP Điều 15: số và ký hiệu văn "
        "bản của một cơ quan là duy nhất trong một năm), nhận được '5/KH-THCS'. Sửa: đối chiếu sổ đăng ký văn bản "
        "đi và ghi đúng số của văn bản này.",
    ]


def test_type_named_by_the_number_and_two_line_signature(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "sai-loai", "title: Kế hoạch công khai\nnumber: 12/BC-THCS\ndate: 2026-03-02\n")
    site.doc("thcs-a", "thong-bao", "cong-van", "title: Về việc niêm yết\nnumber: 13/THCS-VP\ndate: 2026-03-02\n")
    site.doc("thcs-a", "thong-bao", "ky-thay", "title: Thông báo A\nnumber: 14/TB-THCS\ndate: 2026-03-02\n"
             "signer:\n  authority: KT. HIỆU TRƯỞNG\n  name: Lương Thị Thúy\n")
    site.doc("thcs-a", "thong-bao", "sai-dau", "title: Thông báo B\nnumber: 15/TB-THCS\ndate: 2026-03-02\n"
             "signer:\n  authority: Ký thay Hiệu trưởng\n  title: PHÓ HIỆU TRƯỞNG\n  name: Lương Thị Thúy\n")
    assert [m for m in site.messages() if m.startswith("Cảnh báo: content/")] == [
        "Cảnh báo: content/thcs-a/thong-bao/ky-thay.md, dòng 6: 'signer.title': người ký thay, thừa lệnh hay thừa "
        "ủy quyền ghi hai dòng: thẩm quyền rồi chức vụ của chính người ký, nhận được 'KT. HIỆU TRƯỞNG'. Sửa: thêm "
        "'title', ví dụ 'PHÓ HIỆU TRƯỞNG' dưới 'KT. HIỆU TRƯỞNG'.",
        "Cảnh báo: content/thcs-a/thong-bao/sai-dau.md, dòng 6: 'signer.authority': dòng thẩm quyền ký bắt đầu bằng "
        "TM., KT., Q., TL. hoặc TUQ. (Nghị định 30/2020/NĐ-CP), nhận được 'Ký thay Hiệu trưởng'. Sửa: ví dụ 'KT. "
        "HIỆU TRƯỞNG'; chức vụ của người ký ghi ở 'title'.",
        "Cảnh báo: content/thcs-a/thong-bao/sai-loai.md, dòng 3: 'number': ký hiệu 'BC' trong số là báo cáo, nhưng "
        "tiêu đề bắt đầu bằng 'Kế hoạch' (Nghị định 30/2020/NĐ-CP: tên loại và chữ viết tắt trong số phải khớp "
        "nhau), nhận được '12/BC-THCS'. Sửa: nếu văn bản là kế hoạch, ký hiệu là 'KH'; nếu không, sửa tiêu đề.",
    ]
    docs = {d.slug: d for d in site.validate().portal.documents}
    assert docs["sai-loai"].doc_type.name == "Báo cáo"  # the number decides the type named on the page
    assert docs["cong-van"].doc_type.name == "Công văn"


def test_the_document_page_has_the_parts_decree_30_requires(site: Site) -> None:
    from lxml import html as lhtml

    site.standard_units()
    site.unit("so-gd", "name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm\nkind: so\nplace: Thử Nghiệm\n"
              "parent:\n  - name: Ủy ban nhân dân tỉnh Thử Nghiệm\n")
    site.doc("so-gd", "thong-bao", "bao-cao", "title: Kết quả công khai năm 2025\nnumber: 12/BC-SGDĐT\n"
             "date: 2026-02-05\nsigner:\n  authority: KT. GIÁM ĐỐC\n  title: PHÓ GIÁM ĐỐC\n  name: Nguyễn Văn An\n")
    site.unit("ubnd-xa", (site.units / "ubnd-xa.yml").read_text(encoding="utf-8")
              + "parent:\n  - name: Ủy ban nhân dân tỉnh Thử Nghiệm\n    from: 2025-07-01\n")
    site.doc("ubnd-xa", "thong-bao", "xa", "title: Thông báo lịch tiếp dân\nnumber: 05/TB-UBND\ndate: 2026-02-05\n")
    site.doc("thcs-a", "thong-bao", "truong", "title: Thông báo lịch học\nnumber: 07/TB-THCS\ndate: 2026-02-05\n")
    assert site.run("build", "--no-search") == 0
    page = lhtml.document_fromstring((site.out / "so-gd/thong-bao/bao-cao/index.html").read_text(encoding="utf-8"))
    head = [" ".join(p.text_content().split()) for p in page.xpath('//div[@class="ck-nd30"]//p')]
    assert head == ["ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THỬ NGHIỆM", "Số: 12/BC-SGDĐT",
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                    "Thử Nghiệm, ngày 05 tháng 02 năm 2026"]
    # the type the number names, in capitals, above the summary
    assert [p.text_content() for p in page.xpath('//p[@class="ck-nd30__type"]')] == ["BÁO CÁO"]
    signer = [" ".join(p.text_content().split()) for p in page.xpath('//div[@class="ck-sign__signer"]/p')]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    # a People's Committee's letterhead is its own name, without the province's committee above it; a
    # school under the commune has the commune above it
    ward = lhtml.document_fromstring((site.out / "ubnd-xa/thong-bao/xa/index.html").read_text(encoding="utf-8"))
    assert [p.text_content() for p in ward.xpath('//div[@class="ck-nd30__issuer"]/p')][:2] == [
        "ỦY BAN NHÂN DÂN XÃ BẾN ĐÒ", "Số: 05/TB-UBND"]
    school = lhtml.document_fromstring((site.out / "thcs-a/thong-bao/truong/index.html").read_text(encoding="utf-8"))
    assert [p.text_content() for p in school.xpath('//div[@class="ck-nd30__issuer"]/p')][:2] == [
        "ỦY BAN NHÂN DÂN XÃ BẾN ĐÒ", "TRƯỜNG TRUNG HỌC CƠ SỞ SAO MAI"]
