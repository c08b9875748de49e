from pathlib import Path


def setup(root: Path) -> None:
    here = root / "content/thcs-a/tin-tuc"
    with (here / "ky-yeu.pdf").open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(5 * 512 * 1024)
    with (here / "anh-hoi-nghi.png").open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(3 * 1024 * 1024)
