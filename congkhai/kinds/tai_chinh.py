"""Budget disclosures (công khai tài chính): report types, tables from the front matter or from a
CSV/XLSX file beside the document, and the arithmetic every total must satisfy."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import filetype

from ..model import fields as f
from ..model.documents import Document
from ..model.encodings import InputEncodingError, Legacy, decode
from ..model.files import FileRefError
from ..model.kind import Badge, FieldSpec, Kind, KindFile
from ..model.limits import MAX_TABLE_ROWS
from ..model.periods import EXAMPLES, Period, PeriodKind, parse_period
from ..model.problems import describe
from ..model.text import csv_text, fold, format_amount, money_in_words

MAX_ROWS = MAX_TABLE_ROWS


@dataclass(frozen=True)
class ReportType:
    """A kind of budget report and the period shape it is made for."""

    key: str
    label: str
    period: str  # year | quarter | half | nine | school-year | any
    noun: str  # what it reports, before the period in lists: "Thực hiện dự toán quý I năm 2024"


REPORT_TYPES = {
    r.key: r for r in (
        ReportType("du-toan", "Dự toán ngân sách được giao", "year", "Dự toán"),
        ReportType("thuc-hien-quy", "Tình hình thực hiện dự toán quý", "quarter", "Thực hiện dự toán"),
        ReportType("thuc-hien-6-thang", "Tình hình thực hiện dự toán 6 tháng", "half", "Thực hiện dự toán"),
        ReportType("thuc-hien-9-thang", "Tình hình thực hiện dự toán 9 tháng", "nine", "Thực hiện dự toán"),
        ReportType("thuc-hien-nam", "Tình hình thực hiện dự toán năm", "year", "Thực hiện dự toán"),
        ReportType("quyet-toan", "Quyết toán ngân sách", "year", "Quyết toán"),
        ReportType("thu-chi-nam-hoc", "Công khai thu, chi năm học", "school-year", "Thu, chi"),
        ReportType("tai-tro", "Tiếp nhận và sử dụng tài trợ, đóng góp tự nguyện", "any", "Tài trợ, đóng góp"),
    )
}


@dataclass(frozen=True)
class MoneyUnit:
    """The unit amounts are stated in."""

    key: str
    label: str
    factor: int


MONEY_UNITS = {
    "dong": MoneyUnit("dong", "đồng", 1),
    "nghin-dong": MoneyUnit("nghin-dong", "nghìn đồng", 1_000),
    "trieu-dong": MoneyUnit("trieu-dong", "triệu đồng", 1_000_000),
}

# The period shapes each report is made for ("any": a year or a school year).
PERIOD_KINDS = {
    "year": (PeriodKind.YEAR,),
    "quarter": (PeriodKind.QUARTER,),
    "half": (PeriodKind.HALF,),
    "nine": (PeriodKind.NINE,),
    "school-year": (PeriodKind.SCHOOL_YEAR,),
    "any": (PeriodKind.YEAR, PeriodKind.SCHOOL_YEAR),
}


@dataclass(frozen=True)
class Line:
    """One line of a budget table; a line with children is a total of them."""

    code: str | None
    name: str
    amounts: tuple[Decimal | None, ...]
    children: tuple[Line, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class Table:
    """A budget table: column headings and top-level lines."""

    columns: tuple[str, ...]
    lines: tuple[Line, ...]
    source: str | None = None  # the CSV/XLSX file name, when it came from one

    def rows(self) -> list[tuple[int, Line]]:
        """Return every line with its depth (0 for top-level), in reading order."""
        found: list[tuple[int, Line]] = []

        def walk(lines: tuple[Line, ...], depth: int) -> None:
            for line in lines:
                found.append((depth, line))
                walk(line.children, depth + 1)

        walk(self.lines, 0)
        return found


@dataclass(frozen=True)
class BudgetReport:
    """A budget disclosure's data."""

    report: ReportType | None
    fiscal_year: str | None
    money_unit: MoneyUnit | None
    table: Table | None
    nil: bool
    assigned_date: Any = None
    approved_date: Any = None
    submitted_date: Any = None




def parse_amount(value: object) -> Decimal | None:
    """Return an amount of money (see fields.decimal_value for the accepted forms)."""
    return f.decimal_value(value)


