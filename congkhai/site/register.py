"""The register of everything published (/data/documents.json and .csv), for scripts and audits."""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..model.documents import Document
from ..model.portal import Portal
from ..model.text import csv_text
from . import urls

CSV_COLUMNS = (
    "unit", "unit_name", "kind", "title", "number", "date", "published", "status", "obligation", "period",
    "url", "guid", "withdrawn_date", "withdrawn_reason", "superseded_by", "attachments",
)


def record(doc: Document, portal: Portal, site_url: str | None) -> dict[str, Any]:
    """Return one document as a register entry (plain JSON types, dates as YYYY-MM-DD)."""
    url = urls.document_url(doc.unit, doc.kind.folder, doc.slug)
    link = (lambda u: urls.absolute(site_url, u)) if site_url else (lambda u: "/" + u)
    unit = portal.units[doc.unit]
    return {
        "unit": doc.unit,
        "unit_name": unit.name_on(doc.date or doc.posted),
        "kind": doc.kind.folder,
        "title": doc.title,
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "published": doc.posted.isoformat(),
        "status": doc.status.value,
        "obligation": doc.obligation,
        "period": doc.period.key if doc.period else None,
        "url": link(url),
        "guid": doc.guid,
        "withdrawn_date": doc.withdrawn.date.isoformat() if doc.withdrawn else None,
        "withdrawn_reason": doc.withdrawn.reason if doc.withdrawn else None,
        "superseded_by": doc.superseded_by,
        "signer": {"name": doc.signer.name, "title": doc.signer.title, "authority": doc.signer.authority}
        if doc.signer else None,
        "attachments": [
            {"title": a.title, "url": link(urls.attachment_url(doc.unit, doc.kind.folder, doc.slug, a.file.name)),
             "bytes": a.file.size, "type": a.file.type.mime}
            for a in doc.attachments
        ],
    }


def register_order(record: dict[str, Any]) -> str:
    """Return the key that orders register records by address ("unit/kind/slug")."""
    return record["url"].rstrip("/")


def csv_row(record: dict[str, Any]) -> str:
    """Return one record as a line of the CSV register."""
    out = io.StringIO()
    row = dict(record, attachments=" | ".join(a["url"] for a in record["attachments"]))
    csv.writer(out, lineterminator="\r\n").writerow([csv_text(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def register_lines(records: Iterable[dict[str, Any]]) -> bytes:
    """Return a part's register records, in the order of `register_order`, as lines kept aside until
    the register is written: each its order, JSON line and CSV line (see `write_register`)."""
    ordered = sorted(records, key=register_order)
    return "".join(json.dumps([register_order(r), json_text(r), csv_row(r)]) + "\n" for r in ordered).encode()


def read_lines(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield the records `register_lines` wrote to `path`, one at a time."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            order, text, row = json.loads(line)
            yield order, text, row


def write_register(parts: Iterable[Iterable[tuple[str, str, str]]], count: int, today: date, root: Path) -> None:
    """Write /data/documents.json and /data/documents.csv from every visible document's record, withdrawn
    ones included: `count` records in all, each part's already in order (`register_lines`), merged
    as they are read (the register of a province is never held whole)."""
    target = root / "data"
    target.mkdir(parents=True, exist_ok=True)
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(CSV_COLUMNS)
    # One document per line: easy to read, to diff and to stream, and fast to write.
    with (root / urls.REGISTER_JSON).open("w", encoding="utf-8", newline="") as document, \
            (root / urls.REGISTER_CSV).open("wb") as table:
        document.write(f'{{"count": {count}, "documents": [\n')
        table.write(b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
        written = 0
        for _, text, row in heapq.merge(*parts):
            document.write(",\n" + text if written else text)
            table.write(row.encode("utf-8"))
            written += 1
        document.write(f'\n], "generated_on": "{today.isoformat()}"}}\n')
    if written != count:
        raise ValueError(f"register: {written} records read, {count} expected")


def json_text(payload: object) -> str:
    """Return `payload` as one line of JSON with '<', '>' and '&' written as \\u escapes: the same
    data, but no browser that sniffs the file can find markup in it."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
