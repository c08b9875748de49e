"""Text encodings of Vietnamese input: UTF-8 (the only one the portal stores), and the legacy ones
old files still arrive in — the font encodings TCVN3 (ABC, fonts ".VnTime") and VNI ("VNI-Times"),
and the code page Windows-1258.

A legacy encoding is recognised by decoding with each candidate and keeping the one whose words are
all well-formed Vietnamese syllables (at most one tone mark, only Vietnamese letters). Code pages
(UTF-16 with a byte-order mark, Windows-1258) convert exactly and are converted. The font
encodings are not: TCVN3 has no capital letters with tone marks (capitals were drawn by a second
font), and both are often mixed with Unicode by copy and paste, so the loader refuses them with the
fix, and `import` converts them for a person to proofread.
"""

from __future__ import annotations

import codecs
import enum
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_BASES = "aăâeêioôơuưy"


def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for base in _BASES:
        for tone in ("", *_TONES):
            letters.add(unicodedata.normalize("NFC", base + tone))
    return frozenset(letters | {c.upper() for c in letters})


VIETNAMESE_LETTERS = _vietnamese_letters()
# Punctuation a Vietnamese document really uses beyond ASCII.
# (Not "×", "÷", "·", "§", "«", "»", "¹"…: those are letters in TCVN3.)
_ALLOWED_SYMBOLS = set("\u00a0“”‘’–—…•°№±€²³‰→←≥≤≈≠‹›✓✔☑\u200b\ufeff")
_WORD = re.compile(r"[^\W\d_]+")
codecs.register_error("congkhai-latin1", lambda exc: (exc.object[exc.start:exc.end].decode("latin-1"), exc.end))


def _as_read_by_windows(raw: bytes) -> str:
    """Return bytes as a Windows-era legacy file's characters: Windows-1252 (dashes, quotes), Latin-1 elsewhere."""
    return raw.decode("cp1252", errors="congkhai-latin1")


class Legacy(enum.Enum):
    """A legacy encoding, with the name people know it by and where it comes from."""

    TCVN3 = ("TCVN3", "bảng mã TCVN3 (ABC), phông chữ .VnTime, .VnArial…")
    VNI = ("VNI", "bảng mã VNI Windows, phông chữ VNI-Times, VNI-Helve…")
    CP1258 = ("Windows-1258", "bảng mã Windows-1258 (Vietnamese)")

    def __init__(self, short: str, described: str) -> None:
        self.short = short
        self.described = described


# TCVN3 (TCVN 5712:1993, VN3): one byte per letter; capitals only for Ă Â Ê Ô Ơ Ư Đ.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_CHARS = {chr(code): letter for code, letter in _TCVN3_BYTES.items()}

# VNI Windows: a base letter followed by a mark character (both case-specific), plus a few
# letters of their own. Written here as the marks' Latin-1 characters.
_VNI_TONE = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ñ": "đ", "ô": "ơ", "ö": "ư", "î": "ỵ"}
_VNI_MARKS = "".join(sorted(set(_VNI_TONE) | set(_VNI_HAT) | set(_VNI_BREVE)))
_VNI_PATTERN = re.compile(
    "([aeouyAEOUYôöÔÖ])([" + re.escape(_VNI_MARKS + _VNI_MARKS.upper()) + "])|(["
    + re.escape("".join(_VNI_SINGLE) + "".join(_VNI_SINGLE).upper()) + "])"
)


def _vni_letter(char: str) -> str:
    letter = _VNI_SINGLE.get(char.lower(), char)
    return letter.upper() if char.isupper() else letter


def _vni_match(match: re.Match[str]) -> str:
    if match.group(3):
        return _vni_letter(match.group(3))
    base, mark = match.group(1), match.group(2)
    low_base, low_mark = base.lower(), mark.lower()
    if low_base in "ôö":
        if low_mark not in _VNI_TONE:
            return _vni_letter(base) + _vni_letter(mark)
        combined = _VNI_SINGLE[low_base] + _VNI_TONE[low_mark]
    elif low_mark in _VNI_TONE:
        combined = low_base + _VNI_TONE[low_mark]
    elif low_mark in _VNI_HAT and low_base in "aeo":
        combined = low_base + "\u0302" + _VNI_HAT[low_mark]
    elif low_mark in _VNI_BREVE and low_base == "a":
        combined = "a\u0306" + _VNI_BREVE[low_mark]
    else:
        return base + _vni_letter(mark)
    combined = unicodedata.normalize("NFC", combined)
    return combined.upper() if base.isupper() else combined


