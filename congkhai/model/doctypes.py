"""The types of administrative document (Nghị định 30/2020/NĐ-CP Điều 7, text) and the abbreviations
written in their numbers (Phụ lục III; secondary: every source read agrees), e.g. "Số: 12/BC-THCSHS"
is a Báo cáo."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class DocType:
    """A type of administrative document: its name, abbreviation and the portal kind it becomes."""

    name: str
    abbreviation: str
    kind: str

    @property
    def heading(self) -> str:
        """Return the type name as the document prints it, in capitals ("BÁO CÁO")."""
        return self.name.upper()


_TYPES = [
    DocType("Nghị quyết", "NQ", "thong-bao"), DocType("Quyết định", "QĐ", "thong-bao"),
    DocType("Chỉ thị", "CT", "thong-bao"), DocType("Quy chế", "QC", "thong-bao"),
    DocType("Quy định", "QyĐ", "thong-bao"), DocType("Thông cáo", "TC", "thong-bao"),
    DocType("Thông báo", "TB", "thong-bao"), DocType("Hướng dẫn", "HD", "thong-bao"),
    DocType("Chương trình", "CTr", "ke-hoach"), DocType("Kế hoạch", "KH", "ke-hoach"),
    DocType("Phương án", "PA", "ke-hoach"), DocType("Đề án", "ĐA", "ke-hoach"),
    DocType("Dự án", "DA", "ke-hoach"), DocType("Báo cáo", "BC", "thong-bao"),
    DocType("Biên bản", "BB", "thong-bao"), DocType("Tờ trình", "TTr", "thong-bao"),
    DocType("Hợp đồng", "HĐ", "thong-bao"), DocType("Công điện", "CĐ", "thong-bao"),
    DocType("Giấy ủy quyền", "GUQ", "thong-bao"), DocType("Giấy mời", "GM", "thong-bao"),
    DocType("Giấy giới thiệu", "GGT", "thong-bao"), DocType("Phiếu gửi", "PG", "thong-bao"),
    DocType("Phiếu chuyển", "PC", "thong-bao"), DocType("Phiếu báo", "PB", "thong-bao"),
    DocType("Bản ghi nhớ", "GN", "thong-bao"), DocType("Bản thỏa thuận", "TTh", "thong-bao"),
    DocType("Giấy nghỉ phép", "NP", "thong-bao"),
]
TYPES_BY_NAME = {fold(t.name).upper(): t for t in _TYPES}
TYPES_BY_ABBREVIATION = {t.abbreviation.upper(): t for t in _TYPES} | {
    # disputed between sources (DOMAIN.md): both spellings accepted
    "BGN": TYPES_BY_NAME["BAN GHI NHO"], "BTT": TYPES_BY_NAME["BAN THOA THUAN"],
    "GNP": TYPES_BY_NAME["GIAY NGHI PHEP"],
}
# A công văn has no type abbreviation in its number ("1234/UBND-VP") and a "V/v …" summary.
OFFICIAL_LETTER = DocType("Công văn", "", "thong-bao")
_LEADING = sorted(_TYPES, key=lambda t: -len(t.name))


def type_of_number(number: str | None) -> DocType | None:
    """Return the type a number's symbol names ("12/BC-THCSHS" → Báo cáo), OFFICIAL_LETTER when the
    symbol names no type (a công văn), or None when there is no symbol to read."""
    if not number or "/" not in number:
        return None
    symbol = number.rsplit("/", 1)[-1]
    if "-" not in symbol:
        return None
    return TYPES_BY_ABBREVIATION.get(symbol.split("-", 1)[0].upper(), OFFICIAL_LETTER)


def type_of_title(title: str) -> DocType | None:
    """Return the type a title starts with ("Báo cáo tình hình …" → Báo cáo), or None."""
    folded = fold(title).upper()
    for doc_type in _LEADING:
        name = fold(doc_type.name).upper()
        if folded == name or re.match(re.escape(name) + r"\b", folded):
            return doc_type
    return None
