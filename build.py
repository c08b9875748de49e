#!/usr/bin/env python3
"""Build the transparency portal: `python build.py [build|check|...] --help`."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from congkhai.cli import main  # noqa: E402

if __name__ == "__main__":
    code = main(replaceable=True)
    # Every file is written and every line printed by now: end without tearing down the interpreter's
    # heap one object at a time, which after a large build takes longer than a small rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
