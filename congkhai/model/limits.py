"""Every resource limit of the portal in one place, so that one careless or hostile file gives a clear
error instead of a hang or an out-of-memory kill. The authoring guide (docs/huong-dan-soan-thao.md,
"Giới hạn") lists the same numbers; only `max_file_mb` can be changed, in mkdocs.yml (read and checked
by congkhai.config):

    extra:
      congkhai:
        max_file_mb: 50
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024

# A document's .md file, a unit's .yml file, and the YAML front matter inside a document.
MAX_DOCUMENT_BYTES = 1 * MB
MAX_UNIT_FILE_BYTES = 256 * 1024
MAX_YAML_BYTES = 256 * 1024
# YAML structure: how deep lists and groups may nest, and how many values a file may hold.
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 50_000
# Rows of a budget table, written in the front matter or in a CSV/XLSX file.
MAX_TABLE_ROWS = 5_000
# Numbers (amounts, indicators): digits before the decimal mark (10^18 đồng is far above any budget).
MAX_NUMBER_DIGITS = 18
# Markdown: how deep lists and quotations may nest, and how long one document may take to render.
MAX_NESTING = 20
MAX_RENDER_SECONDS = 10.0
# Attachments, images and table files: size of one file, and what an Office/OpenDocument file (a zip)
# may unpack to.
DEFAULT_MAX_FILE_MB = 50
MAX_UNPACKED_BYTES = 200 * MB
MAX_UNPACK_RATIO = 100


@dataclass(frozen=True)
class Limits:
    """The limits one build applies (the defaults, with `max_file_mb` from the configuration)."""

    max_file_bytes: int = DEFAULT_MAX_FILE_MB * MB

    @property
    def max_file_mb(self) -> int:
        """Return the file size cap in MB (as authors read it)."""
        return self.max_file_bytes // MB


DEFAULT = Limits()
