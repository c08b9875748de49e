"""Reading a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP) laid out as text: the
header (issuing body, number, place and date, type and summary), the legal basis, the body, and the
closing (Nơi nhận, signer). Pure: text in, a `Letter` out, with notes on what was missing or odd.

The input is one paragraph per line, as Word's "save as text", pandoc (--wrap=none) and most
converters write; Markdown marks (#, **, *) are tolerated everywhere.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from ..model.doctypes import OFFICIAL_LETTER, TYPES_BY_ABBREVIATION, TYPES_BY_NAME, DocType
from ..model.text import fold, nfc

__all__ = ["DocType", "OFFICIAL_LETTER", "TYPES_BY_ABBREVIATION", "TYPES_BY_NAME", "Letter", "parse"]


# Words in a title that make a decision or a report a budget disclosure.
FINANCE_WORDS = re.compile(r"\b(du toan|quyet toan|tai chinh|thu chi|thu, chi|ngan sach|tai tro|hoc phi)\b")

_ROMAN = r"[IVXL]{1,6}"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NUMBER_LINE = re.compile(r"^S[ỐốÔôO]\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^(?P<place>.*?)\s*,?\s*\bng[àa]y\b(?P<rest>.*)$", re.IGNORECASE)
_DATE_PARTS = re.compile(
    r"^\s*(?P<d>[\d.…_ ]*?)\s*th[áa]ng\s*(?P<m>[\d.…_ ]*?)\s*n[ăa]m\s*(?P<y>[\d.…_ ]*)\s*$", re.IGNORECASE
)
_AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(\S.*)$")
_SIGNED = re.compile(r"^[(\[]?\s*(đã ký|da ky|ký|ky|chữ ký|đã ký và đóng dấu)[^)\]]*[)\]]?$", re.IGNORECASE)
_BASIS_START = re.compile(r"^(Căn cứ|Thực hiện)\b")
_DOC_WORDS = (
    r"(?:Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Chỉ thị|"
    r"Kế hoạch|Công văn|Văn bản|Hướng dẫn|Thông báo|Chương trình|Đề án|Quy chế|Quy định|Công điện|Báo cáo|Tờ trình)"
)
_CITATION = re.compile(r"\d+/[\w&./-]*[A-ZĐ]")
_LAW = re.compile(r"^(Hiến pháp|Bộ luật|Luật|Pháp lệnh)\b")
_TERMINAL = (".", ";", ":", "!", "?", "./.", ".”", ".\"")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NAME_WORD = re.compile(r"^[A-ZÀ-ỸĐ][a-zà-ỹđ]*$")


@dataclass
class Note:
    """Something the reader should know about the import: `warning` needs a look, `info` does not."""

    level: str
    text: str


@dataclass
class Letter:
    """What was read from a document; None where the document does not say."""

    issuer: str | None = None
    parent: str | None = None
    number: str | None = None
    place: str | None = None
    date: date | None = None
    date_written: str | None = None
    type: DocType | None = None
    summary: str | None = None
    basis: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_authority: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    body: str = ""
    missing_number: bool = False
    missing_day: bool = False
    notes: list[Note] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        """Return the title as the portal shows it: the type and the summary ("Kế hoạch thông tin, …")."""
        if self.summary is None:
            return None
        summary = self.summary
        if self.type is None or self.type is OFFICIAL_LETTER:
            return summary
        first = summary.split(" ", 1)[0]
        if len(first) > 1 and first[1:].islower():
            summary = summary[0].lower() + summary[1:]
        return f"{self.type.name} {summary}"

    @property
    def is_draft(self) -> bool:
        """Return True when the document has no number or no day yet (not issued)."""
        return self.missing_number or self.missing_day


@dataclass
class _Line:
    text: str
    source: int  # 1-based line in the input
    gap: bool  # a blank line came before it


def clean_inline(text: str) -> str:
    """Return `text` without Markdown emphasis, heading marks and check-mark debris, spaces collapsed."""
    text = re.sub(r"^#{1,6}\s+", "", text.strip())
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    text = re.sub(r"[✓✔☑]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _segments(text: str) -> list[str]:
    """Return the pieces of a line laid out in columns (tabs, runs of spaces, table cells)."""
    stripped = text.strip()
    if stripped.startswith("|"):
        if re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
            return []
        parts = stripped.strip("|").split("|")
    else:
        parts = re.split(r"\t+|\s{3,}", stripped)
    pieces = [p for p in (clean_inline(part) for part in parts) if p]
    merged: list[str] = []
    for piece in pieces:
        # A blank number or day leaves a run of spaces inside one field: "Số:      /KH-…",
        # "Hà Nội, ngày      tháng 8 năm 2022".
        if merged and re.search(r"(^S[ốô]\s*:|\bng[àa]y|\bth[áa]ng)$", merged[-1], re.IGNORECASE) \
                and re.match(r"^([/…._\d]|th[áa]ng\b|n[ăa]m\b)", piece, re.IGNORECASE):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_motto(segment: str) -> bool:
    folded = fold(segment).lower()
    return "cong hoa xa hoi" in folded or ("doc lap" in folded and "tu do" in folded) or "hanh phuc" == folded


def _is_rule(segment: str) -> bool:
    return bool(re.fullmatch(r"[-_=~.*–—\s]{3,}", segment))


def is_debris(text: str) -> bool:
    """Return True for a line that carries no text: scanning debris ("==", "110", "PH", "ĐÀ")."""
    stripped = clean_inline(text)
    if not stripped or stripped.startswith("|") or re.fullmatch(r"-{3,}|\*{3,}", text.strip()):
        return False
    if not any(c.isalpha() for c in stripped):
        return len(stripped) <= 14 and not re.fullmatch(r"\d+\.", stripped)
    letters = re.sub(r"[\W\d_]", "", stripped)
    return len(stripped) <= 3 and letters.isupper()


def _type_of(segment: str) -> DocType | None:
    if not _is_upper(segment):
        return None
    return TYPES_BY_NAME.get(re.sub(r"\s+", " ", fold(segment).upper().rstrip(": ")))


def parse(text: str, markdown: bool = False) -> Letter:
    """Return what `text` (a whole document, one paragraph per line) says; never raises.

    `markdown`: the input is Markdown, so consecutive lines belong to one paragraph.
    """
    letter = Letter()
    lines = _lines(nfc(text))
    type_index = _find_type(lines, letter)
    header_end = _read_header(lines, type_index, letter)
    body_start = _read_summary(lines, header_end, type_index, letter)
    closing_start, appendix_start = _read_closing(lines, body_start, letter)
    body = _strip_debris(lines[body_start:closing_start], letter)
    appendix = _strip_debris(lines[appendix_start:], letter) if appendix_start is not None else []
    letter.basis = _basis(body)
    letter.body = render_body(body + appendix, markdown, letter)
    _check_year(letter)
    return letter


def _lines(text: str) -> list[_Line]:
    result: list[_Line] = []
    gap = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.replace("\u00a0", " ").rstrip()
        line = re.sub(r"\s*[✓✔☑]+", "", line)
        # Converters escape what would otherwise start a list: "\- Lưu: VT.", "1\. Mục đích".
        line = re.sub(r"^(\s*)\\([-+*#>])", r"\1\2", line)
        line = re.sub(r"^(\s*\d+)\\([.)])", r"\1\2", line)
        if not line.strip():
            gap = True
            continue
        result.append(_Line(line, number, gap))
        gap = False
    return result


def _find_type(lines: list[_Line], letter: Letter) -> int | None:
    """Return the index of the type line (KẾ HOẠCH…) among the first lines, and record the type."""
    for index, line in enumerate(lines[:40]):
        for segment in _segments(line.text):
            found = _type_of(segment)
            if found is not None:
                letter.type = found
                return index
    return None


def _read_header(lines: list[_Line], type_index: int | None, letter: Letter) -> int:
    """Read issuer, number, place and date from the lines before the type; return where the header ends."""
    limit = type_index if type_index is not None else min(len(lines), 12)
    bodies: list[str] = []
    last = -1
    for index in range(limit):
        for segment in _segments(lines[index].text):
            if _is_motto(segment) or _is_rule(segment):
                last = index
            elif letter.number is None and _NUMBER_LINE.match(segment) and ("/" in segment or ":" in segment):
                _read_number(segment, letter)
                last = index
                after = segment.split("V/v", 1)
                if len(after) == 2:
                    letter.summary = "Về việc " + after[1].strip(" .:")
            elif letter.date_written is None and _read_date(segment, letter):
                last = index
            elif re.match(r"^V/v\b", segment, re.IGNORECASE):
                letter.summary = "Về việc " + segment[3:].strip(" .:")
                last = index
            elif _is_upper(segment) and not re.match(_ROMAN + r"\.", segment) and letter.number is None \
                    and not letter.missing_number and letter.date_written is None:
                bodies.append(segment)
                last = index
    if letter.summary and letter.type is None:
        letter.type = OFFICIAL_LETTER
    if letter.type is None and letter.number:
        symbol = letter.number.split("/")[-1].split("-")[0] if "-" in letter.number else ""
        found = TYPES_BY_ABBREVIATION.get(symbol.upper())
        if found is not None:
            letter.type = found
            letter.notes.append(Note("info", f"loại văn bản lấy theo ký hiệu '{symbol}' trong số ({found.name})."))
    if bodies:
        bodies = _join_people_committee(bodies)
        letter.issuer = bodies[-1]
        letter.parent = " ".join(bodies[:-1]) or None
    return type_index if type_index is not None else last + 1


_COMMITTEE = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)$")
_LOCALITY = re.compile(r"^(XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ|TỈNH)\b")


def _join_people_committee(bodies: list[str]) -> list[str]:
    """Return the letterhead lines with a People's Committee written over two lines ("ỦY BAN NHÂN DÂN" /
    "PHƯỜNG HOA SEN") joined into one issuing body: a commune's own documents have no parent body."""
    joined: list[str] = []
    for line in bodies:
        if joined and _COMMITTEE.match(joined[-1]) and _LOCALITY.match(line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _read_number(segment: str, letter: Letter) -> None:
    rest = _NUMBER_LINE.match(segment).group("rest")  # type: ignore[union-attr]
    rest = rest.replace("*", "").replace("_", " ").strip()
    rest = re.sub(r"\s*([/-])\s*", r"\1", rest)
    token = rest.split()[0] if rest.split() else ""
    token = token.replace("…", "").lstrip(".")
    if not token or token.startswith("/"):
        letter.missing_number = True
        letter.number = token or None
        if token:
            letter.notes.append(Note("warning", f"văn bản chưa có số (dòng 'Số: {token}' để trống phần số)."))
        else:
            letter.notes.append(Note("warning", "văn bản chưa có số (dòng 'Số:' để trống)."))
        return
    letter.number = token.rstrip(".,;")


def _read_date(segment: str, letter: Letter) -> bool:
    match = _DATE_LINE.match(segment.replace("*", ""))
    if match is None:
        return False
    parts = _DATE_PARTS.match(match.group("rest"))
    if parts is None:
        return False
    place = match.group("place").strip(" ,")
    letter.place = place or None
    letter.date_written = segment.replace("*", "").strip()
    day, month, year = (re.sub(r"\D", "", parts.group(g)) for g in ("d", "m", "y"))
    if not year or len(year) != 4:
        letter.notes.append(Note("warning", f"dòng ngày tháng chưa ghi năm ('{letter.date_written}')."))
        letter.missing_day = True
        return True
    if not month or not 1 <= int(month) <= 12:
        letter.notes.append(Note("warning", f"dòng ngày tháng chưa ghi tháng ('{letter.date_written}')."))
        letter.missing_day = True
        return True
    if not day:
        letter.missing_day = True
        letter.notes.append(Note("warning", f"văn bản chưa có ngày ban hành (dòng '{letter.date_written}' để "
                                            f"trống ngày; tháng {int(month)} năm {year})."))
        return True
    last = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= last:
        letter.missing_day = True
        letter.notes.append(Note("warning", f"ngày không có thật ('{letter.date_written}': tháng {int(month)} năm "
                                            f"{year} chỉ có {last} ngày)."))
        return True
    letter.date = date(int(year), int(month), int(day))
    return True


def _read_summary(lines: list[_Line], header_end: int, type_index: int | None, letter: Letter) -> int:
    """Read the summary (trích yếu) after the type line; return where the body starts."""
    index = header_end
    if type_index is not None:
        index = type_index + 1
        summary: list[str] = []
        while index < len(lines):
            segments = _segments(lines[index].text)
            text = " ".join(segments)
            if not text or _is_rule(text):
                index += 1
                continue
            if summary and not (text[0].islower() or summary[-1].endswith(("và", "của", "về", ","))):
                break
            if _BASIS_START.match(text) or re.match(_ROMAN + r"\.\s", text):
                break
            summary.append(text)
            index += 1
            if len(summary) == 3:
                break
        if summary:
            letter.summary = re.sub(r"\s+", " ", " ".join(summary)).strip(" .")
    # An authority line in capitals between the summary and the basis ("TRƯỞNG PHÒNG GIÁO DỤC…"
    # above a decision's "Căn cứ"): part of the header, not of the body.
    while index < len(lines) and type_index is not None:
        text = clean_inline(lines[index].text)
        if _is_upper(text) and not re.match(_ROMAN + r"\.", text) and not text.startswith(("ĐIỀU", "Điều")) \
                and len(text) < 120 and index + 1 < len(lines) and _BASIS_START.match(clean_inline(lines[index + 1].text)):
            letter.notes.append(Note("info", f"dòng thẩm quyền ban hành '{text}' không đưa vào nội dung."))
            index += 1
            continue
        break
    return index


def _noi_nhan(segment: str) -> str | None:
    """Return what follows "Nơi nhận:" in a segment, or None when it is not that label."""
    match = re.match(r"^n[ơo]i\s+nh[ậa]n\s*:?\s*(.*)$", fold(segment), re.IGNORECASE)
    if match is None:
        return None
    return segment[len(segment) - len(match.group(1)):] if match.group(1) else ""


def _signer_like(segment: str) -> bool:
    return bool(_AUTHORITY.match(segment)) or (_is_upper(segment) and len(segment) <= 70 and not is_debris(segment))


def _is_name(segment: str) -> bool:
    words = segment.split()
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words)


