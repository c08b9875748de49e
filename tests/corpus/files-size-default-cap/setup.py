from pathlib import Path


def setup(root: Path) -> None:
    path = root / "content/thcs-a/ke-hoach/ban-scan.pdf"
    with path.open("wb") as handle:  # sparse: 51 MB on paper, almost nothing on disk
        handle.write(b"%PDF-1.4\n")
        handle.truncate(51 * 1024 * 1024)
