import zipfile
from pathlib import Path


def setup(root: Path) -> None:
    path = root / "content/thcs-a/ke-hoach/phu-luc.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(210):
                part.write(block)