def _read_closing(lines: list[_Line], body_start: int, letter: Letter) -> tuple[int, int | None]:
    """Read Nơi nhận and the signer; return where the body ends and where an appendix starts."""
    start = None
    for index in range(len(lines) - 1, body_start - 1, -1):
        segments = _segments(lines[index].text)
        if segments and _noi_nhan(segments[0]) is not None:
            start = index
            break
    if start is None:
        start = _signature_start(lines, body_start)
    if start is None:
        letter.notes.append(Note("warning", "không tìm thấy phần 'Nơi nhận' và chữ ký ở cuối văn bản."))
        return len(lines), None
    start = _signature_above(lines, start, body_start)
    in_recipients = False
    for index in range(start, len(lines)):
        for segment in _segments(lines[index].text):
            rest = _noi_nhan(segment)
            if rest is not None:
                in_recipients = True
                if rest.strip():
                    _add_recipient(rest, letter)
                continue
            if is_debris(segment) or _SIGNED.match(segment):
                continue
            if in_recipients and re.match(r"^([-+•–]\s*|Lưu\b|Như trên\b)", segment):
                _add_recipient(segment, letter)
                continue
            if letter.signer_name is not None:
                return start, index
            if _AUTHORITY.match(segment):
                authority = re.sub(r"^(\w+)\s*\.\s*", r"\1. ", segment)
                letter.signer_authority = (letter.signer_authority + ", " + authority
                                           if letter.signer_authority else authority)
            elif _is_name(segment):
                letter.signer_name = segment
            elif _signer_like(segment):
                letter.signer_title = segment if letter.signer_title is None else letter.signer_title + " " + segment
            elif in_recipients and letter.signer_title is None and letter.signer_authority is None:
                _add_recipient(segment, letter)
    return start, None


