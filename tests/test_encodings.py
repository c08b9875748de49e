"""Text hygiene on every input: NFC, legacy Vietnamese encodings recognised, invalid UTF-8 located."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import Site

from congkhai.model import encodings
from congkhai.model.encodings import InputEncodingError, Legacy, decode

PLAN = "Kế hoạch cải cách hành chính năm 2026 của Trường Trung học cơ sở Sao Mai"
FRONT = f"---\ntitle: {PLAN}\ndate: 2026-02-03\nnumber: 08/KH-THCSSM\n---\n"
BODY = "Thực hiện Kế hoạch của Ủy ban nhân dân xã Bến Đò, nhà trường xây dựng kế hoạch như sau.\n"

_TCVN3 = {letter: bytes([code]) for code, letter in encodings._TCVN3_BYTES.items()}


def to_tcvn3(text: str) -> bytes:
    """Encode as a .VnTime document would be saved: capitals with tone marks use the small letters' codes."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        if char in _TCVN3:
            out += _TCVN3[char]
        elif not char.isascii() and char.lower() in _TCVN3:
            out += _TCVN3[char.lower()]
        else:
            out += char.encode("cp1252", errors="replace")
    return out


def to_cp1258(text: str) -> bytes:
    """Encode in Windows-1258: base letters precomposed where the code page has them, tones combining."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out


# Known readings, independent of the module's tables.
@pytest.mark.parametrize("raw, text", [
    (b"K\xd5 ho\xb9ch", "Kế hoạch"),
    (b"B\xb6o Th\xbeng", "Bảo Thắng"),
    (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),
    (b"\xa7\xb5o t\xb9o", "Đào tạo"),
    ("KÕ HO¹CH".encode("latin-1"), "KẾ HOẠCH"),
])
def test_tcvn3_readings(raw: bytes, text: str) -> None:
    assert encodings.from_tcvn3(raw.decode("latin-1")) == text


@pytest.mark.parametrize("written, text", [
    ("Keá hoaïch", "Kế hoạch"),
    ("Tröôøng hoïc", "Trường học"),
    ("Ñaøo taïo", "Đào tạo"),
    ("KEÁ HOAÏCH", "KẾ HOẠCH"),
    ("caûi caùch haønh chính naêm", "cải cách hành chính năm"),
])
def test_vni_readings(written: str, text: str) -> None:
    assert encodings.from_vni(written) == text


def test_nfd_text_is_stored_in_nfc(site: Site) -> None:
    site.standard_units()
    path = site.doc("thcs-a", "ke-hoach", "ke-hoach-cchc-2026", "")
    path.write_bytes(unicodedata.normalize("NFD", FRONT + BODY).encode("utf-8"))
    assert unicodedata.normalize("NFD", PLAN) != PLAN
    result = site.validate()
    assert result.problems.sorted() == []
    doc = result.portal.documents[0]
    assert doc.title == PLAN and unicodedata.is_normalized("NFC", doc.rendered.html)


def test_nfd_unit_file_is_read_in_nfc(site: Site) -> None:
    site.standard_units()
    site.raw("units/thcs-a.yml", unicodedata.normalize("NFD", "code: thcs-a\nname: Trường Trung học cơ sở Sao Mai\n"
                                                             "kind: thcs\nparent: so-gd\n").encode("utf-8"))
    result = site.validate()
    assert result.portal.units["thcs-a"].name == "Trường Trung học cơ sở Sao Mai"


def test_tcvn3_document_is_refused_with_the_encoding_and_the_fix(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md", to_tcvn3(FRONT + BODY))
    assert site.messages() == [
        "Lỗi: content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md, dòng 2: tệp không phải UTF-8: văn bản gõ bằng bảng mã "
        "TCVN3 (ABC), phông chữ .VnTime, .VnArial…, không phải Unicode: 'KÕ' (đọc theo TCVN3 là 'Kế'). Sửa: mở Unikey, "
        "chọn Công cụ (Ctrl+Shift+F6), Bảng mã nguồn: TCVN3 (ABC), Bảng mã đích: Unicode, bấm Chuyển mã, rồi lưu tệp "
        "lại với bảng mã UTF-8; hoặc chạy 'python build.py import <tệp> --unit <mã đơn vị>' để công cụ chuyển mã rồi "
        "đọc lại bản chuyển."
    ]


def test_vni_unit_file_is_refused_with_the_encoding_and_the_fix(site: Site) -> None:
    site.standard_units()
    site.content.mkdir()
    site.raw("units/thcs-a.yml", "code: thcs-a\nname: Tröôøng Trung hoïc cô sôû Sao Mai\nkind: thcs\n"
                                 "parent: so-gd\n".encode("latin-1"))
    assert site.messages() == [
        "Lỗi: units/thcs-a.yml, dòng 2: tệp không phải UTF-8: văn bản gõ bằng bảng mã VNI Windows, phông chữ "
        "VNI-Times, VNI-Helve…, không phải Unicode: 'Tröôøng' (đọc theo VNI là 'Trường'). Sửa: mở Unikey, chọn Công cụ "
        "(Ctrl+Shift+F6), Bảng mã nguồn: VNI Windows, Bảng mã đích: Unicode, bấm Chuyển mã, rồi lưu tệp lại với bảng "
        "mã UTF-8; hoặc chạy 'python build.py import <tệp> --unit <mã đơn vị>' để công cụ chuyển mã rồi đọc lại bản "
        "chuyển.",
    ]


def test_text_typed_in_a_legacy_font_but_saved_as_utf8_is_refused(site: Site) -> None:
    site.standard_units()
    mojibake = to_tcvn3(FRONT + BODY).decode("latin-1")
    site.raw("content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md", mojibake.encode("utf-8"))
    assert site.messages() == [
        "Lỗi: content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md, dòng 2: văn bản gõ bằng bảng mã TCVN3 (ABC), phông chữ "
        ".VnTime, .VnArial…, không phải Unicode: 'ho¹ch' (đọc theo TCVN3 là 'hoạch'). Sửa: mở Unikey, chọn Công cụ "
        "(Ctrl+Shift+F6), Bảng mã nguồn: TCVN3 (ABC), Bảng mã đích: Unicode, bấm Chuyển mã, rồi lưu tệp lại với bảng "
        "mã UTF-8; hoặc chạy 'python build.py import <tệp> --unit <mã đơn vị>' để công cụ chuyển mã rồi đọc lại bản "
        "chuyển."
    ]


def test_windows_1258_is_converted_with_a_warning(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md", to_cp1258(FRONT + BODY))
    result = site.validate()
    assert [p.render() for p in result.problems.sorted()] == [
        "Cảnh báo: content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md: tệp được lưu bằng bảng mã Windows-1258 "
        "(Vietnamese); công cụ đã chuyển sang Unicode. Sửa: lưu lại tệp với bảng mã UTF-8."
    ]
    assert result.portal.documents[0].title == PLAN


def test_utf16_with_bom_is_read_with_a_warning(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md", (FRONT + BODY).encode("utf-16"))
    result = site.validate()
    assert [p.render() for p in result.problems.sorted()] == [
        "Cảnh báo: content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md: tệp được lưu bằng bảng mã UTF-16; công cụ đã tự "
        "đọc đúng. Sửa: lưu lại tệp với bảng mã UTF-8 để khỏi nhận cảnh báo này."
    ]
    assert result.portal.documents[0].title == PLAN


def test_invalid_utf8_names_its_line(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md", (FRONT + BODY).encode("utf-8") + b"\n\nD\xff\xfeng 9\n")
    assert site.messages() == [
        "Lỗi: content/thcs-a/ke-hoach/ke-hoach-cchc-2026.md, dòng 9: tệp không phải văn bản UTF-8 (byte 0xff không "
        "hợp lệ). Sửa: mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8 (Unicode); nếu văn bản gõ bằng phông "
        "TCVN3 hoặc VNI, hãy chuyển mã sang Unicode (ví dụ bằng Unikey) trước khi lưu."
    ]


def test_import_side_converts_vni_bytes() -> None:
    decoded = decode("Keá hoaïch tuyeân truyeàn caûi caùch haønh chính".encode("latin-1"), convert_fonts=True)
    assert decoded.text == "Kế hoạch tuyên truyền cải cách hành chính"
    assert decoded.converted_from is Legacy.VNI


def test_real_vietnamese_with_symbols_is_not_mistaken_for_a_legacy_font() -> None:
    text = "Diện tích 1.200 m² – “Kỷ cương” • 100% ✓ § 3 … Đào tạo № 5\n"
    assert decode(text.encode("utf-8")).text == text
    with pytest.raises(InputEncodingError):
        decode(b"\x81\x8d\x8f\x90 abc")
