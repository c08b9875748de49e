"""congkhai: a static site generator for the public-posting portals of Vietnamese schools."""

__version__ = "0.1.0"
