"""Reading input files: UTF-8 text in NFC, front matter, and YAML that remembers its line numbers.

YAML is composed, never constructed: every scalar stays a string (no YAML 1.1 surprises such as
`no` becoming False or a phone number `0212...` becoming an octal integer), tags are ignored, and
anchors and aliases are refused, so no input can make the loader expand exponentially or build
Python objects. Field parsers decide what each string means.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .encodings import InputEncodingError, decode
from .limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, MB
from .problems import Problems, describe

_NULLS = {"", "~", "null", "Null", "NULL"}

# PyYAML's English problems, as a school secretary would understand them.
_YAML_HINTS = {
    "mapping values are not allowed here": "có dấu ':' ở chỗ không được phép",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường",
    "did not find expected key": "thụt lề không đúng",
    "did not find expected '-' indicator": "thụt lề của danh sách không đúng",
    "found character '\\t' that cannot start any token": "có ký tự Tab",
    "found unexpected end of stream": "thiếu dấu ngoặc kép đóng",
    "found unknown escape character": "có ký tự '\\' không hợp lệ trong chuỗi ngoặc kép",
    "expected <block end>, but found '<block sequence start>'": "thụt lề của danh sách không đúng",
    "expected <block end>, but found '-'": "thụt lề của danh sách không đúng",
    "expected <block end>, but found '<block mapping start>'": "thụt lề không đúng",
    "expected <block end>, but found '<scalar>'": "thụt lề không đúng",
    "expected a comment or a line break": "có ký tự thừa sau giá trị trong ngoặc kép",
}
YAML_FIX = (
    "Sửa: mỗi dòng dạng 'tên: giá trị', thụt lề bằng dấu cách (không dùng Tab), "
    "giá trị có dấu ':' hoặc bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép."
)


class YamlInputError(Exception):
    """YAML that cannot be accepted; `line` is 1-based within the YAML text."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlData:
    """Parsed YAML: plain data (dict, list, str, None) and the line where each key or item starts."""

    data: Any
    lines: dict[tuple[Any, ...], int]
    offset: int = 0

    def line(self, *path: Any) -> int | None:
        """Return the file line of `path` (or of its nearest ancestor that has one)."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found + self.offset
        return None


def read_text(path: Path, problems: Problems, max_bytes: int, fix: str) -> str | None:
    """Return the file's text in NFC without a BOM, or None (with a problem) when it cannot be read
    as Vietnamese text, is not a regular file, or is larger than `max_bytes` (`fix` tells the author
    what to do then). Legacy code pages that convert exactly are converted with a warning, legacy font
    encodings (TCVN3, VNI) are refused with the fix (see encodings.decode)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            problems.error(path, None, None, "đây không phải một tệp thông thường (thiết bị, đường ống hay thư mục). "
                                             "Sửa: xóa nó và tạo một tệp văn bản thật.")
            return None
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        problems.error(path, None, None, describe("không đọc được tệp", exc.strerror))
        return None
    if len(raw) > max_bytes:
        size = os.stat(path).st_size
        problems.error(path, None, None, f"tệp quá lớn ({_size(size)}, tối đa {_size(max_bytes)}). {fix}")
        return None
    try:
        decoded = decode(raw)
    except InputEncodingError as exc:
        problems.error(path, exc.line, None, exc.message)
        return None
    for note in decoded.notes:
        problems.warning(path, None, None, note)
    return decoded.text


def _size(size: int) -> str:
    return f"{round(size / MB)} MB" if size >= MB else f"{round(size / 1024)} KB"


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (yaml, body, line where the body starts), or None when the closing '---' is missing.

    Raises ValueError when the text does not start with a '---' line.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ValueError("no front matter")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def parse_yaml(text: str, offset: int = 0) -> YamlData:
    """Return the YAML text as plain data with line numbers; raises YamlInputError.

    `offset` is added to every line (the front matter starts on the file's second line).
    """
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlInputError(None, f"phần YAML quá lớn (hơn {_size(MAX_YAML_BYTES)})")
    node = _compose_fast(text)
    if node is _FAILED:
        node = _compose_checked(text, offset)
    lines: dict[tuple[Any, ...], int] = {}
    data = _to_data(node, (), lines) if node is not None else None
    return YamlData(data, lines, offset)


