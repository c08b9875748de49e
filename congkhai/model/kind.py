"""What a document kind is: one entry of the registry in `congkhai.kinds`, holding everything the
stages ask about it — its front-matter fields (with the Vietnamese label, meaning, example, widget
and rules the scaffold, the web editor and the guide show), the reader that validates them, the
files and page data it publishes, the badges and banner its documents carry, and how its listing is
grouped. The stages never test for a particular kind: they ask the entry.

May import: the rest of the model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .documents import Document
    from .fields import ReadContext, Reader

# How a field is filled in (the web editor's widget; the scaffold's example shape).
WIDGETS = ("string", "text", "date", "number", "boolean", "select", "list", "object", "objects", "file")


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: what it is called and means, an example, and how it is filled in.

    `required` is True (always), False, or "published" (required unless the document is a draft).
    `pattern` is a regular expression the value must match, with the message shown otherwise.
    """

    name: str
    label: str
    comment: str
    example: str
    widget: str = "string"
    required: bool | str = False
    pattern: tuple[str, str] | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, Vietnamese label) for a select
    fields: tuple[FieldSpec, ...] = ()  # sub-fields of an object, or of each item of a list of objects


@dataclass(frozen=True)
class KindFile:
    """A file a kind publishes with a document besides its attachments: copied from `source` or made
    (`content`), at `name` next to the document's page."""

    name: str
    source: Path | None = None
    content: bytes | None = None


@dataclass(frozen=True)
class Badge:
    """A short mark shown with a document in listings, search results and its page ("Đã hết hiệu lực")."""

    text: str
    tone: str = "muted"  # muted, warn, danger


@dataclass(frozen=True)
class Banner:
    """A notice at the top of a document's page (a notice whose validity has passed, say)."""

    title: str
    text: str
    tone: str = "note"  # an admonition type: note, warning, danger


KindReader = Callable[["Reader", "ReadContext"], Any]


def _nothing(*_: Any) -> Any:
    return None


def _no_list(*_: Any) -> list[Any]:
    return []


def _no_mapping(*_: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of posting. Instances are compared by identity and pickled by their folder name."""

    folder: str  # the folder under content/<unit>/ and the address part: "ke-hoach"
    label: str  # "Kế hoạch"
    lower: str  # "kế hoạch", inside a sentence
    about: str  # one line for the guide and the editor: what a unit posts under this kind
    fields: tuple[FieldSpec, ...] = ()  # its own fields, after the core ones
    read: KindReader | None = None  # validates its own fields into `details`
    body: str = ""  # the body of a new document (`new`)
    files: Callable[[Document], list[KindFile]] = _no_list  # published files besides attachments
    context: Callable[[Document], dict[str, Any]] = _no_mapping  # what its page template needs
    badges: Callable[[Document, date], list[Badge]] = _no_list
    banner: Callable[[Document, date], Banner | None] = _nothing
    groups: Callable[[Sequence[Document]], list[tuple[str, list[Document]]]] | None = None  # listing sections
    search_text: Callable[[Document], list[str]] = _no_list  # extra words a search finds it by
    meta: Callable[[Document], list[str]] = _no_list  # short facts after the date in listings
    facts: Callable[[Document, date], list[tuple[str, str, Badge | None]]] = _no_list  # (label, value, badge) rows
    from_title: Callable[[str], dict[str, object]] = _no_mapping  # fields `import` can guess from a title
    extra: dict[str, Any] = field(default_factory=dict)  # anything only this kind's own code reads

    @property
    def guide_heading(self) -> str:
        """Return the heading of the kind's section in the authoring guide (docs/huong-dan-soan-thao.md)."""
        return f"{self.label} (`{self.folder}`)"

    @property
    def template(self) -> str:
        """Return the page template of the kind's own part (site/templates/kinds/<folder>.html)."""
        return f"kinds/{self.folder}.html"

    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    def __reduce__(self) -> tuple[Callable[[str], Kind], tuple[str]]:
        return (kind_named, (self.folder,))

    def __repr__(self) -> str:
        return f"Kind({self.folder!r})"


def kind_named(folder: str) -> Kind:
    """Return the registered kind with `folder` (how a pickled document finds its kind again)."""
    registry = importlib.import_module("congkhai.kinds")  # the registry sits above the model
    return registry.by_folder(folder)
