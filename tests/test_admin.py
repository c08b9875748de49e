"""The web editor's files (/quan-tri/): its configuration made from the kind registry and the units,
published by the build as its own part, kept out of search, sitemaps and feeds, and what the build
does when Decap CMS is not installed."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Site

from congkhai.build import admin as build_admin
from congkhai.config import EditorSettings
from congkhai.kinds import KINDS, REGISTRY
from congkhai.model.documents import CORE_SPECS
from congkhai.model.kind import FieldSpec, Kind
from congkhai.model.units import Unit, UnitKind
from congkhai.site import admin
from congkhai.site.audit import admin_content_security_policy, live_code

SCHOOL = Unit(code="thcs-a", name="Trường THCS \"Sao Mai\"", kind=UnitKind.THCS, source=Path("units/thcs-a.yml"))
WIDGETS = {"string": "string", "text": "text", "date": "datetime", "number": "number", "boolean": "boolean",
           "list": "list", "object": "object", "objects": "list", "file": "file"}


def check_field(spec: FieldSpec, made: dict, in_object: bool = False) -> None:
    """Assert that the Decap field `made` says what `spec` says."""
    assert made["name"] == spec.name
    assert made["label"] == spec.label + (" (bắt buộc khi đăng)" if spec.required == "published" else "")
    assert made["required"] is (spec.required is True and not in_object), spec.name
    assert spec.comment.strip() in made["hint"] and f"Tên trường: {spec.name}." in made["hint"]
    if spec.choices:
        assert made["widget"] == "select"
        assert [(o["value"], o["label"]) for o in made["options"]] == list(spec.choices)
    else:
        assert made["widget"] == WIDGETS[spec.widget], spec.name
    if spec.pattern and spec.widget not in ("date", "select"):
        assert made["pattern"] == list(spec.pattern)
        re.compile(spec.pattern[0])  # the same expression in JavaScript: no Python-only syntax
        assert "(?P<" not in spec.pattern[0]
    else:
        assert "pattern" not in made
    if spec.widget == "date":
        assert (made["format"], made["time_format"], made["picker_utc"]) == ("YYYY-MM-DD", False, False)
    if spec.fields:
        for sub, made_sub in zip(spec.fields, made["fields"], strict=True):
            check_field(sub, made_sub, in_object=spec.widget == "object")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.folder)
def test_every_field_of_a_kind_is_in_its_form_as_the_specs_say(kind: Kind) -> None:
    found = admin.collection(kind, SCHOOL)
    specs = CORE_SPECS + kind.fields
    assert [f["name"] for f in found["fields"]] == [spec.name for spec in specs] + ["body"]
    for spec, made in zip(specs, found["fields"]):
        if spec.name != "obligation":  # a select of the rules' obligations (below)
            check_field(spec, made)
    assert found["name"] == f"thcs-a__{kind.folder}"
    assert found["folder"] == f"content/thcs-a/{kind.folder}"
    assert found["label"] == f"{kind.label} – Trường THCS \"Sao Mai\""
    assert (found["media_folder"], found["public_folder"]) == ("", "")  # attachments next to the document
    assert found["delete"] is False and found["format"] == "yaml-frontmatter"
    status = next(f for f in found["fields"] if f["name"] == "status")
    assert status["default"] == "draft"  # a new document starts as the project's draft


def test_a_new_kind_with_a_new_field_changes_the_editor_with_no_other_edit() -> None:
    report = Kind(folder="bao-cao", label="Báo cáo", lower="báo cáo", about="báo cáo định kỳ",
                  fields=(FieldSpec("pages", "Số trang", "Số trang của báo cáo.", "12", widget="number",
                                    required="published"),))
    made = admin.cms_config(admin.AdminInputs("Cổng", "content", (SCHOOL,)), kinds=(report,))
    [template] = made["collections"]
    assert template["folder"] == "content/@don-vi@/bao-cao"
    assert template["fields"][-2] == {"name": "pages", "label": "Số trang (bắt buộc khi đăng)", "required": False,
                                      "hint": "Số trang của báo cáo. Tên trường: pages.", "widget": "number",
                                      "value_type": "float"}
    assert {"name": "pages", "label": "Số trang"} in made["published_required"]["bao-cao"]


def test_obligations_are_a_select_of_those_the_kind_fulfils() -> None:
    from congkhai.model.problems import Problems
    from congkhai.rules.obligations import load_rules

    rules = load_rules([SCHOOL], Problems())
    budget = admin.collection(REGISTRY["tai-chinh"], SCHOOL, rules=rules)
    field = next(f for f in budget["fields"] if f["name"] == "obligation")
    values = [o["value"] for o in field["options"]]
    assert values and all(REGISTRY["tai-chinh"] in rules.get(v).fulfilled_by.kinds for v in values)


def test_the_unit_is_filled_in_as_the_page_s_script_does() -> None:
    template = admin.kind_collection(REGISTRY["thong-bao"], "noi-dung")
    filled = admin.fill_unit(template, SCHOOL)
    assert filled == admin.collection(REGISTRY["thong-bao"], SCHOOL, content="noi-dung")
    assert "@don-vi@" not in json.dumps(filled) and filled["folder"] == "noi-dung/thcs-a/thong-bao"
    script = (admin.FILES / "quan-tri.js").read_text(encoding="utf-8")  # the same two placeholders
    assert f"split('{admin.UNIT_CODE}')" in script and f"split('{admin.UNIT_NAME}')" in script


def test_a_git_forge_is_written_with_public_names_only_and_allowed_by_the_page_s_policy() -> None:
    forge = EditorSettings(backend="forgejo", repo="so-gddt/cong-khai", base_url="https://git.honglam.example.vn",
                           app_id="3f0c1a2b-0000-4d6e-9a7b-5c2d1e0f9a8b")
    inputs = admin.AdminInputs("Cổng", "content", (SCHOOL,), editor=forge)
    config = admin.cms_config(inputs)["config"]
    assert config["backend"] == {"name": "forgejo", "repo": "so-gddt/cong-khai", "branch": "main",
                                 "base_url": "https://git.honglam.example.vn",
                                 "app_id": "3f0c1a2b-0000-4d6e-9a7b-5c2d1e0f9a8b", "auth_type": "pkce"}
    assert config["publish_mode"] == "editorial_workflow"
    page = html.unescape(admin.admin_page(inputs).decode("utf-8"))
    assert "connect-src 'self' blob: https://git.honglam.example.vn;" in page
    gitea = admin.cms_config(replace(inputs, editor=EditorSettings(backend="gitea", repo="a/b")))["config"]
    assert gitea["publish_mode"] == "simple"  # Decap's Gitea backend has no review step
    assert admin.cms_config(admin.AdminInputs("Cổng", "content", ()))["config"]["backend"] is None


def test_the_built_editor_is_published_apart_from_search_sitemaps_and_feeds(sample_site: Path) -> None:
    folder = sample_site / "quan-tri"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert f'content="{admin_content_security_policy()}"' in html.unescape(page)
    assert live_code(page) == []  # no inline script: the portal's own audit passes
    decap = build_admin.find_decap()
    assert decap is not None
    vendor = folder / admin.vendor_folder(decap.version)
    assert f'<script src="{admin.vendor_folder(decap.version)}decap-cms.js"></script>' in page
    assert sorted(p.name for p in vendor.iterdir()) == sorted(name for name, _ in decap.files)
    assert not list(vendor.glob("*.map"))
    settings = json.loads((folder / admin.CONFIG_FILE).read_text(encoding="utf-8"))
    assert [c["folder"] for c in settings["collections"]] == [f"content/@don-vi@/{k.folder}" for k in KINDS]
    assert "thcs-hoa-sen" in [u["code"] for u in settings["units"]]
    for path in sample_site.rglob("*"):
        if path.suffix in (".xml", ".opml", ".json", ".csv", ".ics") and "quan-tri" not in path.parts:
            assert "quan-tri" not in path.read_text(encoding="utf-8", errors="replace"), path
    index = sample_site / "pagefind"
    assert index.is_dir() and not any("quan-tri" in p.name for p in index.rglob("*"))


def test_without_decap_the_portal_is_built_without_the_editor_and_says_so(site: Site, monkeypatch, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2026", "title: Kế hoạch năm 2026\ndate: 2026-02-03\n")
    monkeypatch.setattr(build_admin, "find_decap", lambda root=build_admin.TOOL_ROOT: None)
    monkeypatch.setattr(build_admin, "_FAILED", {})
    monkeypatch.setattr(build_admin, "_npm", lambda: None)  # a machine without npm
    assert site.run("build", "--no-search") == 0
    out = capsys.readouterr().out
    assert ("Cảnh báo: cổng được dựng không có trang soạn thảo /quan-tri/ vì chưa cài được Decap CMS (máy không có "
            "npm). Mọi trang khác của cổng vẫn được dựng. Sửa: cài Node.js và npm") in out
    assert (site.out / "thcs-a/ke-hoach/ke-hoach-2026/index.html").is_file()
    assert not (site.out / "quan-tri").exists()


def test_the_build_installs_decap_with_npm_ci_when_it_is_missing(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def fake_run(command, cwd, **options):
        calls.append((command, cwd))
        dist = cwd / "node_modules/decap-cms/dist"
        dist.mkdir(parents=True)
        (dist / "decap-cms.js").write_text("// Decap", encoding="utf-8")
        (dist / "5.decap-cms.js").write_text("// chunk", encoding="utf-8")
        (dist / "decap-cms.js.map").write_text("{}", encoding="utf-8")
        (cwd / "node_modules/decap-cms/package.json").write_text('{"version": "3.16.3"}', encoding="utf-8")
        return build_admin.subprocess.CompletedProcess(command, 0, "", "")

    (tmp_path / "package-lock.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(build_admin, "_npm", lambda: "/usr/bin/npm")
    monkeypatch.setattr(build_admin.subprocess, "run", fake_run)
    lines: list[str] = []
    found, note = build_admin.decap_files(lines.append, tmp_path)
    assert calls == [(["/usr/bin/npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], tmp_path)]
    assert note is None and found is not None and found.version == "3.16.3"
    assert [name for name, _ in found.files] == ["5.decap-cms.js", "decap-cms.js"]
    assert lines == ["Đang cài Decap CMS cho trang soạn thảo /quan-tri/ (npm ci, một lần, cần mạng)…"]



def test_installing_decap_makes_the_next_build_build_again(site: Site, monkeypatch) -> None:
    from congkhai.build import quick

    site.standard_units()
    stamp = lambda: quick.input_stamp({}, site.config(), site.content, site.units)  # noqa: E731
    monkeypatch.setattr(quick, "installed_stamp", lambda: None)
    without = stamp()
    monkeypatch.setattr(quick, "installed_stamp", lambda: (1024, 1_700_000_000_000_000_000))
    assert stamp() != without  # not "nothing changed" after `npm ci`: the editor gets built
    assert build_admin.installed_stamp(site.root) is None
