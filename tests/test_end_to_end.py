"""End to end: build a small fixture portal and compare every output file with the expected tree.

The expected tree is tests/expected/mini.json ({path: sha256}) of the project's own output: the theme's
assets (Material's scripts, styles, icons and fonts) and the web editor's Decap CMS files are not in
it, but checked to be the installed files unchanged, so upgrading Material or Decap does not rewrite
the golden file. After an intended
change to the output, regenerate it with:

    python tests/test_end_to_end.py --regenerate
"""

from __future__ import annotations

import json
import shutil
import sys
from contextlib import chdir
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import CONFIG, tree_digest  # noqa: E402

from congkhai import cli  # noqa: E402

FIXTURE = HERE / "fixtures" / "mini"
EXPECTED = HERE / "expected" / "mini.json"
ON = "2026-11-22"


def build_fixture(root: Path) -> Path:
    """Copy the fixture to `root`, build it there, and return the output folder."""
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    with chdir(root):
        assert cli.main(["build", "--config", str(CONFIG), "--on", ON, "--out", "site"]) == 0
    return root / "site"


def theme_assets() -> dict[str, Path]:
    """Return the installed Material theme's asset files, by the site address they are copied to."""
    import material

    root = Path(material.__file__).parent / "templates"
    return {p.relative_to(root).as_posix(): p for p in (root / "assets").rglob("*") if p.is_file()}


def decap_files() -> dict[str, Path]:
    """Return the files of Decap CMS (npm) the web editor loads, by the site address they are copied to."""
    from congkhai.build.admin import find_decap
    from congkhai.site.admin import ADMIN, vendor_folder

    decap = find_decap()
    assert decap is not None, "chưa cài Decap CMS: npm ci --ignore-scripts --no-audit --no-fund"
    return {ADMIN + vendor_folder(decap.version) + name: path for name, path in decap.files}


def own_digest(site: Path) -> dict[str, str]:
    """Return the digest of the site's own files; the theme's assets and Decap CMS's files must be the
    installed ones, byte for byte."""
    theme = theme_assets() | decap_files()
    digest = tree_digest(site)
    for rel in [r for r in digest if r in theme]:
        assert (site / rel).read_bytes() == theme[rel].read_bytes(), rel
        del digest[rel]
    return digest


def test_fixture_portal_matches_the_expected_tree(tmp_path: Path) -> None:
    digest = own_digest(build_fixture(tmp_path))
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    missing = sorted(set(expected) - set(digest))
    extra = sorted(set(digest) - set(expected))
    changed = sorted(p for p in set(expected) & set(digest) if expected[p] != digest[p])
    assert (missing, extra, changed) == ([], [], []), "regenerate with: python tests/test_end_to_end.py --regenerate"


if __name__ == "__main__" and "--regenerate" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        digest = own_digest(build_fixture(Path(scratch)))
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(digest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{EXPECTED}: {len(digest)} tệp")
