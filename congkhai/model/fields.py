"""Field parsers shared by unit files and front matter: each turns a YAML string into a typed value
or raises FieldError with a Vietnamese explanation and fix."""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from .files import LocalFile, resolve_file
from .limits import DEFAULT, MAX_NUMBER_DIGITS, Limits
from .problems import Problems, describe
from .sources import YamlData
from .text import nfc, strip_controls

T = TypeVar("T")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TRUE = {"true", "yes", "có", "co", "1"}
_FALSE = {"false", "no", "không", "khong", "0"}


class FieldError(Exception):
    """A field value that cannot be accepted: what is wrong, the value, and how to fix it."""

    def __init__(self, what: str, value: object | None = None, fix: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.value = value
        self.fix = fix

    def message(self) -> str:
        """Return the message as it is printed after the location."""
        return describe(self.what, self.value, self.fix)


def text(value: Any) -> str | None:
    """Return a one-piece text value (NFC, trimmed, without control characters), None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError("cần một đoạn chữ, không phải danh sách hay nhóm trường", _shape(value),
                         "Sửa: viết giá trị trên cùng dòng với tên trường.")
    cleaned = strip_controls(nfc(value)).strip()
    return cleaned or None


def required_text(value: Any) -> str:
    """Return a text value that must not be empty."""
    result = text(value)
    if result is None:
        raise FieldError("không được để trống")
    return result


def text_list(value: Any) -> tuple[str, ...]:
    """Return a list of texts; a single text counts as a list of one."""
    if value is None:
        return ()
    if isinstance(value, str):
        single = text(value)
        return (single,) if single else ()
    if not isinstance(value, list):
        raise FieldError("cần một danh sách, mỗi mục một dòng bắt đầu bằng '- '", _shape(value))
    result = []
    for item in value:
        item_text = text(item)
        if item_text:
            result.append(item_text)
    return tuple(result)


def date_value(value: Any) -> date | None:
    """Return a date written YYYY-MM-DD; explains other forms and impossible dates."""
    raw = text(value)
    if raw is None:
        return None
    iso = _ISO.match(raw)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if not 1 <= month <= 12:
            raise FieldError("tháng phải từ 1 đến 12", raw, "Sửa: ghi ngày dạng YYYY-MM-DD, ví dụ 2024-03-15.")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise FieldError(
                f"ngày không có thật (tháng {month:02d}/{year} chỉ có {last} ngày)",
                raw,
                "Sửa: ghi một ngày có thật, dạng YYYY-MM-DD.",
            )
        if len(iso.group(2)) == 1 or len(iso.group(3)) == 1:
            good = f"{year:04d}-{month:02d}-{day:02d}"
            raise FieldError("cần ngày dạng YYYY-MM-DD (tháng và ngày đủ hai chữ số)", raw, f"Sửa thành {good}.")
        return date(year, month, day)
    dmy = _DMY.match(raw)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        fix = "Sửa: ghi ngày dạng YYYY-MM-DD (năm-tháng-ngày)."
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            fix = f"Sửa thành {year:04d}-{month:02d}-{day:02d}."
        raise FieldError("cần ngày dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2024-03-15", raw, fix)
    raise FieldError("cần ngày dạng YYYY-MM-DD, ví dụ 2024-03-15", raw)


def boolean(value: Any) -> bool | None:
    """Return true/false (also có/không)."""
    raw = text(value)
    if raw is None:
        return None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise FieldError("cần true hoặc false", raw)


def integer(value: Any) -> int | None:
    """Return a whole number; dots or spaces between thousands are accepted ("1.234.567")."""
    raw = text(value)
    if raw is None:
        return None
    cleaned = raw.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d+", cleaned):
        return int(cleaned)
    raise FieldError("cần một số nguyên (chỉ chữ số, không có chữ)", raw)


_VN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_DECIMAL = re.compile(r"^-?\d+,\d+$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def decimal_value(value: object) -> Decimal | None:
    """Return a number: 1234567, 1.234.567 (dots between thousands), 1.234,5 or 1234,5 (decimal comma),
    92.5 (a decimal point not followed by exactly three digits); a spreadsheet cell may give an int or
    a float. At most MAX_NUMBER_DIGITS digits before the decimal mark; never NaN or infinity."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _bounded(Decimal(str(value)), value)
    raw = text(value)
    if raw is None or raw in ("-", "–"):
        return None
    compact = raw.replace(" ", "").replace("\u00a0", "")
    try:
        if _VN_THOUSANDS.match(compact):
            return _bounded(Decimal(compact.replace(".", "").replace(",", ".")), raw)
        if _COMMA_DECIMAL.match(compact):
            return _bounded(Decimal(compact.replace(",", ".")), raw)
        if _PLAIN.match(compact):
            return _bounded(Decimal(compact), raw)
    except InvalidOperation:
        pass
    raise FieldError("cần một số", raw,
                     "Sửa: viết chữ số liền (1234567) hoặc có dấu chấm giữa hàng nghìn (1.234.567); phần lẻ "
                     "dùng dấu phẩy (1.234,5).")


def _bounded(number: Decimal, written: object) -> Decimal:
    if not number.is_finite():
        raise FieldError("cần một số", written, "Sửa: ghi một số cụ thể vào ô này.")
    if number and number.adjusted() >= MAX_NUMBER_DIGITS:
        raise FieldError(f"số quá lớn (tối đa {MAX_NUMBER_DIGITS} chữ số trước dấu phẩy)", written,
                         "Sửa: kiểm tra lại số, hoặc dùng đơn vị tính lớn hơn ('money_unit: trieu-dong').")
    return number


def choice(options: dict[str, T], what: str) -> Callable[[Any], T | None]:
    """Return a parser that accepts one of `options` (keys as written in YAML)."""

    def parse(value: Any) -> T | None:
        raw = text(value)
        if raw is None:
            return None
        if raw in options:
            return options[raw]
        listed = ", ".join(options)
        raise FieldError(f"{what} không hợp lệ", raw, f"Sửa: dùng một trong các giá trị: {listed}.")

    return parse


def _shape(value: Any) -> str:
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một nhóm trường"
    return str(value)


@dataclass
class Reader:
    """Reads the fields of one YAML mapping, recording each problem with its file, line and field."""

    path: Path
    yaml: YamlData
    problems: Problems
    prefix: tuple[Any, ...] = ()

    def mapping(self) -> dict[str, Any]:
        """Return the mapping at `prefix` ({} with an error when it is something else)."""
        node = self._node(self.prefix)
        if isinstance(node, dict):
            return node
        if node is not None:
            self.problems.error(
                self.path, self.line(), self.label(), "cần một nhóm trường dạng 'tên: giá trị'."
            )
        return {}

    def get(self, name: str, parse: Callable[[Any], T], required: bool = False) -> T | None:
        """Return the parsed value of field `name`, or None (recording the problem)."""
        data = self.mapping()
        if name not in data or data[name] is None or data[name] == []:
            if required:
                self.problems.error(
                    self.path, self.line(), self.label(name),
                    "thiếu trường bắt buộc. Sửa: thêm dòng '" + name + ": …' vào phần đầu tệp.",
                )
            return None
        try:
            result = parse(data[name])
        except FieldError as exc:
            self.problems.error(self.path, self.line(name), self.label(name), exc.message())
            return None
        if required and result is None:
            self.problems.error(self.path, self.line(name), self.label(name), "không được để trống.")
        return result

    def items(self, name: str) -> list[Reader]:
        """Return a Reader for each item of the list field `name` (a single mapping counts as one)."""
        data = self.mapping()
        value = data.get(name)
        if value is None:
            return []
        if isinstance(value, dict):
            return [Reader(self.path, self.yaml, self.problems, self.prefix + (name,))]
        if not isinstance(value, list):
            self.problems.error(
                self.path, self.line(name), self.label(name),
                describe("cần một danh sách, mỗi mục bắt đầu bằng '- '", value),
            )
            return []
        return [Reader(self.path, self.yaml, self.problems, self.prefix + (name, i)) for i in range(len(value))]

    def child(self, name: str) -> Reader:
        """Return a Reader for the nested mapping `name`."""
        return Reader(self.path, self.yaml, self.problems, self.prefix + (name,))

    def present(self, name: str) -> bool:
        """Return True when the field is written (even if empty)."""
        return name in self.mapping()

    def raw(self, name: str) -> Any:
        """Return the unparsed value of `name`."""
        return self.mapping().get(name)

    def unknown_keys(self, known: Iterable[str], where: str = "") -> None:
        """Warn about every key that is not in `known` (typos would otherwise be silently ignored)."""
        known_set = set(known)
        for key in self.mapping():
            if key not in known_set:
                suggestion = _closest(key, known_set)
                fix = f"Có phải ý bạn là '{suggestion}'?" if suggestion else "Sửa: xóa hoặc đổi tên trường."
                self.problems.warning(
                    self.path, self.line(key), self.label(key),
                    f"trường không được hỗ trợ{where}; trường này bị bỏ qua. {fix}",
                )

    def line(self, name: str | int | None = None) -> int | None:
        """Return the line of the field `name` (or of this mapping)."""
        path = self.prefix + ((name,) if name is not None else ())
        return self.yaml.line(*path)

    def label(self, name: str | int | None = None) -> str | None:
        """Return the dotted field name used in messages ("signer.name", "attachments[2].file")."""
        parts = self.prefix + ((name,) if name is not None else ())
        label = ""
        for part in parts:
            label += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if label else str(part))
        return label or None

    def _node(self, path: tuple[Any, ...]) -> Any:
        node = self.yaml.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def _closest(key: str, known: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return matches[0] if matches else None


@dataclass(frozen=True)
class ReadContext:
    """What a kind-specific reader may need besides the front matter."""

    path: Path
    unit_dir: Path
    unit: str
    is_draft: bool
    date: date | None
    limits: Limits = DEFAULT
    used: list[Path] = field(default_factory=list, compare=False)  # files of the unit folder it refers to

    def resolve(self, written: str, allowed: frozenset[str] | None = None) -> LocalFile:
        """Return the checked file `written` next to the document (files.resolve_file), noting that the
        document uses it; raises FileRefError."""
        candidate = self.path.parent / written.replace("\\", "/")
        if os.path.lexists(candidate):
            self.used.append(candidate)
        return resolve_file(written, self.path.parent, self.unit_dir, allowed=allowed,
                            max_bytes=self.limits.max_file_bytes)
