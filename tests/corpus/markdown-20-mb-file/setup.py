from pathlib import Path


def setup(root: Path) -> None:
    path = root / "content/thcs-a/ke-hoach/ke-hoach-2025.md"
    paragraph = "Nội dung kế hoạch được chép nhiều lần để thành một tệp rất lớn.\n\n"
    with path.open("a", encoding="utf-8") as handle:
        for _ in range(20 * 1024 * 1024 // len(paragraph.encode()) + 1):
            handle.write(paragraph)
