"""Links between documents: a `basis` line that cites a document the portal has becomes a link, and
each cited document lists the documents written under it ("Các văn bản thực hiện")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .documents import Document
from .text import fold
from .units import Units

NUMBER_IN_TEXT = re.compile(r"(?<![\w/])(\d+(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9&]*(?:-[A-Za-zĐđ0-9&.]*[A-Za-zĐđ0-9&])+)")
DATE_IN_TEXT = re.compile(
    r"ngày\s+(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]|tháng\s+(\d{1,2})\s+năm)\s*(\d{4})", re.IGNORECASE
)


@dataclass(frozen=True)
class Citation:
    """One `basis` line and the portal document it names, when found."""

    text: str
    target: Document | None


@dataclass
class References:
    """Every document's resolved basis, and the reverse index."""

    basis: dict[str, list[Citation]] = field(default_factory=dict)
    cited_by: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))

    def of(self, doc: Document) -> list[Citation]:
        """Return the document's basis lines, linked where possible."""
        return self.basis.get(doc.key, [Citation(t, None) for t in doc.basis])

    def implementing(self, doc: Document) -> list[Document]:
        """Return the documents that cite `doc`, ordered by unit then date."""
        return self.cited_by.get(doc.key, [])


def cited_number(text: str) -> tuple[str | None, int | None]:
    """Return the first document number in a citation and the year of its date ("ngày 24/02/2023")."""
    number = NUMBER_IN_TEXT.search(text)
    when = DATE_IN_TEXT.search(text)
    year = int(when.group(4)) if when else None
    if number and year is None:
        explicit = re.match(r"\d+/(\d{4})/", number.group(1))
        year = int(explicit.group(1)) if explicit else None
    return (number.group(1) if number else None), year


def resolve(documents: Iterable[Document], units: Units) -> References:
    """Return the links between `documents`: match each citation on number, year and issuer."""
    docs = list(documents)
    by_number: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.number:
            by_number[doc.number].append(doc)
    refs = References()
    for doc in docs:
        citations = []
        for text in doc.basis:
            target = _match(text, by_number, units, doc)
            citations.append(Citation(text, target))
            if target is not None:
                refs.cited_by[target.key].append(doc)
        refs.basis[doc.key] = citations
    for key, citing in refs.cited_by.items():
        refs.cited_by[key] = sorted(set(citing), key=lambda d: (d.unit, d.date or d.posted, d.key))
    return refs


def _match(text: str, by_number: dict[str, list[Document]], units: Units, citing: Document) -> Document | None:
    number, year = cited_number(text)
    if number is None:
        return None
    candidates = [
        d for d in by_number.get(number, [])
        if d is not citing and (year is None or (d.date is not None and d.date.year == year))
    ]
    if len(candidates) > 1:
        folded = fold(text).lower()
        named = [d for d in candidates if any(fold(n).lower() in folded for n in _names(units, d.unit))]
        candidates = named
    return candidates[0] if len(candidates) == 1 else None


def _names(units: Units, code: str) -> list[str]:
    unit = units[code]
    return [unit.name, *([unit.short_name] if unit.short_name else []), *(n.name for n in unit.former_names)]
