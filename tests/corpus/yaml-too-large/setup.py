from pathlib import Path


def _doc(root: Path, name: str, front: str) -> None:
    path = root / "content/thcs-a/ke-hoach" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + front + "---\nNội dung.\n", encoding="utf-8")


def setup(root: Path) -> None:
    head = "title: Kế hoạch\ndate: 2025-09-05\n"
    _doc(root, "phan-dau-300-kb.md", head + "description: " + "Mô tả rất dài. " * 20_000 + "\n")
    _doc(root, "60000-gia-tri.md", head + "tags: [" + ", ".join(["a"] * 60_000) + "]\n")
    (root / "units/thcs-b.yml").write_text(
        "code: thcs-b\nname: Trường Bình Minh\nkind: thcs\nparent: so-gd\ndescription: " + "x" * 300_000 + "\n",
        encoding="utf-8")
