#!/usr/bin/env python3
"""Build the transparency portal: `python build.py [build|check|...] --help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from congkhai.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