def _signature_above(lines: list[_Line], start: int, body_start: int) -> int:
    """Return where the closing starts when the signature stands just above "Nơi nhận"."""
    index = start - 1
    while index > body_start and (is_debris(lines[index].text) or _SIGNED.match(clean_inline(lines[index].text))):
        index -= 1
    if index <= body_start or not _is_name(clean_inline(lines[index].text)):
        return start
    top = None
    for back in range(index - 1, max(body_start, index - 6) - 1, -1):
        text = clean_inline(lines[back].text)
        if _SIGNED.match(text) or is_debris(text):
            continue
        if _signer_like(text):
            top = back
            continue
        break
    return top if top is not None else start


def _signature_start(lines: list[_Line], body_start: int) -> int | None:
    """Return where a signature without "Nơi nhận" starts: the capitals above the signer's name."""
    index = len(lines) - 1
    while index > body_start and is_debris(lines[index].text):
        index -= 1
    if index <= body_start or not _is_name(clean_inline(lines[index].text)):
        return None
    start = None
    for back in range(index - 1, max(body_start, index - 6) - 1, -1):
        text = clean_inline(lines[back].text)
        if _SIGNED.match(text) or is_debris(text):
            continue
        if _signer_like(text):
            start = back
            continue
        break
    return start


def _add_recipient(segment: str, letter: Letter) -> None:
    item = re.sub(r"^[-+•–]\s*", "", segment).strip().rstrip(";,").strip()
    if item:
        letter.recipients.append(item)


