from pathlib import Path

import openpyxl


def _front_matter_rows(path: Path, count: int) -> None:
    text = path.read_text(encoding="utf-8")
    rows = "".join(f"  - {{name: D{i}, amount: 1}}\n" for i in range(count))
    path.write_text(text.replace("table:\n", "table:\n" + rows), encoding="utf-8")


def setup(root: Path) -> None:
    here = root / "content/thcs-a/tai-chinh"
    lines = ["code,name,parent,Số tiền"] + [f"{i},Dòng {i},,1" for i in range(100_000)]
    (here / "bang-100000-dong.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["code", "name", "parent", "Số tiền"])
    for i in range(6000):  # the reader stops at the limit: more rows would only slow the test
        sheet.append([str(i), f"Dòng {i}", "", 1])
    book.save(here / "bang-100000-dong.xlsx")
    _front_matter_rows(here / "thuc-hien-q1.md", 100_000)  # past the size of a front matter
    _front_matter_rows(here / "thuc-hien-q2.md", 5_001)  # within the size, past the rows
    _front_matter_rows(here / "thuc-hien-q3.md", 12_000)  # a file within its size, a front matter past its
