import os
from pathlib import Path


def setup(root: Path) -> None:
    here = root / "content/thcs-a/ke-hoach"
    os.symlink("../../thcs-b/ke-hoach/cua-truong-khac.pdf", here / "lien-ket-ra-ngoai.pdf")
    (here / "thu-muc.pdf").mkdir()
    (root / "content/thcs-b/ke-hoach/ke-hoach-b.md").write_text(
        "---\ntitle: Kế hoạch của trường khác\ndate: 2025-09-05\n---\nNội dung.\n", encoding="utf-8")
    os.symlink("../../thcs-b/ke-hoach/ke-hoach-b.md", here / "van-ban-lien-ket.md")