def _strip_debris(lines: list[_Line], letter: Letter) -> list[_Line]:
    kept, dropped = [], []
    for line in lines:
        if is_debris(line.text):
            dropped.append(line)
        else:
            kept.append(line)
    if dropped:
        shown = ", ".join(f"'{clean_inline(line.text)}'" for line in dropped[:6]) + (", …" if len(dropped) > 6 else "")
        where = ", ".join(str(line.source) for line in dropped[:6]) + (", …" if len(dropped) > 6 else "")
        letter.notes.append(Note("warning", f"đã bỏ {len(dropped)} dòng nghi là chữ rác do quét (OCR) hay con dấu "
                                            f"(dòng {where}: {shown}). Sửa: đối chiếu với bản giấy."))
    return kept


def _basis(body: list[_Line]) -> list[str]:
    """Return the documents cited by the "Căn cứ …"/"Thực hiện …" paragraphs at the top of the body."""
    found: list[str] = []
    for line in body:
        text = clean_inline(line.text)
        if _MD_HEADING.match(line.text) or re.match(_ROMAN + r"\.\s", text) or text.startswith("-"):
            break
        if not _BASIS_START.match(text):
            if found:
                break
            continue
        sentences = re.split(r"(?<=\.)\s+(?=(?:Căn cứ|Thực hiện)\b)", text)
        if sentences:
            sentences[-1] = _without_main_clause(sentences[-1])
        for sentence in sentences:
            for item in _split_outside_quotes(sentence):
                item = re.sub(r"^(?:Căn cứ|Thực hiện|Theo|và)\s+", "", item.strip()).strip(" .;,:")
                if item and (_CITATION.search(item) or _LAW.match(item)) and re.match(_DOC_WORDS, item):
                    found.append(item)
    return found