def from_vni(text: str) -> str:
    """Return `text` (VNI bytes read as Latin-1 characters) in Unicode NFC ("Keá hoaïch" -> "Kế hoạch")."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(_vni_match, text))


_TCVN3_CAPITALS = {chr(code) for code in range(0xA1, 0xA8)}


def from_tcvn3(text: str) -> str:
    """Return `text` (TCVN3 bytes read as Latin-1 characters) in Unicode NFC.

    TCVN3 has no capitals with tone marks: they were drawn by a second font ("….VnTimeH") with the
    small letters' codes. A word whose other letters are capitals is therefore put in capitals
    ("KÕ HO¹CH" -> "KẾ HOẠCH"), and so is a one-capital word next to such a word; "KÕ ho¹ch" stays
    "Kế hoạch".
    """
    lines = []
    for line in text.split("\n"):
        tokens = re.split(r"(\s+)", line)
        capitals = [_capital_evidence(token) for token in tokens]
        words = []
        for index, token in enumerate(tokens):
            converted = "".join(_TCVN3_CHARS.get(c, c) for c in token)
            evidence = capitals[index]
            near = [capitals[j] for j in (index - 2, index + 2) if 0 <= j < len(tokens)]
            if evidence >= 2 or (evidence == 1 and any(n >= 2 for n in near)):
                converted = converted.upper()
            words.append(converted)
        lines.append("".join(words))
    return unicodedata.normalize("NFC", "\n".join(lines))


def _capital_evidence(token: str) -> int:
    """Return how many letters of a TCVN3 token are surely capitals (-1 when one is surely small)."""
    if any(c.isascii() and c.islower() for c in token):
        return -1
    return sum(1 for c in token if (c.isascii() and c.isupper()) or c in _TCVN3_CAPITALS)


@dataclass(frozen=True)
class Plausibility:
    """How Vietnamese a text looks: words with non-ASCII letters that are / are not well formed."""

    good: int
    bad: int
    first_bad: str | None = None

    @property
    def clean(self) -> bool:
        """Return True when every non-ASCII word is a well-formed Vietnamese syllable."""
        return self.bad == 0


def plausibility(text: str) -> Plausibility:
    """Return how many non-ASCII words of `text` are (not) well-formed Vietnamese syllables."""
    good = bad = 0
    first_bad = None
    for token in unicodedata.normalize("NFC", text).split():
        if token.isascii():
            continue
        verdict = _verdict(token)
        if verdict > 0:
            good += 1
        elif verdict < 0:
            bad += 1
            first_bad = first_bad or token
    return Plausibility(good, bad, first_bad)


@functools.lru_cache(maxsize=65536)
def _verdict(token: str) -> int:
    """Return 1 for a Vietnamese word, -1 for a malformed one, 0 for one that says nothing (PGDĐT)."""
    words = ["".join(c for c in word if c.isalpha()) for word in _WORD.findall(token)]
    odd = [c for c in token if not c.isascii() and not c.isalpha() and c not in _ALLOWED_SYMBOLS]
    # Words whose only non-ASCII letter is Đ/đ are left out: abbreviations such as PGDĐT, HĐND.
    checked = [w for w in words if not w.replace("Đ", "D").replace("đ", "d").isascii()]
    if odd or any(not _syllable(w) for w in checked):
        return -1
    return 1 if checked else 0


_INITIALS = sorted(("b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
                    "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"), key=len, reverse=True)
_FINALS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "k"))
_NUCLEI = frozenset((
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "iêu yêu oai oay oeo uây uôi uya uyê uyu ươi ươu"
).split())
_VOWELS = frozenset("aăâeêioôơuưy")


def _syllable(word: str) -> bool:
    """Return True when `word` has the shape of a Vietnamese syllable: an initial consonant, a vowel
    cluster that exists, a final consonant that exists, and at most one tone mark."""
    if len(word) > 7 or any(c not in VIETNAMESE_LETTERS for c in word):
        return False
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in parts if c in _TONES) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    initial = next((i for i in _INITIALS if bare.startswith(i)), "")
    rest = bare[len(initial):]
    if initial == "gi" and (not rest or rest[0] not in _VOWELS):
        rest = "i" + rest  # "gì", "gìn": g + i
    index = 0
    while index < len(rest) and rest[index] in _VOWELS:
        index += 1
    return rest[:index] in _NUCLEI and rest[index:] in _FINALS


@dataclass(frozen=True)
class Guess:
    """A legacy encoding recognised in some input, and the text it decodes to."""

    legacy: Legacy
    text: str


def _candidates_for_bytes(raw: bytes) -> list[tuple[Legacy, str]]:
    latin = _as_read_by_windows(raw)
    found = [(Legacy.TCVN3, from_tcvn3(latin)), (Legacy.VNI, from_vni(latin))]
    try:
        found.append((Legacy.CP1258, unicodedata.normalize("NFC", raw.decode("cp1258"))))
    except UnicodeDecodeError:
        pass
    return found


def guess_bytes(raw: bytes) -> Guess | None:
    """Return the legacy encoding of bytes that are not UTF-8, when exactly one candidate gives
    clean Vietnamese (at least three Vietnamese words and no malformed one); None otherwise."""
    clean = []
    for legacy, text in _candidates_for_bytes(raw):
        score = plausibility(text)
        if score.clean and score.good >= 3:
            clean.append((score.good, legacy, text))
    if len(clean) != 1:
        # Two clean readings (possible for very short texts): prefer the one with more words only
        # when it is clearly ahead.
        if len(clean) < 2:
            return None
        clean.sort(key=lambda item: item[0], reverse=True)
        if clean[0][0] < 2 * clean[1][0]:
            return None
    _, legacy, text = clean[0]
    return Guess(legacy, text)


def guess_text(text: str) -> Guess | None:
    """Return the font encoding (TCVN3 or VNI) of Unicode text that was typed in a legacy font and
    copied as its raw codes ("KÕ ho¹ch", "Keá hoaïch"); None when the text looks like Vietnamese."""
    before = plausibility(text)
    if before.bad < 2:
        return None
    best: Guess | None = None
    best_bad = before.bad
    for legacy, convert in ((Legacy.TCVN3, from_tcvn3), (Legacy.VNI, from_vni)):
        converted = convert_lines(text, convert)
        after = plausibility(converted)
        if after.bad * 5 <= before.bad and after.good >= 3 and after.bad < best_bad:
            best, best_bad = Guess(legacy, converted), after.bad
    return best


def convert_lines(text: str, convert: Callable[[str], str]) -> str:
    """Return `text` with `convert` applied to the lines that do not read as Vietnamese (lines
    already in Unicode are left alone)."""
    out = []
    for line in text.split("\n"):
        out.append(convert(line) if not plausibility(line).clean else line)
    return "\n".join(out)


def converter(legacy: Legacy) -> Callable[[str], str]:
    """Return the function that converts Latin-1-read text of `legacy` to Unicode."""
    if legacy is Legacy.TCVN3:
        return from_tcvn3
    if legacy is Legacy.VNI:
        return from_vni
    return lambda text: unicodedata.normalize("NFC", text.encode("latin-1", "replace").decode("cp1258", "replace"))


def first_line_of(text: str, token: str | None) -> int | None:
    """Return the 1-based line of `text` where `token` first appears."""
    if not token:
        return None
    index = text.find(token)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


class InputEncodingError(Exception):
    """Input that cannot be read as Vietnamese text: where, what and how to fix it (Vietnamese)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Decoded:
    """Text read from bytes, with what had to be done to it (Vietnamese notes, one per fix)."""

    text: str
    converted_from: Legacy | str | None = None
    notes: list[str] = field(default_factory=list)


