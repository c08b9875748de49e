"""The web editor at /quan-tri/ (Decap CMS): its configuration, made from the kind registry and the
units, and its own small files (the page, the script that starts Decap, the editor's styles).

Every form is made from the FieldSpecs the loader checks (model.documents.CORE_SPECS and each kind's
`fields`): one collection per unit and kind, each field with its Vietnamese label, hint, widget,
required flag and pattern. Adding a kind or a field changes the editor with no edit here. A field
required only once the document is published ("published") cannot be said in Decap's terms; the
page's script checks it before saving (`published_required`), and the validator judges in the end.

The configuration is written once per kind, with the unit left as a placeholder (UNIT_CODE,
UNIT_NAME) that the page's script fills in for each unit it shows (all of them, or those in
`?don-vi=` of the address): a province's thousand units do not make a thousand copies of the forms.
`collection(kind, unit)` is the same substitution done here, for the tests and the local editor.

Decap's own files are not made here: the build copies them from node_modules (build.admin).

May import: config, rules, kinds and model.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import EditorSettings
from ..kinds import KINDS
from ..model.documents import CORE_SPECS
from ..model.kind import FieldSpec, Kind
from ..model.units import Unit, unit_order
from ..rules.obligations import Rules
from .audit import admin_content_security_policy

ADMIN = "quan-tri/"
CONFIG_FILE = "cau-hinh.json"
UNIT_CODE = "@don-vi@"  # placeholders in the collections, filled in by quan-tri.js for each unit
UNIT_NAME = "@ten-don-vi@"
FILES = Path(__file__).resolve().parent / "admin_files"
OWN_FILES = ("khoi-dong.js", "quan-tri.js", "quan-tri.css", "xem-truoc.css")
# Uploads from Decap's own media library (the "Tệp" button, hidden by quan-tri.css) land in a folder
# the portal never reads (names starting with "." are skipped); attachments go next to their document.
SPARE_MEDIA = ".tai-len"
PUBLISHED_REQUIRED = "bắt buộc khi đăng"
BODY_HINT = ("Nội dung văn bản (Markdown). Đề mục, danh sách, bảng và chữ đậm dùng được; không dán mã HTML, "
             "script hay khung nhúng.")
# Decap's name for each widget of a FieldSpec (model.kind.WIDGETS).
DATE_FIELD = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False,
              "picker_utc": False}


@dataclass(frozen=True)
class AdminInputs:
    """What the editor's configuration is made from."""

    site_name: str
    content: str  # the content folder, relative to the repository's root ("content")
    units: Sequence[Unit]
    rules: Rules = field(default_factory=Rules)
    editor: EditorSettings = field(default_factory=EditorSettings)
    site_url: str | None = None
    vendor: str = ""  # the folder of Decap's files under quan-tri/ ("decap-3.16.3/")


def editor_field(spec: FieldSpec, choices: Sequence[tuple[str, str]] = (), in_object: bool = False) -> dict[str, Any]:
    """Return the Decap field of one front-matter field (its sub-fields too); `choices` replace the
    spec's own for a select (obligations come from the rules, not from the registry).

    Decap checks the required sub-fields of an object even when the object is left empty, so inside
    an object (`in_object`) nothing is required by the form: the validator asks for them when the
    object is filled in."""
    required = spec.required is True and not in_object
    made: dict[str, Any] = {"name": spec.name, "label": spec.label, "required": required}
    if spec.required == "published":  # Decap's "(không bắt buộc)" is hidden for these (quan-tri.js)
        made["label"] = f"{spec.label} ({PUBLISHED_REQUIRED})"
    hint = spec.comment.strip()
    if in_object and spec.required is True:
        hint = (hint + " " if hint else "") + "Bắt buộc khi điền mục này."
    made["hint"] = f"{hint} Tên trường: {spec.name}." if hint else f"Tên trường: {spec.name}."
    options = choices or spec.choices
    if options:
        made.update(widget="select", options=[{"label": label, "value": value} for value, label in options])
    elif spec.widget == "date":
        made.update(DATE_FIELD)
    elif spec.widget == "number":
        made.update(widget="number", value_type="float")
    elif spec.widget == "list":
        made.update(widget="list", field={"name": spec.name, "label": spec.label, "widget": "string"})
    elif spec.widget in ("object", "objects"):
        made.update(widget="object" if spec.widget == "object" else "list", collapsed=spec.widget == "object",
                    fields=[editor_field(sub, in_object=spec.widget == "object") for sub in spec.fields])
        if spec.widget == "objects":
            made["summary"] = "{{fields." + spec.fields[0].name + "}}"
    elif spec.widget == "file":
        made.update(widget="file", choose_url=False)
    else:
        made["widget"] = spec.widget  # string, text, boolean
    if spec.pattern and spec.widget not in ("date", "select"):
        made["pattern"] = list(spec.pattern)
    return made