def _without_main_clause(sentence: str) -> str:
    """Return the sentence without its main clause (", Phòng … xây dựng kế hoạch như sau:")."""
    for match in re.finditer(r"[,;]\s+(?=[A-ZĐÀ-Ỹ]|(?:nhà trường|trường|phòng|đơn vị|trung tâm|chúng tôi)\b)", sentence):
        if not _CITATION.search(sentence[match.end():]):
            return sentence[: match.start()]
    return sentence


def _split_outside_quotes(text: str) -> list[str]:
    parts, current, depth = [], [], 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "“(":
            depth += 1
        elif char in "”)" and depth:
            depth -= 1
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    split: list[str] = []
    for part in parts:
        split.extend(re.split(r"\s+và\s+(?=" + _DOC_WORDS + r"\s+(?:số\s+)?\d)", part))
    return split


def _heading(text: str, was_heading: bool) -> str | None:
    """Return the Markdown heading for a numbered section line, or None when it is not one."""
    plain = clean_inline(text).rstrip(":").strip()
    roman = re.match(r"^(" + _ROMAN + r")\s*[.)]\s+(.+)$", plain)
    if roman and (was_heading or _is_upper(roman.group(2))):
        return f"## {roman.group(1)}. {roman.group(2)}"
    sub = re.match(r"^(\d{1,2}\.\d{1,2})\.?\s+(.+)$", plain)
    if sub and (was_heading or (len(plain) <= 200 and not plain.endswith((".", ";", ",")))):
        return f"#### {sub.group(1)}. {sub.group(2)}"
    arabic = re.match(r"^(\d{1,2})\.\s+(.+)$", plain)
    if arabic and (was_heading or (len(plain) <= 120 and not clean_inline(text).endswith((".", ";", ","))
                                   and arabic.group(2)[0].isupper())):
        return f"### {arabic.group(1)}. {arabic.group(2)}"
    if was_heading:
        return f"## {plain}"
    return None