def read(r: f.Reader, ctx: f.ReadContext) -> BudgetReport:
    """Return the budget report in the front matter (its table checked line by line)."""
    report = r.get("report", f.choice(REPORT_TYPES, "loại báo cáo"), required=not ctx.is_draft)
    fiscal_year = r.get("fiscal_year", f.text, required=not ctx.is_draft)
    if fiscal_year and not re.match(r"^\d{4}(-\d{4})?$", fiscal_year):
        r.problems.error(r.path, r.line("fiscal_year"), "fiscal_year",
                         describe("năm ngân sách phải là năm (2024) hoặc năm học (2024-2025)", fiscal_year))
    nil = bool(r.get("nil", f.boolean))
    unit = r.get("money_unit", f.choice(MONEY_UNITS, "đơn vị tính"))
    columns = r.get("columns", f.text_list) or ()
    has_table = r.present("table") or r.present("table_file")
    if nil and has_table:
        r.problems.error(r.path, r.line("nil"), "nil",
                         "báo cáo 'không phát sinh' (nil: true) không có bảng số liệu. Sửa: xóa 'table'/'table_file' "
                         "hoặc bỏ 'nil: true'.")
    if not nil and not has_table and not ctx.is_draft and not r.present("attachments"):
        r.problems.error(r.path, r.line(), "table",
                         "báo cáo tài chính cần bảng số liệu ('table' hoặc 'table_file'), tệp đính kèm, hoặc "
                         "'nil: true' khi không phát sinh. Sửa: thêm bảng số liệu (hoặc tệp PDF đã ký).")
    if has_table and unit is None and not r.present("money_unit"):
        r.problems.error(r.path, r.line(), "money_unit",
                         "bảng số liệu phải ghi đơn vị tính. Sửa: thêm 'money_unit: dong' (hoặc nghin-dong, "
                         "trieu-dong).")
    table = None
    if r.present("table") and r.present("table_file"):
        r.problems.error(r.path, r.line("table_file"), "table_file",
                         "chỉ dùng một trong hai: 'table' hoặc 'table_file'. Sửa: xóa một trường.")
    elif r.present("table"):
        table = _table_from_yaml(r, columns)
    elif r.present("table_file"):
        table = _table_from_file(r, ctx, columns)
    if table is not None:
        check_totals(table, unit, r)
    period_text = r.get("period", f.text)
    period = parse_period(period_text) if period_text else None
    wrong = check_period(report, period, fiscal_year)
    if wrong:
        r.problems.error(r.path, r.line("period"), "period", describe(wrong, period_text))
    return BudgetReport(
        report=report, fiscal_year=fiscal_year, money_unit=unit, table=table, nil=nil,
        assigned_date=r.get("assigned_date", f.date_value), approved_date=r.get("approved_date", f.date_value),
        submitted_date=r.get("submitted_date", f.date_value),
    )


def check_period(report: ReportType | None, period: Period | None, fiscal_year: str | None) -> str | None:
    """Return what is wrong with `period` for this report type, or None."""
    if report is None or period is None:
        return None
    kinds = PERIOD_KINDS[report.period]
    if period.kind not in kinds:
        examples = " hoặc ".join(EXAMPLES[k] for k in kinds)
        return f"kỳ báo cáo của loại '{report.key}' phải có dạng {examples}"
    if fiscal_year and not period.key.startswith(fiscal_year.split("-")[0]):
        return f"kỳ báo cáo không thuộc năm ngân sách {fiscal_year}"
    return None


def _count_lines(value: Any) -> int:
    """Return how many lines a front-matter table holds, its nested `lines` included."""
    items = value if isinstance(value, list) else [value]
    return sum(1 + (_count_lines(item["lines"]) if isinstance(item, dict) and item.get("lines") else 0)
               for item in items)


