import os
from pathlib import Path


def setup(root: Path) -> None:
    os.symlink("../../thcs-b/tai-chinh/bang.csv", root / "content/thcs-a/tai-chinh/bang-lien-ket.csv")