def kind_collection(kind: Kind, content: str, rules: Rules = Rules()) -> dict[str, Any]:
    """Return the collection of one kind, for the unit UNIT_CODE (named UNIT_NAME)."""
    obligations = tuple((rule.id, f"{rule.short or rule.title} ({rule.id})") for rule in rules
                        if kind in rule.fulfilled_by.kinds)
    fields = [editor_field(spec, obligations if spec.name == "obligation" and obligations else ())
              for spec in CORE_SPECS + kind.fields]
    for made in fields:
        if made["name"] == "status":  # a new document starts as the project's draft (not on the portal)
            made["default"] = "draft"
    fields.append({"name": "body", "label": "Nội dung", "widget": "markdown", "required": False, "hint": BODY_HINT,
                   "editor_components": []})
    return {
        "name": f"{UNIT_CODE}__{kind.folder}",
        "label": f"{kind.label} – {UNIT_NAME}",
        "label_singular": kind.lower,
        "description": f"{kind.label} của {UNIT_NAME}: {kind.about}",
        "folder": f"{content}/{UNIT_CODE}/{kind.folder}",
        "create": True,
        "delete": False,  # a published document is withdrawn (status), never deleted: readers keep its address
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "media_folder": "",  # attachments next to the document, written as their bare file name
        "public_folder": "",
        "summary": "{{title}}",
        "sortable_fields": ["date", "title"],
        "fields": fields,
    }


def published_required(kind: Kind) -> list[dict[str, str]]:
    """Return the fields of `kind` required once the document is not a draft: [{name, label}]."""
    return [{"name": spec.name, "label": spec.label} for spec in CORE_SPECS + kind.fields
            if spec.required == "published"]


def fill_unit(template: Any, unit: Unit) -> Any:
    """Return `template` (a collection) for `unit`: the placeholders replaced, as quan-tri.js does."""
    text = json.dumps(template, ensure_ascii=False)
    name = json.dumps(unit.display_name, ensure_ascii=False)[1:-1]
    return json.loads(text.replace(UNIT_CODE, unit.code).replace(UNIT_NAME, name))


def collection(kind: Kind, unit: Unit, content: str = "content", rules: Rules = Rules()) -> dict[str, Any]:
    """Return the collection of `kind` for `unit`, as the editor shows it."""
    return fill_unit(kind_collection(kind, content, rules), unit)


def backend_config(editor: EditorSettings) -> dict[str, Any] | None:
    """Return Decap's `backend` for the configured Git forge, or None when none is configured (the
    editor then works only next to the local preview, `python build.py serve --edit`)."""
    if editor.backend is None:
        return None
    found: dict[str, Any] = {"name": editor.backend, "repo": editor.repo, "branch": editor.branch}
    for key in ("base_url", "api_root", "app_id", "auth_type", "auth_endpoint"):
        value = getattr(editor, key)
        if value:
            found[key] = value
    if editor.backend in ("gitlab", "gitea", "forgejo") and editor.app_id and not editor.auth_type:
        found["auth_type"] = "pkce"
    return found