def _table_from_yaml(r: f.Reader, columns: tuple[str, ...]) -> Table | None:
    width = max(len(columns), 1)
    count = _count_lines(r.raw("table"))
    if count > MAX_ROWS:
        r.problems.error(r.path, r.line("table"), "table",
                         describe(f"bảng quá dài (hơn {MAX_ROWS} dòng)", count,
                                  "Sửa: chia thành nhiều báo cáo, hoặc đính kèm bảng đầy đủ dạng PDF/Excel."))
        return None

    def lines_of(reader: f.Reader, name: str) -> tuple[Line, ...]:
        found = []
        for lr in reader.items(name):
            lr.unknown_keys(("code", "name", "amount", "amounts", "lines"), " trong dòng của bảng")
            line_name = lr.get("name", f.required_text, required=True)
            amounts: tuple[Decimal | None, ...]
            if lr.present("amounts"):
                raw = lr.raw("amounts")
                values = raw if isinstance(raw, list) else [raw]
                try:
                    amounts = tuple(parse_amount(v) for v in values)
                except f.FieldError as exc:
                    r.problems.error(r.path, lr.line("amounts"), lr.label("amounts"), exc.message())
                    amounts = (None,) * width
                if len(amounts) != width:
                    r.problems.error(
                        r.path, lr.line("amounts"), lr.label("amounts"),
                        describe(f"dòng có {len(amounts)} số nhưng bảng có {width} cột", len(amounts),
                                 "Sửa: mỗi dòng ghi đủ một số cho mỗi cột trong 'columns'."),
                    )
                    amounts = (amounts + (None,) * width)[:width]
            else:
                if width > 1 and lr.present("amount"):
                    r.problems.error(r.path, lr.line("amount"), lr.label("amount"),
                                     "bảng nhiều cột: dùng 'amounts: [..]' với một số cho mỗi cột.")
                amounts = (lr.get("amount", parse_amount),) + (None,) * (width - 1)
            children = lines_of(lr, "lines")
            if line_name:
                found.append(Line(lr.get("code", f.text), line_name, amounts, children,
                                  f"dòng {lr.line()}"))
        return tuple(found)

    lines = lines_of(r, "table")
    return Table(columns or ("Số tiền",), lines)


def _table_from_file(r: f.Reader, ctx: f.ReadContext, columns: tuple[str, ...]) -> Table | None:
    written = r.get("table_file", f.text)
    if written is None:
        return None
    try:
        path = ctx.resolve(written, allowed=frozenset({"csv", "xlsx"})).path
    except FileRefError as exc:
        found = _csv_in_another_encoding(exc)
        if found is None:
            r.problems.error(r.path, r.line("table_file"), "table_file", describe(exc.what, written, exc.fix))
            return None
        path = found
    notes: list[str] = []
    try:
        rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path, notes)
    except TableFileError as exc:
        r.problems.error(r.path, r.line("table_file"), "table_file", describe(exc.args[0], written, exc.args[1]))
        return None
    for note in notes:
        r.problems.warning(r.path, r.line("table_file"), "table_file", describe(note, written, CSV_UTF8_FIX))
    return _build_tree(rows, written, columns, r)


def _csv_in_another_encoding(exc: FileRefError) -> Path | None:
    """Return the CSV file `resolve_file` refused only for its content (its last check, after the
    location and size ones) when that content is text that is not UTF-8 (Windows-1258 or UTF-16 as
    Excel saves them, TCVN3, VNI, a stray byte) rather than a file of another kind: `_read_csv` then
    converts it, or says which encoding it is, on which line, and how to fix it. None otherwise."""
    path = exc.mismatched
    if path is None or path.suffix.lower() != ".csv":
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    if filetype.guess(head) is not None:
        return None  # a program, a picture, an archive… renamed to .csv
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary, not text (UTF-16 is recognised by its byte-order mark)
    return path


class TableFileError(Exception):
    """A table file that cannot be read: (what, fix)."""


CSV_UTF8_FIX = "Sửa: trong Excel chọn Lưu dưới dạng 'CSV UTF-8 (Comma delimited)'."