def _kind(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("|"):
        return "row"
    if stripped.startswith("<"):
        return "html"
    if re.match(r"^([-*+•–]|\d+[.)])\s", stripped):
        return "item"
    return "para"


def render_body(lines: list[_Line], markdown: bool, letter: Letter | None = None) -> str:
    """Return the body as clean Markdown: numbered sections as headings (## I., ### 1., #### 1.1.),
    list marks unified, paragraphs split by a page break joined again."""
    blocks: list[tuple[str, str, bool]] = []  # (kind, text, gap before)
    joined = 0
    for line in lines:
        text = line.text.rstrip()
        md = _MD_HEADING.match(text.strip())
        heading = _heading(md.group(2) if md else text, was_heading=md is not None)
        if heading:
            blocks.append(("heading", heading, True))
            continue
        text = re.sub(r"^(\s*)[+•–]\s+", r"\1- ", text)
        text = re.sub(r"^-(?=[A-ZĐÀ-Ỹa-zđ])", "- ", text)
        kind = _kind(text)
        if blocks and kind == "para" and text.strip()[:1].islower():
            prev_kind, prev_text, prev_gap = blocks[-1]
            if prev_kind in ("para", "item") and not prev_text.rstrip().endswith(_TERMINAL):
                blocks[-1] = (prev_kind, prev_text.rstrip() + " " + text.strip(), prev_gap)
                joined += 1
                continue
        blocks.append((kind, text if kind in ("row", "html") else text.strip(), line.gap))
    if joined and letter is not None:
        letter.notes.append(Note("info", f"đã nối {joined} đoạn bị ngắt giữa câu (do ngắt trang hay con dấu)."))
    out: list[str] = []
    for index, (kind, text, gap) in enumerate(blocks):
        if index:
            prev_kind = blocks[index - 1][0]
            tight = (kind == prev_kind == "row") or (kind == prev_kind == "html") \
                or (kind == prev_kind == "item" and not gap) or (markdown and kind == prev_kind == "para" and not gap)
            out.append("\n" if tight else "\n\n")
        out.append(text)
    return "".join(out).strip() + "\n" if out else ""


def _check_year(letter: Letter) -> None:
    if letter.date is None or not letter.summary:
        return
    ranges = [(int(a), int(b)) for a, b in _YEAR_RANGE.findall(letter.summary)]
    years = [int(y) for y in _YEAR.findall(_YEAR_RANGE.sub(" ", letter.summary))]
    spans = ranges + [(y, y) for y in years]
    if spans and not any(a <= letter.date.year <= b for a, b in spans):
        mentioned = ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)
        letter.notes.append(Note(
            "warning",
            f"ngày ban hành {letter.date.strftime('%d/%m/%Y')} không cùng năm với tiêu đề ({mentioned}). Sửa: đối "
            "chiếu dòng ngày tháng với bản giấy; nếu văn bản ban hành trước năm nó nói tới thì bỏ qua cảnh báo này.",
        ))
