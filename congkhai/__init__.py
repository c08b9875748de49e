"""congkhai: a static site generator for the public-posting portals of Vietnamese schools."""

__version__ = "0.1.0"

from pathlib import Path

# The authoring guide that ships with the project, also published on the portal at /huong-dan/.
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "huong-dan-soan-thao.md"