_FAILED = object()


def _compose_fast(text: str) -> Any:
    """Return the YAML node tree composed by libyaml (C), or _FAILED when libyaml is missing or the
    text has any problem at all: the pure-Python path then finds it and explains it. Aliases are
    refused here too (libyaml has no anchor hook; an alias is a node met twice)."""
    if _CLoader is None:
        return _FAILED
    try:
        yaml.reader.Reader(text)  # the same printable-character check as the Python path
        loader = _CLoader(text)
    except yaml.YAMLError:
        return _FAILED
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return _FAILED
    finally:
        loader.dispose()
    if node is not None and not _within_limits(node):
        return _FAILED
    return node


def _within_limits(root: yaml.Node) -> bool:
    """Return False when the tree shares a node (an alias), or has too many nodes or levels."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > MAX_YAML_DEPTH or len(seen) >= MAX_YAML_NODES:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return True


def _compose_checked(text: str, offset: int) -> Any:
    """Return the YAML node tree composed in Python; raises YamlInputError with a Vietnamese hint."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 + offset
        raise YamlInputError(
            line, f"có ký tự điều khiển không được phép (mã U+{exc.character:04X}); hãy xóa ký tự này"
        ) from None
    try:
        return loader.get_single_node()
    except YamlInputError as exc:
        if exc.line is not None:
            exc.line += offset
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "").strip()
        hint = _YAML_HINTS.get(problem) or _bracket_hint(problem) or f"YAML không hợp lệ ({problem})"
        raise YamlInputError(mark.line + 1 + offset if mark else None, hint) from None
    except yaml.YAMLError as exc:
        raise YamlInputError(None, f"YAML không hợp lệ ({exc})") from None
    finally:
        loader.dispose()


def _bracket_hint(problem: str) -> str | None:
    if problem.startswith("expected ',' or ']'"):
        return "danh sách trong ngoặc vuông thiếu dấu ']' đóng (hoặc thiếu dấu ',' giữa hai mục)"
    if problem.startswith("expected ',' or '}'"):
        return "nhóm trong ngoặc nhọn thiếu dấu '}' đóng (hoặc thiếu dấu ',' giữa hai mục)"
    return None


class _Loader(yaml.SafeLoader):
    """A composer (never a constructor: no Python objects) that refuses anchors and aliases
    (exponential "billion laughs" input) and input nested deeper or holding more values than the limits."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            raise YamlInputError(
                event.start_mark.line + 1,
                "không dùng neo và tham chiếu YAML ('&' và '*'); hãy viết đầy đủ giá trị",
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise YamlInputError(event.start_mark.line + 1,
                                 f"có quá nhiều giá trị (hơn {MAX_YAML_NODES}); hãy chia nhỏ tệp")
        if self._depth >= MAX_YAML_DEPTH:
            raise YamlInputError(event.start_mark.line + 1,
                                 f"các danh sách và nhóm trường lồng nhau quá {MAX_YAML_DEPTH} cấp")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CLoader = getattr(yaml, "CSafeLoader", None)


def _to_data(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # plain style: None in PyYAML, "" in libyaml
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, path + (i,), lines) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlInputError(key_node.start_mark.line + 1, "tên trường phải là một chữ, không phải danh sách")
        key = key_node.value
        if key in result:
            raise YamlInputError(
                key_node.start_mark.line + 1, f"trường '{key}' xuất hiện hai lần; hãy giữ một"
            )
        result[key] = _to_data(value_node, path + (key,), lines)
        lines[path + (key,)] = key_node.start_mark.line + 1
    return result
