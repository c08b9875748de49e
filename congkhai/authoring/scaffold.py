"""Writing front matter for people: every field of a kind with a Vietnamese comment (`new`), and the
fields an import found, followed by the ones it left for the person to fill (`import`).

Every field's meaning and example come from its FieldSpec (model.documents.CORE_SPECS and each kind's
`fields` in the registry, congkhai.kinds), the same specifications the loader checks and the web
editor's forms are made from, so a new field cannot be left out of the templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from ..kinds import REGISTRY
from ..model.documents import CORE_SPECS
from ..model.kind import FieldSpec, Kind


def field_specs(kind: Kind) -> tuple[FieldSpec, ...]:
    """Return every front-matter field a document of `kind` accepts, in template order."""
    return CORE_SPECS + kind.fields


def kind_fields(kind: Kind) -> tuple[str, ...]:
    """Return the names of every front-matter field a document of `kind` accepts, in template order."""
    return tuple(spec.name for spec in field_specs(kind))


def _spec(kind: Kind, name: str) -> FieldSpec:
    return next(spec for spec in field_specs(kind) if spec.name == name)


def scalar(value: str) -> str:
    """Return `value` as a one-line YAML scalar, quoted only when YAML needs it ('Lưu: VT.')."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style=None)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def render_value(name: str, value: object) -> list[str]:
    """Return the YAML lines of one field (text, date string, list of texts, or mapping of texts)."""
    if isinstance(value, Mapping):
        return [f"{name}:"] + [f"  {key}: {scalar(str(item))}" for key, item in value.items() if item]
    if isinstance(value, (list, tuple)):
        lines = [f"{name}:"]
        for item in value:
            if isinstance(item, Mapping):
                pairs = [(k, v) for k, v in item.items() if v]
                for position, (key, item_value) in enumerate(pairs):
                    lines.append(("- " if position == 0 else "  ") + f"{key}: {scalar(str(item_value))}")
            else:
                lines.append(f"- {scalar(str(item))}")
        return lines
    if value == "":
        return [f"{name}: ''"]
    return [f"{name}: {value if _is_iso_date(value) else scalar(str(value))}"]


def _is_iso_date(value: object) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def comment_block(kind: Kind, name: str) -> list[str]:
    """Return a field as commented lines: its meaning ("# …"), then an example to uncomment ("#name: …")."""
    doc = _spec(kind, name)
    lines = [f"# ({name}) {doc.comment}"]
    if doc.example.startswith("\n"):
        lines.append(f"#{name}:")
        lines.extend("#" + line for line in doc.example[1:].split("\n"))
    else:
        lines.append(f"#{name}: {doc.example}")
    return lines


def front_matter(kind: Kind, values: Mapping[str, object], intro: Iterable[str] = (),
                 always: tuple[str, ...] = ()) -> str:
    """Return a front matter ("---" … "---\\n"): `values` written out, each after its comment (the
    fields in `always` even when empty), then every other field of `kind` as a commented example."""
    lines = ["---", *(f"# {line}" if line else "#" for line in intro)]
    written = []
    for name in kind_fields(kind):
        value = values.get(name)
        if value in (None, "", [], ()) and name not in always:
            continue
        lines.append(f"# ({name}) {_spec(kind, name).comment}")
        lines.extend(render_value(name, value if value not in (None,) else ""))
        written.append(name)
    others = [name for name in kind_fields(kind) if name not in written]
    if others:
        lines.append("#")
        lines.append("# Các trường khác: muốn dùng trường nào, xóa dấu '#' ở đầu các dòng mẫu của trường đó")
        lines.append("# (dòng '#tên: …' và các dòng '#  …' ngay dưới nó).")
        for name in others:
            lines.extend(comment_block(kind, name))
    lines.append("---")
    return "\n".join(lines) + "\n"


def blank_document(kind: Kind, unit_name: str, title: str | None) -> str:
    """Return a new document of `kind`: a draft with every field of the kind explained."""
    intro = [
        f"Văn bản mới ({kind.lower}) của {unit_name}.",
        "Dòng bắt đầu bằng '#' là ghi chú, công cụ bỏ qua. Hướng dẫn: docs/huong-dan-soan-thao.md",
        "Kiểm tra: python build.py check; xem trước khi soạn: python build.py serve",
        "",
    ]
    values: dict[str, object] = {"title": title or "", "status": "draft"}
    return front_matter(kind, values, intro, always=("title",)) + "\n" + kind.body


class NewDocumentError(Exception):
    """`new` cannot create the file: the message (Vietnamese) and the exit status (2 usage)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def create_document(kind: str, unit: str, title: str | None, content: Path, units_dir: Path) -> str:
    """Write a new draft of `kind` for `unit` under `content` (never over an existing file); return
    its path as printed. Raises NewDocumentError."""
    from ..model.problems import Problems, display_path
    from ..model.text import slugify
    from ..model.units import load_units

    doc_kind = REGISTRY.get(kind)
    if doc_kind is None:
        raise NewDocumentError(f"loại văn bản không hợp lệ '{kind}'. Sửa: dùng một trong: {', '.join(REGISTRY)}.")
    units = load_units(units_dir, Problems())
    if unit not in units:
        codes = ", ".join(units) or "(chưa có đơn vị nào)"
        raise NewDocumentError(f"không có đơn vị '{unit}' trong {display_path(units_dir)}/. Các mã đơn vị: {codes}.")
    folder = content / unit / doc_kind.folder
    stem = (slugify(title)[:60].rsplit("-", 1)[0] if len(slugify(title or "")) > 60 else slugify(title or "")) \
        or f"{doc_kind.folder}-moi"
    path = folder / f"{stem}.md"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.md"
        number += 1
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(blank_document(doc_kind, units[unit].name, title), encoding="utf-8")
    return display_path(path)
