"""News and notices: reform areas, images with alt text, notice validity; life-cycle pages."""

from __future__ import annotations

import json

from conftest import Site

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_areas_come_from_the_six_cchc_areas(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "tin-tuc", "tin", "title: Tin A\ndate: 2025-03-01\nareas: [thu-tuc-hanh-chinh, so-hoa]\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tin-tuc/tin.md, dòng 4: 'areas': lĩnh vực cải cách hành chính không có trong danh mục, "
        "nhận được 'so-hoa'. Sửa: dùng một trong: the-che, thu-tuc-hanh-chinh, to-chuc-bo-may, che-do-cong-vu, "
        "tai-chinh-cong, chinh-quyen-so. Từ khóa tự do đặt ở 'tags'."
    ]


def test_an_image_needs_alt_text(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tin-tuc/anh.png", PNG)
    site.doc("thcs-a", "tin-tuc", "tin", "title: Tin A\ndate: 2025-03-01\nimage:\n  file: anh.png\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/tin-tuc/tin.md, dòng 4: 'image.alt': ảnh phải có lời mô tả cho người không xem được "
        "ảnh. Sửa: thêm 'alt: …' mô tả nội dung ảnh."
    ]


def test_area_pages_gather_news_across_the_portal(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tin-tuc/anh.png", PNG)
    site.doc("thcs-a", "tin-tuc", "mot-cua", "title: Trường triển khai một cửa\ndate: 2025-03-01\n"
             "areas: [thu-tuc-hanh-chinh]\nimage:\n  file: anh.png\n  alt: Cán bộ tiếp nhận hồ sơ tại bàn một cửa\n")
    site.doc("ubnd-xa", "tin-tuc", "so-hoa", "title: Xã số hóa hồ sơ\ndate: 2025-08-01\n"
             "areas: [thu-tuc-hanh-chinh, chinh-quyen-so]\n")
    assert site.run("build") == 0
    area = (site.out / "cchc/thu-tuc-hanh-chinh/index.html").read_text(encoding="utf-8")
    assert area.index("Xã số hóa hồ sơ") < area.index("Trường triển khai một cửa")
    assert "Xã số hóa hồ sơ" in (site.out / "cchc/chinh-quyen-so/index.html").read_text(encoding="utf-8")
    news = (site.out / "thcs-a/tin-tuc/mot-cua/index.html").read_text(encoding="utf-8")
    assert '<img src="anh.png" alt="Cán bộ tiếp nhận hồ sơ tại bàn một cửa" loading="lazy">' in news
    assert '<a class="ck-badge ck-badge--area" href="../../../cchc/thu-tuc-hanh-chinh/">' in news
    assert (site.out / "thcs-a/tin-tuc/mot-cua/anh.png").read_bytes() == PNG


def test_expired_notices_are_marked_not_hidden(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "cu", "title: Thông báo tuyển sinh 2024\ndate: 2024-05-02\nvalid_until: 2024-07-31\n")
    site.doc("thcs-a", "thong-bao", "moi", "title: Thông báo tuyển sinh 2026\ndate: 2026-05-02\nvalid_until: 2026-12-31\n")
    assert site.run("build") == 0
    listing = (site.out / "thcs-a/thong-bao/index.html").read_text(encoding="utf-8")
    assert "Thông báo tuyển sinh 2024" in listing and listing.count("Đã hết hiệu lực") == 1
    page = (site.out / "thcs-a/thong-bao/cu/index.html").read_text(encoding="utf-8")
    assert "Thông báo này có hiệu lực đến ngày 31 tháng 7 năm 2024" in page


def test_supersession_links_both_ways_and_withdrawal_keeps_page_and_register(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "cu", "title: Lịch học cũ\nnumber: 05/TB-THCS\ndate: 2025-01-05\n"
             "status: superseded\nsuperseded_by: thcs-a/thong-bao/moi\n")
    site.doc("thcs-a", "thong-bao", "moi", "title: Lịch học mới\nnumber: 09/TB-THCS\ndate: 2025-02-01\n")
    site.doc("thcs-a", "thong-bao", "thu-hoi", "title: Thông báo thu tiền\ndate: 2025-03-01\nstatus: withdrawn\n"
             "withdrawn:\n  date: 2025-03-05\n  reason: Khoản thu chưa được phê duyệt.\n"
             "changes:\n  - date: 2025-03-02\n    note: Sửa số tiền.\n  - date: 2025-03-03\n    note: Sửa hạn nộp.\n")
    assert site.run("build") == 0
    old = (site.out / "thcs-a/thong-bao/cu/index.html").read_text(encoding="utf-8")
    assert 'Đã được thay thế bởi <a href="../moi/">Lịch học mới</a> (số 09/TB-THCS, ngày 01 tháng 02 năm 2025).' in old
    new = (site.out / "thcs-a/thong-bao/moi/index.html").read_text(encoding="utf-8")
    assert '<dt>Thay thế</dt><dd><ul>\n<li><a href="../cu/">Lịch học cũ</a> (số 05/TB-THCS)</li>' in new
    withdrawn = (site.out / "thcs-a/thong-bao/thu-hoi/index.html").read_text(encoding="utf-8")
    assert ("Văn bản này đã bị thu hồi ngày 05 tháng 3 năm 2025. Lý do: Khoản thu chưa được phê duyệt." in withdrawn)
    assert withdrawn.index("03/03/2025</time>: Sửa hạn nộp.") < withdrawn.index("02/03/2025</time>: Sửa số tiền.")
    listing = (site.out / "thcs-a/thong-bao/index.html").read_text(encoding="utf-8")
    current, _, gone = listing.partition("Văn bản đã thu hồi")
    assert "Thông báo thu tiền" not in current and "Thông báo thu tiền" in gone
    register = json.loads((site.out / "data/documents.json").read_text(encoding="utf-8"))
    assert {d["title"]: d["status"] for d in register["documents"]} == {
        "Lịch học cũ": "superseded", "Lịch học mới": "published", "Thông báo thu tiền": "withdrawn",
    }
