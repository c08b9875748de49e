"""Vietnamese text: normalisation, tone folding, slugs, and how dates, sizes and money read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

# Vietnam's time zone (UTC+7, no daylight saving): every date the portal stamps is a day there.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def midnight(day: date) -> datetime:
    """Return the start of `day` in Asia/Ho_Chi_Minh (+07:00)."""
    return datetime.combine(day, time(0, 0), VN_TZ)

_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Characters that may never reach XML or HTML output (C0 controls except tab/newline/CR, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the one form the portal stores and prints."""
    return unicodedata.normalize("NFC", text)


def strip_controls(text: str) -> str:
    """Return `text` without control characters that XML 1.0 and HTML forbid."""
    return _CONTROL.sub("", text)


_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def inert(text: str) -> str:
    """Return plain text that no reader can take for markup: every '<' that would open a tag
    ("<script", "</a", "<!--") becomes '‹' (U+2039). For the plain-text fields of feeds, OPML lists
    and calendars, which some readers show as text and others render as HTML; "A < B" and
    "GD&ĐT" stay as written."""
    return _TAG_OPEN.sub("\u2039", text)


# Excel and LibreOffice run a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def csv_text(value: object) -> str:
    """Return a value as a CSV cell that a spreadsheet shows as text and never runs as a formula
    (a leading apostrophe before '=', '+', '-', '@', as OWASP advises; a negative amount such as -2500
    stays a number; None is an empty cell)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _NEGATIVE_NUMBER.fullmatch(text) else text


def fold(text: str) -> str:
    """Return `text` without tone marks or diacritics, with đ/Đ as d/D ("Đào tạo" -> "Dao tao")."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def slugify(text: str) -> str:
    """Return an ASCII slug: folded, lower case, words joined by dashes ("Kế hoạch 2024" -> "ke-hoach-2024")."""
    return _NON_SLUG.sub("-", fold(text).lower()).strip("-")


def format_date_long(day: date) -> str:
    """Return the date as a Vietnamese document writes it: "ngày 24 tháng 02 năm 2023".

    Days below 10 and the months January and February take a leading zero (NĐ 30/2020).
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_date_line(place: str | None, day: date) -> str:
    """Return the place and date line of a document: "Hồng Lam, ngày 05 tháng 02 năm 2026" (NĐ 30/2020
    Phụ lục I: the place named by the local unit, then the date written in full)."""
    line = format_date_long(day)
    return f"{place}, {line}" if place else line[:1].upper() + line[1:]


def format_date(day: date) -> str:
    """Return the on-screen date form "24/02/2023"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_int(number: int) -> str:
    """Return an integer with dots between thousands: 1234567 -> "1.234.567"."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def format_amount(amount: Decimal | None) -> str:
    """Return an amount (money, an indicator) as Vietnamese readers write it: 1.234.567 or 1.234,5; "–" when empty."""
    if amount is None:
        return "–"
    whole = int(amount)
    fraction = abs(amount - whole)
    text = format_int(whole)
    if whole == 0 and amount < 0:
        text = "-0"
    if fraction:
        text += "," + format(fraction.normalize(), "f").split(".")[1]
    return text


def format_size(size: int) -> str:
    """Return a file size for readers: "812 byte", "245 KB", "1,2 MB" (decimal comma)."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def heading_slug(value: str, separator: str = "-") -> str:
    """Return the anchor id of a heading, folded to ASCII ("I. MỤC ĐÍCH" -> "i-muc-dich").

    Used by Python-Markdown's toc extension (see mkdocs.yml).
    """
    slug = slugify(value)
    return slug.replace("-", separator) if separator != "-" else slug


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", " nghìn", " triệu")


def _three(number: int, full: bool) -> str:
    """Read 0–999; `full` reads the hundreds even when zero ("không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if full or hundreds:
        words.append(f"{_DIGITS[hundreds]} trăm")
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words.append(f"{_DIGITS[tens]} mươi")
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def number_in_words(number: int) -> str:
    """Return a whole number read the way Vietnamese financial documents write it:
    2030040 -> "hai triệu không trăm ba mươi nghìn không trăm bốn mươi" (zero groups are skipped,
    the others after the first read in full, with "linh", "mốt", "tư", "lăm")."""
    if number < 0:
        return "âm " + number_in_words(-number)
    if number == 0:
        return "không"
    billions, rest = divmod(number, 1_000_000_000)
    parts = []
    if billions:
        parts.append(number_in_words(billions) + " tỷ")
    groups = [rest // 1_000_000, rest // 1000 % 1000, rest % 1000]
    for index, group in enumerate(groups):
        if group:
            parts.append(_three(group, full=bool(parts)) + _GROUPS[2 - index])
    return " ".join(parts)


def money_in_words(dong: int) -> str:
    """Return "Bằng chữ" text for an amount in đồng: "Một trăm hai mươi triệu đồng"."""
    words = number_in_words(dong)
    return words[0].upper() + words[1:] + " đồng"
