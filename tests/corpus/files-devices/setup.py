import os
from pathlib import Path


def setup(root: Path) -> None:
    here = root / "content/thcs-a/ke-hoach"
    os.symlink("/dev/zero", here / "so-khong.pdf")
    os.mkfifo(here / "ong.pdf")
