from pathlib import Path


def setup(root: Path) -> None:
    (root / "site").mkdir()
    (root / "site" / "ghi-chu.txt").write_text("tệp của người dùng", encoding="utf-8")