def cms_config(inputs: AdminInputs, kinds: Iterable[Kind] = KINDS) -> dict[str, Any]:
    """Return what quan-tri.js starts Decap with: Decap's configuration (without collections), one
    collection template per kind, the units, and the fields each kind requires once published."""
    kinds = tuple(kinds)
    backend = backend_config(inputs.editor)
    workflow = inputs.editor.workflow and inputs.editor.backend != "gitea"  # Decap's Gitea has no workflow
    config: dict[str, Any] = {
        "locale": "vi",
        "load_config_file": False,
        "backend": backend,
        "publish_mode": "editorial_workflow" if workflow else "simple",
        "media_folder": f"{inputs.content}/{SPARE_MEDIA}",
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "search": False,
    }
    if inputs.site_url:
        config["site_url"] = config["display_url"] = inputs.site_url
    units = sorted(inputs.units, key=unit_order)
    return {
        "site_name": inputs.site_name,
        "config": config,
        "collections": [kind_collection(kind, inputs.content, inputs.rules) for kind in kinds],
        "units": [{"code": u.code, "name": u.display_name} for u in units],
        "published_required": {kind.folder: published_required(kind) for kind in kinds},
        "labels": {kind.folder: field_labels(kind) for kind in kinds},
    }


def field_labels(kind: Kind) -> dict[str, str]:
    """Return the Vietnamese label of every field of `kind` by name (to word the validator's messages)."""
    return {spec.name: spec.label for spec in CORE_SPECS + kind.fields}


def admin_page(inputs: AdminInputs) -> bytes:
    """Return /quan-tri/index.html: no inline script (the site's audit holds it to the portal's rule),
    not indexed, with the looser Content-Security-Policy Decap needs (also sent by deploy/nginx.conf)."""
    title = html.escape(f"Soạn thảo và đăng văn bản – {inputs.site_name}")
    policy = html.escape(admin_content_security_policy(backend_origins(inputs.editor)))
    vendor = html.escape(inputs.vendor)
    return (
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"referrer\" content=\"strict-origin-when-cross-origin\">\n"
        f"<title>{title}</title>\n<link rel=\"icon\" href=\"../assets/images/favicon.png\">\n"
        "<link rel=\"stylesheet\" href=\"quan-tri.css\">\n</head>\n<body>\n"
        "<noscript><p>Trang soạn thảo cần bật JavaScript.</p></noscript>\n"
        "<script src=\"khoi-dong.js\"></script>\n"
        f"<script src=\"{vendor}decap-cms.js\"></script>\n"
        "<script src=\"quan-tri.js\"></script>\n"
        "</body>\n</html>\n"
    ).encode("utf-8")


def backend_origins(editor: EditorSettings) -> tuple[str, ...]:
    """Return the addresses the editor talks to besides the portal itself: the forge's API and sign-in."""
    defaults = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}
    found = [editor.api_root or defaults.get(editor.backend or "", ""), editor.base_url or ""]
    origins = []
    for address in found:
        if address:
            parts = address.split("/")
            origin = "/".join(parts[:3])
            if origin not in origins:
                origins.append(origin)
    return tuple(origins)


def admin_files(inputs: AdminInputs) -> dict[str, bytes]:
    """Return the editor's own files by site address (Decap's files are copied beside them)."""
    text = json.dumps(cms_config(inputs), ensure_ascii=False, sort_keys=True, indent=1)
    # Names written by people (units) never appear as markup, even in a JSON file.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    files = {ADMIN + "index.html": admin_page(inputs), ADMIN + CONFIG_FILE: (text + "\n").encode("utf-8")}
    for name in OWN_FILES:
        files[ADMIN + name] = (FILES / name).read_bytes()
    return files


def vendor_folder(version: str) -> str:
    """Return the folder of Decap's files under quan-tri/, named by its version (cached for a year)."""
    return f"decap-{version}/"

