"""Procedures: the components of NĐ 63/2010 Điều 8, the code, the online level, and the pages."""

from __future__ import annotations

from conftest import Site

COMPLETE = """
title: Chuyển trường đối với học sinh trung học cơ sở
date: 2025-09-01
code: "2.002481"
field: Giáo dục trung học
online_level: mot-phan
online_url: https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=2.002481
steps:
  - Cha mẹ học sinh nộp hồ sơ tại trường nơi chuyển đến.
  - Hiệu trưởng trường nơi chuyển đến tiếp nhận và giải quyết.
channels: [Trực tiếp, Qua bưu chính, Trực tuyến]
documents:
  - Đơn xin chuyển trường.
  - Học bạ.
sets: 1
time_limit: 03 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ
applicants: Học sinh trung học cơ sở
authority: Hiệu trưởng trường trung học cơ sở nơi chuyển đến
legal_basis:
  - Thông tư số 50/2021/TT-BGDĐT
"""


def test_a_complete_procedure_is_valid(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thu-tuc", "chuyen-truong", COMPLETE)
    assert site.messages() == []


def test_each_missing_required_component_is_named(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thu-tuc", "chuyen-truong", "title: Chuyển trường\ndate: 2025-09-01\nsteps: [Nộp hồ sơ]\n")
    prefix = "Lỗi: content/thcs-a/thu-tuc/chuyen-truong.md, dòng 2: "
    missing = [
        ("applicants", "Đối tượng thực hiện"), ("authority", "Cơ quan giải quyết"),
        ("channels", "Cách thức thực hiện"), ("documents", "Thành phần hồ sơ"),
        ("legal_basis", "Căn cứ pháp lý"), ("sets", "Số lượng hồ sơ"), ("time_limit", "Thời hạn giải quyết"),
    ]
    assert site.messages() == [
        f"{prefix}'{name}': thủ tục hành chính thiếu thành phần bắt buộc '{label}' (Nghị định 63/2010/NĐ-CP, "
        f"Điều 8). Sửa: thêm trường '{name}:' vào phần đầu tệp."
        for name, label in missing
    ]


def test_a_draft_may_be_incomplete(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thu-tuc", "nhap", "title: Thủ tục đang soạn\nstatus: draft\n")
    assert site.messages() == []


def test_code_and_online_level_are_validated(site: Site) -> None:
    site.standard_units()
    text = COMPLETE.replace('code: "2.002481"', "code: 2002481").replace("online_level: mot-phan", "online_level: muc-do-3")
    site.doc("thcs-a", "thu-tuc", "chuyen-truong", text)
    assert site.messages() == [
        "Lỗi: content/thcs-a/thu-tuc/chuyen-truong.md, dòng 4: 'code': mã thủ tục phải gồm một chữ số, dấu chấm và "
        "sáu chữ số (ví dụ 1.004443), nhận được '2002481'. Sửa: chép đúng mã trên Cơ sở dữ liệu quốc gia về thủ tục "
        "hành chính, đặt trong ngoặc kép: \"1.004443\".",
        "Lỗi: content/thcs-a/thu-tuc/chuyen-truong.md, dòng 6: 'online_level': cách gọi 'mức độ 3/4' đã được thay "
        "từ năm 2022, nhận được 'muc-do-3'. Sửa thành 'mot-phan'.",
    ]


def test_procedure_page_shows_the_card_components_and_feedback_channel(site: Site) -> None:
    site.standard_units()
    site.unit("thcs-a", (site.units / "thcs-a.yml").read_text(encoding="utf-8")
              + "address: Số 5 đường Sao Mai\nphone: 0210 3800 555\nemail: thcs-a@example.vn\n")
    site.doc("thcs-a", "thu-tuc", "chuyen-truong", COMPLETE)
    assert site.run("build") == 0
    page = (site.out / "thcs-a/thu-tuc/chuyen-truong/index.html").read_text(encoding="utf-8")
    for fragment in (
        "<dt>Thời hạn giải quyết</dt><dd>03 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ</dd>",
        "<dt>Phí, lệ phí</dt><dd>Không</dd>",
        "<dt>Nơi giải quyết</dt><dd>Hiệu trưởng trường trung học cơ sở nơi chuyển đến<br>"
        '<span class="ck-muted">Số 5 đường Sao Mai</span></dd>',
        '<span class="ck-badge ck-badge--ok">Trực tuyến một phần</span>',
        '>Nộp hồ sơ trực tuyến</a>',
        '<h2 id="trinh-tu-thuc-hien">Trình tự thực hiện</h2>\n<ol>\n<li>Cha mẹ học sinh nộp hồ sơ tại trường nơi chuyển đến.</li>',
        '<h2 id="so-luong-ho-so">Số lượng hồ sơ</h2>\n<p>01 bộ hồ sơ.</p>',
        "Phản ánh, kiến nghị về thủ tục hành chính",
        '; điện thoại: <a href="tel:02103800555">0210 3800 555</a>; thư điện tử: '
        '<a href="mailto:thcs-a@example.vn">thcs-a@example.vn</a>.',
    ):
        assert fragment in page
    assert '<a href="#trinh-tu-thuc-hien" class="md-nav__link">' in page  # in the table of contents


def test_unit_procedure_index_is_a_table_grouped_by_field(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thu-tuc", "chuyen-truong", COMPLETE)
    site.doc("thcs-a", "thu-tuc", "ban-sao-van-bang",
             COMPLETE.replace("Chuyển trường đối với học sinh trung học cơ sở", "Cấp bản sao văn bằng từ sổ gốc")
             .replace("Giáo dục trung học", "Văn bằng, chứng chỉ").replace('"2.002481"', '"1.005092"')
             .replace("online_level: mot-phan", "online_level: toan-trinh\nfees: 3.000 đồng/bản"))
    assert site.run("build") == 0
    listing = (site.out / "thcs-a/thu-tuc/index.html").read_text(encoding="utf-8")
    assert listing.index("1. Lĩnh vực giáo dục trung học") < listing.index("2. Lĩnh vực văn bằng, chứng chỉ")
    assert ('<tr><td data-label="Mã">1.005092</td><td><a href="ban-sao-van-bang/">Cấp bản sao văn bằng từ sổ gốc</a>'
            '</td><td data-label="Thời hạn">03 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ</td><td data-label="Phí, '
            'lệ phí">3.000 đồng/bản</td><td data-label="Trực tuyến">Trực tuyến toàn trình</td></tr>') in listing
