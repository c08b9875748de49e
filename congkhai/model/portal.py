"""The validated portal: units and documents loaded, cross-checked and indexed for planning."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .documents import Document, Status, load_unit_documents, unit_folders
from .kind import Kind
from .limits import Limits
from .problems import Problem, Problems, describe, display_path
from .text import format_date
from .units import Units, load_units


@dataclass(frozen=True)
class Portal:
    """Everything the site is planned from. `documents` holds what readers may see: no drafts, and
    nothing whose posting date is after `today`."""

    units: Units
    documents: tuple[Document, ...]
    today: date
    drafts: tuple[Document, ...] = ()
    scheduled: tuple[Document, ...] = ()
    _by_unit: dict[str, list[Document]] = field(default_factory=dict, repr=False, compare=False)
    _by_key: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)
    _replacing: dict[str, list[Document]] = field(default_factory=dict, repr=False, compare=False)
    _within: dict[str, list[Document]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_unit: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            by_unit[doc.unit].append(doc)
            self._by_key[doc.key] = doc
            if doc.superseded_by:
                self._replacing.setdefault(doc.superseded_by, []).append(doc)
        for unit, docs in by_unit.items():
            self._by_unit[unit] = sorted(docs, key=newest_first)

    def document(self, key: str) -> Document | None:
        """Return the visible document at "unit/kind/slug", or None."""
        return self._by_key.get(key)

    def replaced_by(self, key: str) -> list[Document]:
        """Return the visible documents that name the document at `key` as their replacement."""
        return list(self._replacing.get(key, ()))

    def of_unit(self, unit: str, kind: Kind | None = None, current_only: bool = False) -> list[Document]:
        """Return a unit's visible documents (of one kind), newest first."""
        docs = self._by_unit.get(unit, [])
        return [
            d for d in docs
            if (kind is None or d.kind is kind) and (not current_only or d.is_current)
        ]

    def within(self, ancestor: str) -> list[Document]:
        """Return the documents of `ancestor` and of every unit it oversaw on each document's date
        (managed or guided, Units.overseers_on), newest first: a school's 2024 posting belongs to its
        2024 supervisor."""
        if not self._within:
            for doc in self.documents:
                day = doc.date or doc.posted or self.today
                for code in (doc.unit, *self.units.overseers_on(doc.unit, day)):
                    self._within.setdefault(code, []).append(doc)
            for docs in self._within.values():
                docs.sort(key=newest_first)
        return list(self._within.get(ancestor, ()))

    def latest(self, count: int) -> list[Document]:
        """Return the `count` most recently posted current documents of the whole portal."""
        return sorted((d for d in self.documents if d.is_current), key=newest_first)[:count]


def newest_first(doc: Document) -> tuple[int, int, str]:
    """Return the sort key that puts the most recently posted document first (then by address)."""
    posted = doc.posted.toordinal() if doc.posted else 0
    issued = doc.date.toordinal() if doc.date else 0
    return (-posted, -issued, doc.key)


UnitLoader = Callable[[Sequence[Path], Units, date, Limits, Mapping[str, Kind]],
                      list[tuple[list[Document], list[Problem]]]]


def read_folders(folders: Sequence[Path], units: Units, today: date, limits: Limits,
                 kinds: Mapping[str, Kind]) -> list[tuple[list[Document], list[Problem]]]:
    """Return the documents and problems of each unit folder, in turn."""
    found = []
    for folder in folders:
        problems = Problems()
        found.append((load_unit_documents(folder, units, problems, today, limits, kinds), problems.items))
    return found


def load_portal(content: Path, units_dir: Path, today: date, problems: Problems, limits: Limits,
                kinds: Mapping[str, Kind], read: UnitLoader = read_folders) -> Portal:
    """Return the portal read from `content` and `units_dir` (documents of the `kinds` registry),
    recording every problem. `read` loads the unit folders (the build passes one that uses its cache
    and worker processes).
    """
    units = load_units(units_dir, problems)
    documents: list[Document] = []
    for docs, found in read(unit_folders(content, units, problems, units_dir), units, today, limits, kinds):
        documents += docs
        problems.items.extend(found)
    visible = [d for d in documents if d.is_public and d.posted is not None and d.posted <= today]
    drafts = [d for d in documents if d.status is Status.DRAFT]
    scheduled = [d for d in documents if d.is_public and d.posted is not None and d.posted > today]
    _check_references(documents, problems)
    _check_identities(documents, problems)
    return Portal(
        units=units,
        documents=tuple(sorted(visible, key=lambda d: d.key)),
        today=today,
        drafts=tuple(sorted(drafts, key=lambda d: d.key)),
        scheduled=tuple(sorted(scheduled, key=lambda d: d.key)),
    )


def _check_identities(documents: Sequence[Document], problems: Problems) -> None:
    """Record an error for each `id` two documents share: an id, and the feed guids made from it, must
    be unique across the portal."""
    first: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: str(d.source)):
        if not doc.doc_id:
            continue
        other = first.setdefault(doc.doc_id, doc)
        if other is not doc:
            problems.error(doc.source, doc.line("id"), "id",
                           describe(f"mã nhận diện trùng với văn bản {display_path(other.source)}", doc.doc_id,
                                    "Sửa: mỗi văn bản một mã riêng trên toàn cổng (ví dụ thêm mã đơn vị và năm)."))


def _superseding_cycle(doc: Document, by_key: dict[str, Document]) -> list[Document] | None:
    """Return the chain of replacements from `doc` back to itself, or None when it ends."""
    chain = [doc]
    current = doc
    while current.superseded_by:
        current = by_key.get(current.superseded_by.strip("/"))  # type: ignore[assignment]
        if current is None:
            return None
        if current is doc:
            return chain
        if current in chain:
            return None  # a cycle further on: reported for its own members
        chain.append(current)
    return None


def _check_references(documents: Sequence[Document], problems: Problems) -> None:
    by_key = {d.key: d for d in documents}
    for doc in documents:
        if doc.superseded_by:
            target = by_key.get(doc.superseded_by.strip("/"))
            if target is None:
                problems.error(
                    doc.source, doc.line("superseded_by"), "superseded_by",
                    describe("không có văn bản thay thế ở địa chỉ này", doc.superseded_by,
                             "Sửa: ghi '<mã đơn vị>/<loại>/<tên tệp không đuôi .md>' của văn bản mới."),
                )
            elif target.status is Status.DRAFT:
                problems.error(
                    doc.source, doc.line("superseded_by"), "superseded_by",
                    describe("văn bản thay thế vẫn là bản nháp", doc.superseded_by,
                             "Sửa: đăng văn bản mới trước khi đánh dấu văn bản cũ là 'superseded'."),
                )
        cycle = _superseding_cycle(doc, by_key) if doc.superseded_by else None
        if cycle:
            problems.error(doc.source, doc.line("superseded_by"), "superseded_by",
                           describe("các văn bản thay thế lẫn nhau thành vòng: " + " → ".join(
                               d.key for d in [*cycle, doc]), doc.superseded_by,
                               "Sửa: văn bản mới nhất không ghi 'superseded_by'; mỗi văn bản cũ trỏ tới văn bản thay nó."))
        for change in doc.changes:
            if doc.date and change.date < doc.date:
                problems.warning(
                    doc.source, doc.line("changes"), "changes",
                    describe(f"ngày thay đổi trước ngày ban hành ({format_date(doc.date)})", change.date.isoformat()),
                )
