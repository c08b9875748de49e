"""The regression corpus: bad inputs, each with the exact messages the command line prints for it.

Each folder of tests/corpus/ is one case:

- `units/`, `content/`: the inputs (as many as the case needs);
- `setup.py` (optional): `setup(root)` makes what git cannot hold or should not (a 20 MB file,
  100,000 rows, a symlink, a named pipe);
- `mkdocs-extra.yml` (optional): the `extra:` section of the configuration the case runs with;
- `command.txt` (optional): the command and its options, `check` when absent;
- `expected.txt`: every line printed, then `exit: N`.

After an intended change to a message, regenerate the expected files, then read every diff:

    python tests/test_corpus.py --regenerate [CASE…]
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import Site  # noqa: E402

CORPUS = HERE / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
_SECONDS = re.compile(r"trong \d+\.\d giây")


def run_case(name: str, root: Path) -> str:
    """Copy case `name` to `root`, run its command there, and return what it printed and its exit code."""
    case = CORPUS / name
    for part in ("units", "content"):
        if (case / part).exists():
            shutil.copytree(case / part, root / part, symlinks=True)
    (root / "units").mkdir(exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    if (case / "setup.py").exists():
        spec = importlib.util.spec_from_file_location(f"corpus_{name.replace('-', '_')}", case / "setup.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.setup(root)
    site = Site(root)
    extra = case / "mkdocs-extra.yml"
    config = site.config(drop=("extra",), add=extra.read_text(encoding="utf-8")) if extra.exists() else site.config()
    command = (case / "command.txt").read_text(encoding="utf-8").split() if (case / "command.txt").exists() else ["check"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = site.run(*command, config=config)
    lines = [_SECONDS.sub("trong … giây", line) for line in printed.getvalue().splitlines()]
    return "\n".join(lines + [f"exit: {code}"]) + "\n"


@pytest.mark.parametrize("name", CASES)
def test_corpus_case_prints_exactly_the_expected_messages(name: str, tmp_path: Path) -> None:
    expected = (CORPUS / name / "expected.txt").read_text(encoding="utf-8")
    assert run_case(name, tmp_path) == expected


def test_the_corpus_covers_every_hardening_case() -> None:
    covered = {name.split("-", 1)[0] for name in CASES}
    assert covered >= {"sanitize", "files", "table", "markdown", "yaml", "links", "output", "config"}


if __name__ == "__main__" and "--regenerate" in sys.argv:
    import tempfile
    from contextlib import chdir

    wanted = [a for a in sys.argv[1:] if not a.startswith("--")] or CASES
    for name in wanted:
        with tempfile.TemporaryDirectory() as scratch, chdir(scratch):
            text = run_case(name, Path(scratch))
        (CORPUS / name / "expected.txt").write_text(text, encoding="utf-8")
        print(f"--- {name}\n{text}")
