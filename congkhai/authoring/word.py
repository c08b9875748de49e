"""Word (.docx) files as Markdown, through pandoc (bundled by pypandoc-binary).

Vietnamese documents lay out their header (issuing body | national motto, number | place and date)
and their closing (Nơi nhận | signature) as borderless tables. Those layout tables are unpacked into
plain paragraphs, cell by cell, so the letterhead reader sees the lines it knows; data tables stay
tables (one line per cell, so they come out as Markdown pipe tables).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..model.text import fold

_LAYOUT = re.compile(
    r"(cong hoa xa hoi|doc lap|\bso\s*:|noi nhan|ngay .{0,12}thang .{0,12}nam|^(kt|tm|tl|tuq|q)\.)", re.MULTILINE
)


class WordError(Exception):
    """A Word file that cannot be converted; the message says why and what to do (Vietnamese)."""


def docx_to_markdown(path: Path) -> str:
    """Return the document's text as GitHub-flavoured Markdown, one paragraph per line; raises WordError."""
    try:
        import pypandoc
    except ImportError as exc:  # the dependency is pinned in requirements.txt
        raise WordError("thiếu thư viện pypandoc-binary để đọc tệp Word. Sửa: chạy "
                        "'pip install -r requirements.txt'.") from exc
    try:
        tree = json.loads(pypandoc.convert_file(str(path), "json", format="docx"))
    except (RuntimeError, OSError, ValueError) as exc:
        raise WordError(f"không đọc được tệp Word ({_first_line(exc)}). Sửa: mở tệp bằng Word, chọn Lưu thành "
                        "(Save As) kiểu 'Word Document (*.docx)' rồi nhập lại.") from None
    tree["blocks"] = unpack_layout_tables(tree["blocks"])
    try:
        return pypandoc.convert_text(json.dumps(tree), "gfm", format="json", extra_args=["--wrap=none"])
    except (RuntimeError, OSError) as exc:
        raise WordError(f"không chuyển được tệp Word sang Markdown ({_first_line(exc)}).") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


def unpack_layout_tables(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the blocks with every layout table replaced by its cells' paragraphs and every data
    table's multi-paragraph cells merged into one line."""
    result: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("t") != "Table":
            result.append(block)
            continue
        cells = list(_cells(block))
        text = "\n".join(_plain(b) for cell in cells for b in cell)
        if _LAYOUT.search(fold(text).lower()):
            for cell in cells:
                result.extend(_paragraphs(cell))
        else:
            _merge_cells(block)
            result.append(block)
    return result


def _rows(table: dict[str, Any]) -> list[list[Any]]:
    """Return the rows of a pandoc Table (head, bodies, foot), each a list of cells."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    rows.extend(foot[1])
    return [row[1] for row in rows]


def _cells(table: dict[str, Any]):
    for row in _rows(table):
        for cell in row:
            yield cell[4]


def _paragraphs(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a cell's content as top-level paragraphs (lists and nested tables flattened)."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("t")
        if kind in ("Para", "Plain"):
            found.append({"t": "Para", "c": block["c"]})
        elif kind in ("BulletList", "OrderedList"):
            items = block["c"] if kind == "BulletList" else block["c"][1]
            for item in items:
                for para in _paragraphs(item):
                    found.append({"t": "Para", "c": [{"t": "Str", "c": "-"}, {"t": "Space"}, *para["c"]]})
        elif kind == "Table":
            for cell in _cells(block):
                found.extend(_paragraphs(cell))
        elif kind == "Div":
            found.extend(_paragraphs(block["c"][1]))
    return found


def _merge_cells(table: dict[str, Any]) -> None:
    for row in _rows(table):
        for cell in row:
            paragraphs = _paragraphs(cell[4])
            inlines: list[Any] = []
            for para in paragraphs:
                if inlines:
                    inlines.append({"t": "Space"})
                inlines.extend(para["c"])
            cell[4] = [{"t": "Plain", "c": inlines}] if inlines else []


def _plain(block: dict[str, Any]) -> str:
    """Return the text of a block (enough to recognise a header or signature)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                parts.append(node["c"])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif kind in ("Para", "Plain"):
                walk(node.get("c"))
                parts.append("\n")
            else:
                walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(block)
    return "".join(parts)