UNIKEY_FIX = (
    "Sửa: mở Unikey, chọn Công cụ (Ctrl+Shift+F6), Bảng mã nguồn: {source}, Bảng mã đích: Unicode, "
    "bấm Chuyển mã, rồi lưu tệp lại với bảng mã UTF-8; hoặc chạy 'python build.py import <tệp> --unit <mã đơn vị>' "
    "để công cụ chuyển mã rồi đọc lại bản chuyển."
)
_UNIKEY_NAMES = {Legacy.TCVN3: "TCVN3 (ABC)", Legacy.VNI: "VNI Windows", Legacy.CP1258: "Vietnamese locale CP 1258"}


def refusal(legacy: Legacy, sample: str | None, converted: str | None) -> str:
    """Return the message that refuses text in a legacy font encoding."""
    what = f"văn bản gõ bằng {legacy.described}, không phải Unicode"
    if sample:
        what += f": '{sample}'"
        if converted:
            what += f" (đọc theo {legacy.short} là '{converted}')"
    return what + ". " + UNIKEY_FIX.format(source=_UNIKEY_NAMES[legacy])


def decode(raw: bytes, convert_fonts: bool = False) -> Decoded:
    """Return the text of `raw` in NFC with "\\n" line ends; raises InputEncodingError.

    UTF-8 (with or without BOM) is read as is; UTF-16 with a BOM and Windows-1258 are converted
    (with a note). TCVN3 and VNI — as bytes, or as Unicode text typed in those fonts — are refused
    unless `convert_fonts` (the importer), which converts them with a note to proofread.
    """
    notes: list[str] = []
    converted_from: Legacy | str | None = None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputEncodingError(None, "tệp UTF-16 bị hỏng (" + str(exc.reason) + "). Sửa: mở tệp và lưu lại "
                                     "với bảng mã UTF-8.") from None
        converted_from = "UTF-16"
        notes.append("tệp được lưu bằng bảng mã UTF-16; công cụ đã tự đọc đúng. Sửa: lưu lại tệp với bảng mã "
                     "UTF-8 để khỏi nhận cảnh báo này.")
    else:
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            guess = guess_bytes(raw)
            if guess is None:
                raise InputEncodingError(
                    line,
                    "tệp không phải văn bản UTF-8 (byte "
                    f"0x{raw[exc.start]:02x} không hợp lệ). Sửa: mở tệp bằng trình soạn thảo và lưu lại "
                    "với bảng mã UTF-8 (Unicode); nếu văn bản gõ bằng phông TCVN3 hoặc VNI, hãy chuyển mã "
                    "sang Unicode (ví dụ bằng Unikey) trước khi lưu.",
                ) from None
            if guess.legacy is not Legacy.CP1258 and not convert_fonts:
                sample = _sample_line(raw, line, guess.legacy)
                raise InputEncodingError(line, "tệp không phải UTF-8: " + refusal(guess.legacy, *sample)) from None
            text = guess.text
            converted_from = guess.legacy
            notes.append(f"tệp được lưu bằng {guess.legacy.described}; công cụ đã chuyển sang Unicode. Sửa: lưu lại "
                         "tệp với bảng mã UTF-8" + (" và đọc lại bản chuyển (chữ hoa có dấu, lỗi gõ)."
                                                     if guess.legacy is not Legacy.CP1258 else "."))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if converted_from is None:
        font = guess_text(text)
        if font is not None:
            bad = plausibility(text).first_bad
            line = first_line_of(text, bad)
            if not convert_fonts:
                shown = convert_lines(bad or "", converter(font.legacy)) if bad else None
                raise InputEncodingError(line, refusal(font.legacy, bad, shown))
            text = font.text
            converted_from = font.legacy
            notes.append(f"văn bản gõ bằng {font.legacy.described}; công cụ đã chuyển sang Unicode (từ dòng {line}). "
                         "Sửa: đọc lại bản chuyển, nhất là chữ hoa có dấu.")
    return Decoded(text, converted_from, notes)


def _sample_line(raw: bytes, line: int, legacy: Legacy) -> tuple[str | None, str | None]:
    """Return the first non-ASCII word on `line` of `raw` as written (Latin-1) and as converted."""
    written = _as_read_by_windows(raw.split(b"\n")[line - 1]).rstrip("\r")
    converted = converter(legacy)(written)
    pairs = zip(written.split(), converted.split())
    for token, readable in pairs:
        if not token.isascii():
            return token, readable
    return None, None
