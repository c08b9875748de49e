"""The register of everything published (/data/documents.json and .csv), for scripts and audits."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
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


def write_register(records: Iterable[tuple[str, str, str]], today: date, root: Path) -> None:
    """Write /data/documents.json and /data/documents.csv from every visible document's record, withdrawn
    ones included, as (order, JSON line, CSV line) made by `register_order`, `json_text` and `csv_row`."""
    ordered = sorted(records)
    target = root / "data"
    target.mkdir(parents=True, exist_ok=True)
    # One document per line: easy to read, to diff and to stream, and fast to write.
    (root / urls.REGISTER_JSON).write_text(
        f'{{"count": {len(ordered)}, "documents": [\n' + ",\n".join(line for _, line, _ in ordered)
        + f'\n], "generated_on": "{today.isoformat()}"}}\n',
        encoding="utf-8",
    )
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(CSV_COLUMNS)
    text = header.getvalue() + "".join(row for _, _, row in ordered)
    (root / urls.REGISTER_CSV).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def json_text(payload: object) -> str:
    """Return `payload` as one line of JSON with '<', '>' and '&' written as \\u escapes: the same
    data, but no browser that sniffs the file can find markup in it."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