def _read_csv(path: Path, notes: list[str] | None = None) -> list[list[Any]]:
    """Return the rows of a CSV file. Its text goes through `encodings.decode`: UTF-8 (with or without
    BOM) as is; Windows-1258 and UTF-16, exact conversions, are read with a note added to `notes`;
    TCVN3/VNI and invalid UTF-8 raise TableFileError naming the line and the fix."""
    raw = path.read_bytes()
    try:
        decoded = decode(raw)
    except InputEncodingError as exc:
        raise TableFileError(*_encoding_problem(exc)) from None
    text = decoded.text
    if decoded.converted_from is not None and notes is not None:
        source = (decoded.converted_from.described if isinstance(decoded.converted_from, Legacy)
                  else f"bảng mã {decoded.converted_from}")
        notes.append(f"tệp CSV được lưu bằng {source}, không phải UTF-8; công cụ đã chuyển sang Unicode")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableFileError(f"tệp CSV có ký tự NUL ở dòng {line} (không phải tệp văn bản?)",
                             "Sửa: mở tệp bằng Excel và lưu lại dạng 'CSV UTF-8 (Comma delimited)'.")
    first = text.split("\n", 1)[0]
    # Excel with Vietnamese regional settings separates with ';' (the comma is the decimal mark)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) > MAX_ROWS:
                raise TableFileError(f"bảng quá dài (hơn {MAX_ROWS} dòng)", "Sửa: chia thành nhiều báo cáo.")
            rows.append(row)
    except csv.Error as exc:
        raise TableFileError(f"tệp CSV không đúng dạng ở dòng {reader.line_num} ({_csv_problem(exc)})",
                             "Sửa: mở tệp bằng Excel và lưu lại dạng 'CSV UTF-8 (Comma delimited)'.") from None
    return rows


def _encoding_problem(exc: InputEncodingError) -> tuple[str, str]:
    """Return (what, fix) for a CSV file `encodings.decode` refused: "tệp CSV không phải UTF-8: … (dòng N)"."""
    what, _, fix = exc.message.partition(" Sửa: ")
    what = what.rstrip(".")
    what = "tệp CSV " + what[len("tệp "):] if what.startswith("tệp ") else "tệp CSV: " + what
    if exc.line is not None:
        what += f" (dòng {exc.line})"
    return what, ("Sửa: " + fix) if fix else CSV_UTF8_FIX


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "một ô quá dài"
    if "new-line character seen in unquoted field" in text:
        return "xuống dòng giữa một ô không có ngoặc kép"
    return "không đọc được"


