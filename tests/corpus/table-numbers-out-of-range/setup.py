"""Numbers a spreadsheet or a front matter can hold and a budget cannot: 22, 300 or 5000 digits (found
by hand after the fuzz test: an amount of more than 4300 digits crashed check, Python refuses to print it)."""

from pathlib import Path

import openpyxl


def setup(root: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "parent", "Số tiền"])
    sheet.append(["1", "Tổng", "", 1e300])
    sheet.append(["2", "Dòng", "1", "1" + "0" * 5000])
    sheet.append(["3", "Dòng", "1", 5])
    book.save(root / "content/thcs-a/tai-chinh/bang.xlsx")
