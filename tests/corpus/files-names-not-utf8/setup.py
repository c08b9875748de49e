"""File and folder names whose bytes are not UTF-8 (found by the fuzz test: printing them crashed)."""

import os
from pathlib import Path


def setup(root: Path) -> None:
    content = os.fsencode(root / "content")
    os.makedirs(content + b"/a\xff/ke-hoach")
    os.makedirs(content + b"/thcs-a/ke-hoach")
    with open(content + b"/thcs-a/ke-hoach/t\xe9p.md", "wb") as handle:
        handle.write("---\ntitle: Kế hoạch\ndate: 2025-03-01\nattachments:\n  - file: \"t\\xe9p.pdf\"\n---\nx\n".encode())