def _read_xlsx(path: Path) -> list[list[Any]]:
    """Return the rows of the first sheet as the reader of the file sees them: each cell's value, a
    formula's result as the spreadsheet last computed and saved it. A formula whose result was never
    saved (a file written by a script or some online editors) is refused, never read as a blank."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableFileError(f"không đọc được tệp Excel ({type(exc).__name__})",
                             "Sửa: mở tệp bằng Excel và lưu lại dạng .xlsx.") from None
    try:
        rows = []
        pairs = zip(book.worksheets[0].iter_rows(), formulas.worksheets[0].iter_rows())
        for index, (row, written) in enumerate(pairs):
            if index > MAX_ROWS:
                raise TableFileError(f"bảng quá dài (hơn {MAX_ROWS} dòng)", "Sửa: chia thành nhiều báo cáo.")
            for cell, source in zip(row, written):
                if cell.value is None and isinstance(source.value, str) and source.value.startswith("="):
                    raise TableFileError(
                        f"ô {source.coordinate} có công thức {source.value[:40]} nhưng tệp chưa lưu kết quả tính",
                        "Sửa: mở tệp bằng Excel hoặc LibreOffice rồi lưu lại (để tệp giữ kết quả của công thức), "
                        "hoặc xuất bảng thành tệp CSV.")
            rows.append(["" if cell.value is None else cell.value for cell in row])
        return rows
    except TableFileError:
        raise
    except Exception as exc:  # a sheet damaged past its first bytes; reported, never ignored
        raise TableFileError(f"không đọc được tệp Excel ({type(exc).__name__})",
                             "Sửa: mở tệp bằng Excel và lưu lại dạng .xlsx.") from None
    finally:
        book.close()
        formulas.close()


_HEADER = ("code", "name", "parent")


def _build_tree(rows: list[list[Any]], written: str, columns: tuple[str, ...], r: f.Reader) -> Table | None:
    rows = [row for row in rows if any(str(c).strip() for c in row)]
    if len(rows) > MAX_ROWS + 1:
        r.problems.error(r.path, r.line("table_file"), "table_file",
                         describe(f"bảng quá dài (hơn {MAX_ROWS} dòng)", written, "Sửa: chia thành nhiều báo cáo."))
        return None
    if not rows:
        r.problems.error(r.path, r.line("table_file"), "table_file", describe("tệp bảng không có dòng nào", written))
        return None
    header = [str(c).strip().lower() for c in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if tuple(header[:3]) != _HEADER or len(header) < 4:
        r.problems.error(
            r.path, r.line("table_file"), "table_file",
            describe("dòng đầu của tệp bảng phải là: code, name, parent, rồi tên các cột số tiền",
                     ", ".join(str(c) for c in rows[0]), "Sửa: đặt đúng tiêu đề cột ở dòng 1."),
        )
        return None
    headings = tuple(str(c).strip() for c in rows[0][3:len(header)])
    if columns and tuple(columns) != headings:
        r.problems.warning(r.path, r.line("columns"), "columns",
                           describe("tên cột trong 'columns' khác tiêu đề trong tệp bảng", ", ".join(columns),
                                    f"Tệp ghi: {', '.join(headings)}. Hệ thống dùng tiêu đề trong tệp."))
    nodes: dict[str, dict[str, Any]] = {}
    order: list[dict[str, Any]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [("" if c is None else c) for c in row] + [""] * len(header)
        where = f"hàng {number} của {written}"
        code = str(cells[0]).strip() or None
        name = str(cells[1]).strip()
        parent = str(cells[2]).strip() or None
        amounts = []
        for col, cell in enumerate(cells[3:len(header)]):
            try:
                amounts.append(parse_amount(cell if not isinstance(cell, str) else cell.strip()))
            except f.FieldError as exc:
                r.problems.error(r.path, r.line("table_file"), "table_file",
                                 f"{where}, cột '{headings[col]}': {exc.message()}")
                amounts.append(None)
        if not name:
            r.problems.error(r.path, r.line("table_file"), "table_file", f"{where}: thiếu nội dung (cột name).")
            continue
        node = {"code": code, "name": name, "parent": parent, "amounts": tuple(amounts), "where": where,
                "children": []}
        if code is not None:
            if code in nodes:
                r.problems.error(r.path, r.line("table_file"), "table_file",
                                 f"{where}: mã dòng '{code}' bị trùng. Sửa: mỗi dòng một mã riêng.")
                continue
            nodes[code] = node
        order.append(node)
    roots = []
    for node in order:
        if node["parent"] is None:
            roots.append(node)
        elif node["parent"] in nodes and nodes[node["parent"]] is not node:
            nodes[node["parent"]]["children"].append(node)
        else:
            r.problems.error(r.path, r.line("table_file"), "table_file",
                             f"{node['where']}: không có dòng cha mang mã '{node['parent']}'. Sửa: ghi đúng mã ở cột parent.")

    def freeze(node: dict[str, Any], depth: int = 0) -> Line:
        if depth > 20:
            raise RecursionError
        return Line(node["code"], node["name"], node["amounts"], tuple(freeze(c, depth + 1) for c in node["children"]),
                    node["where"])

    try:
        lines = tuple(freeze(n) for n in roots)
    except RecursionError:
        r.problems.error(r.path, r.line("table_file"), "table_file", "bảng lồng quá 20 cấp hoặc có vòng lặp mã cha.")
        return None
    return Table(headings, lines, written)


def check_totals(table: Table, unit: MoneyUnit | None, r: f.Reader) -> None:
    """Record an error for every line whose stated total differs from the sum of its children."""
    unit_label = unit.label if unit else ""
    for _, line in table.rows():
        if not line.children:
            continue
        for col, stated in enumerate(line.amounts):
            if stated is None:
                continue
            total = sum((c.amounts[col] or Decimal(0) for c in line.children if col < len(c.amounts)), Decimal(0))
            if total != stated:
                field_line = _line_number(line.where)
                parts = [] if field_line else [line.where]
                if len(table.columns) > 1:
                    parts.append(f"cột '{table.columns[col]}'")
                lead = ", ".join(parts) + ": " if parts else ""
                diff = total - stated
                more = "nhiều hơn" if diff > 0 else "ít hơn"
                r.problems.error(
                    r.path, field_line if field_line else r.line("table_file"), "table",
                    f"{lead}dòng '{_label(line)}' ghi tổng {format_amount(stated)} {unit_label} "
                    f"nhưng các dòng con cộng lại {format_amount(total)} {unit_label}, {more} "
                    f"{format_amount(abs(diff))} {unit_label}. Sửa: kiểm tra lại số của dòng tổng hoặc của các dòng con.",
                )


def _label(line: Line) -> str:
    return f"{line.code}. {line.name}" if line.code else line.name


def _line_number(where: str) -> int | None:
    match = re.fullmatch(r"dòng (\d+)", where)
    return int(match.group(1)) if match else None


def grand_totals(table: Table) -> list[tuple[Line, Decimal]]:
    """Return each top-level line with its first-column amount (stated, else the sum of its children)."""
    result = []
    for line in table.lines:
        amount = line.amounts[0] if line.amounts else None
        if amount is None and line.children:
            amount = sum((c.amounts[0] or Decimal(0) for c in line.children), Decimal(0))
        if amount is not None:
            result.append((line, amount))
    return result


def in_dong(amount: Decimal, unit: MoneyUnit) -> int:
    """Return the amount converted to whole đồng."""
    return int((amount * unit.factor).to_integral_value())


def table_csv(table: Table, unit: MoneyUnit | None) -> bytes:
    """Return the table as CSV for download (UTF-8 with BOM, so Excel shows Vietnamese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    suffix = f" ({unit.label})" if unit else ""
    writer.writerow(["Mã", "Nội dung", "Cấp", *[c + suffix for c in table.columns]])
    for depth, line in table.rows():
        writer.writerow([csv_text(line.code), csv_text(line.name), depth + 1,
                         *[csv_text(None if a is None else format(a, "f")) for a in line.amounts]])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


_RATIO = ("%", "tỷ lệ", "so sánh", "ty le", "so sanh")


def chart_columns(table: Table) -> list[int]:
    """Return the columns a chart compares (at most two: plan and execution), leaving out ratios."""
    return [i for i, name in enumerate(table.columns) if not any(w in name.lower() for w in _RATIO)][:2]


def _amount(line: Line, column: int) -> Decimal | None:
    amount = line.amounts[column] if column < len(line.amounts) else None
    if amount is None and line.children:
        found = [_amount(c, column) for c in line.children]
        if any(a is not None for a in found):
            amount = sum((a or Decimal(0) for a in found), Decimal(0))
    return amount


def chart_lines(table: Table, limit: int = 8) -> list[tuple[str, list[Decimal | None]]]:
    """Return the main lines to chart with their amount in each charted column: the top-level lines,
    or the children of a single top-level line; a line with no amount at all is left out."""
    lines = table.lines[0].children if len(table.lines) == 1 and table.lines[0].children else table.lines
    columns = chart_columns(table)
    found = []
    for line in lines[:limit]:
        amounts = [_amount(line, c) for c in columns]
        if any(a is not None for a in amounts):
            found.append((_label(line), amounts))
    return found


CSV_NAME = "bang-so-lieu.csv"


def files(doc: Document) -> list[KindFile]:
    """Return the table as a CSV file for download, next to the page."""
    b = doc.details
    if isinstance(b, BudgetReport) and b.table:
        return [KindFile(CSV_NAME, content=table_csv(b.table, b.money_unit))]
    return []


def context(doc: Document) -> dict[str, Any]:
    """Return what the page template needs: the CSV's name, the totals in words and the bars."""
    b = doc.details
    if not (isinstance(b, BudgetReport) and b.table):
        return {}
    unit = b.money_unit or MONEY_UNITS["dong"]
    chart = {"series": [b.table.columns[i] for i in chart_columns(b.table)], "rows": chart_lines(b.table)}
    return {"csv_name": CSV_NAME, "totals": grand_totals(b.table), "chart": chart,
            "words": lambda amount: money_in_words(in_dong(amount, unit))}


def meta(doc: Document) -> list[str]:
    """Return the report type and period shown after the date in listings."""
    b = doc.details
    if not (isinstance(b, BudgetReport) and b.report):
        return []
    return [f"{b.report.noun} {doc.period.label}" if doc.period else b.report.label]


def badges(doc: Document, today: date) -> list[Badge]:
    b = doc.details
    return [Badge("Không phát sinh")] if isinstance(b, BudgetReport) and b.report and b.nil else []


# Report types read from a title (folded to ASCII, lower case), in this order: the first match wins.
_REPORTS_IN_TITLES = (
    (r"thuc hien du toan.*\bquy\b|\bquy (i|ii|iii|iv)\b", "thuc-hien-quy"),
    (r"thuc hien du toan.*6 thang|\b6 thang\b", "thuc-hien-6-thang"),
    (r"thuc hien du toan.*9 thang|\b9 thang\b", "thuc-hien-9-thang"),
    (r"thuc hien du toan", "thuc-hien-nam"),
    (r"quyet toan", "quyet-toan"),
    (r"du toan", "du-toan"),
    (r"tai tro|dong gop tu nguyen", "tai-tro"),
    (r"thu,? chi", "thu-chi-nam-hoc"),
)



def from_title(title: str) -> dict[str, object]:
    """Return the report type and budget year a title names (for `import`)."""
    values: dict[str, object] = {}
    folded = fold(title).lower()
    for pattern, report in _REPORTS_IN_TITLES:
        if re.search(pattern, folded):
            values["report"] = report
            break
    school_year = re.search(r"\b(20\d{2})\s*[-–]\s*(20\d{2})\b", title)
    year = re.search(r"\bnam (20\d{2})\b", folded)
    if school_year and values.get("report") in ("thu-chi-nam-hoc", "tai-tro"):
        values["fiscal_year"] = f"{school_year.group(1)}-{school_year.group(2)}"
    elif year:
        values["fiscal_year"] = year.group(1)
    return values


_PUBLISHED = "published"
_DATE = (r"^\d{4}-\d{2}-\d{2}$", "ngày dạng năm-tháng-ngày")
FIELDS = (
    FieldSpec("report", "Loại báo cáo", "Loại báo cáo: du-toan, thuc-hien-quy, thuc-hien-6-thang, thuc-hien-9-thang, "
              "thuc-hien-nam, quyet-toan, thu-chi-nam-hoc, tai-tro (bắt buộc khi đăng).", "du-toan", widget="select",
              required=_PUBLISHED, choices=tuple((r.key, r.label) for r in REPORT_TYPES.values())),
    FieldSpec("fiscal_year", "Năm ngân sách / năm học", "Năm ngân sách (2026) hoặc năm học (2025-2026) (bắt buộc "
              "khi đăng).", "2026", required=_PUBLISHED, pattern=(r"^\d{4}(-\d{4})?$", "2026 hoặc 2025-2026")),
    FieldSpec("money_unit", "Đơn vị tính", "Đơn vị tính của bảng: dong, nghin-dong, trieu-dong (bắt buộc khi có "
              "bảng).", "dong", widget="select", choices=tuple((m.key, m.label) for m in MONEY_UNITS.values())),
    FieldSpec("assigned_date", "Ngày được giao dự toán", "Ngày được giao dự toán.", "2026-01-08", widget="date",
              pattern=_DATE),
    FieldSpec("approved_date", "Ngày phê duyệt quyết toán", "Ngày quyết toán được phê duyệt.", "2026-06-20",
              widget="date", pattern=_DATE),
    FieldSpec("submitted_date", "Ngày gửi báo cáo cấp trên", "Ngày gửi báo cáo lên cấp trên.", "2026-01-20",
              widget="date", pattern=_DATE),
    FieldSpec("columns", "Tên các cột số tiền", "Tên các cột số tiền khi bảng có nhiều cột.",
              "[Dự toán năm 2026, Thực hiện 3 tháng]", widget="list"),
    FieldSpec("table", "Bảng số liệu", "Bảng số liệu: mỗi dòng code, name, amount (hoặc amounts), dòng con trong "
              "lines; dòng tổng phải bằng tổng các dòng con.",
              "\n- code: I\n  name: Dự toán chi ngân sách nhà nước\n  amount: 1200000", widget="objects",
              fields=(FieldSpec("code", "Mã", "", "I"), FieldSpec("name", "Nội dung", "", "", required=True),
                      FieldSpec("amount", "Số tiền", "", "1200000", widget="number"))),
    FieldSpec("table_file", "Tệp bảng số liệu", "Hoặc: bảng trong tệp CSV/XLSX cạnh tệp .md (cột code, name, "
              "parent, rồi các cột số tiền).", "du-toan-2026.csv", widget="file"),
    FieldSpec("nil", "Không phát sinh", "true khi kỳ này không phát sinh số liệu.", "true", widget="boolean"),
)

KIND = Kind(
    folder="tai-chinh",
    label="Công khai tài chính",
    lower="công khai tài chính",
    about="dự toán, tình hình thực hiện dự toán, quyết toán, thu chi năm học, tài trợ",
    fields=FIELDS,
    read=read,
    body="Căn cứ …, [tên đơn vị] công khai … như sau:\n",
    files=files,
    context=context,
    meta=meta,
    badges=badges,
    from_title=from_title,
)
