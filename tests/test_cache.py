"""The build cache: every kind of change rebuilds exactly the parts that depend on it, a cached
build equals a clean one byte for byte, and a damaged or foreign cache is ignored, never trusted."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from contextlib import chdir
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_PDF, REPO, Site, tree_digest

from congkhai.build import cache as cache_module
from congkhai.build import fingerprint, pipeline
from congkhai.config import load as load_settings
from congkhai.model import markup
from congkhai.site import chrome

ON = date(2026, 11, 22)
EVERY_PART = {"_assets", "_portal", "_admin", "so-gd", "phong-gd", "ubnd-xa", "thcs-a", "th-b"}


def portal(site: Site) -> Path:
    """Write a small portal with its own copy of the theme; return its configuration file."""
    site.standard_units()
    site.unit("th-b", """
        code: th-b
        name: Trường Tiểu học Bình An
        kind: th
        parent: ubnd-xa
        active_from: 2025-07-01
        """)
    site.raw("content/thcs-a/ke-hoach/phu-luc.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2025", """
        title: Kế hoạch cải cách hành chính năm 2025
        number: 05/KH-THCSSM
        date: 2025-01-15
        attachments:
          - file: phu-luc.pdf
            title: Phụ lục phân công
        """)
    site.doc("ubnd-xa", "ke-hoach", "ke-hoach-xa-2026", "title: Kế hoạch của xã năm 2026\nnumber: 12/KH-UBND\n"
             "date: 2026-01-20\n")
    site.doc("th-b", "thong-bao", "lich-hop", "title: Lịch họp phụ huynh\ndate: 2026-09-05\n")
    shutil.copytree(REPO / "site_src", site.root / "site_src")
    return site.config(add="")


def build(site: Site, config: Path, out: str = "site", cache: bool = True, jobs: int = 1,
          on: date = ON, engine: object = None, apart: bool = False, log: Any = None) -> pipeline.Result:
    """Build in-process from the site's folder; fail the test when the build fails."""
    text = config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'site_src' / 'overrides'}",
                                                      "custom_dir: site_src/overrides")
    config.write_text(text, encoding="utf-8")
    with chdir(site.root):
        options = load_settings(config, out=Path(out), today=on,
                                cache_dir=Path(".congkhai-cache") if cache else None, jobs=jobs)
        result = pipeline.build(options, engine=engine, apart=apart, **({"log": log} if log else {}))
    assert result.ok(False), [p.render() for p in result.problems.sorted()] + [result.failure]
    return result


def clean_digest(site: Site, config: Path, on: date = ON) -> dict[str, str]:
    """Return the tree of a build that uses no cache at all."""
    build(site, config, out="clean", cache=False, on=on)
    digest = tree_digest(site.root / "clean")
    shutil.rmtree(site.root / "clean")
    return digest


@pytest.fixture
def built(site: Site) -> tuple[Site, Path]:
    config = portal(site)
    first = build(site, config)
    assert set(first.rebuilt) == EVERY_PART
    again = build(site, config)
    assert again.rebuilt == [] and again.unchanged
    return site, config


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_a_document_rebuilds_its_unit_its_supervisors_and_the_portal_only(built) -> None:
    site, config = built
    edit(site.content / "thcs-a/ke-hoach/ke-hoach-2025.md", "năm 2025\n", "năm 2025 (bản sửa)\n")
    result = build(site, config)
    # the school, everyone who ever supervised it (their feeds and matrices show it), the portal pages
    assert set(result.rebuilt) == {"thcs-a", "phong-gd", "ubnd-xa", "so-gd", "_portal"}
    assert 0 < result.pages_rendered < 20  # only the pages that show the title went through MkDocs
    assert tree_digest(site.out) == clean_digest(site, config)
    page = (site.out / "thcs-a/ke-hoach/ke-hoach-2025/index.html").read_text(encoding="utf-8")
    assert "năm 2025 (bản sửa)" in page


def test_changing_a_unit_file_rebuilds_that_unit_and_its_neighbours(built) -> None:
    site, config = built
    edit(site.units / "th-b.yml", "name: Trường Tiểu học Bình An", "name: Trường Tiểu học Bình An Mới")
    result = build(site, config)
    assert "th-b" in result.rebuilt and "_portal" in result.rebuilt
    assert "thcs-a" not in result.rebuilt and "phong-gd" not in result.rebuilt and "_assets" not in result.rebuilt
    assert tree_digest(site.out) == clean_digest(site, config)
    assert "Bình An Mới" in (site.out / "ubnd-xa/index.html").read_text(encoding="utf-8")


def test_changing_an_attachment_rebuilds_its_unit_and_publishes_the_new_file(built) -> None:
    site, config = built
    site.raw("content/thcs-a/ke-hoach/phu-luc.pdf", MINIMAL_PDF + b"% ban moi\n")
    result = build(site, config)
    assert "thcs-a" in result.rebuilt and "th-b" not in result.rebuilt
    assert (site.out / "thcs-a/ke-hoach/ke-hoach-2025/phu-luc.pdf").read_bytes().endswith(b"% ban moi\n")
    assert tree_digest(site.out) == clean_digest(site, config)


def test_a_new_citation_rebuilds_both_ends_of_the_link(built) -> None:
    site, config = built
    site.doc("th-b", "ke-hoach", "ke-hoach-truong-2026", "title: Kế hoạch của trường năm 2026\n"
             "number: 03/KH-THBA\ndate: 2026-02-02\nbasis:\n  - Kế hoạch số 05/KH-THCSSM ngày 15/01/2025 của "
             "Trường THCS Sao Mai\n")
    result = build(site, config)
    assert {"th-b", "thcs-a"} <= set(result.rebuilt)  # thcs-a's plan now lists the document written under it
    assert tree_digest(site.out) == clean_digest(site, config)
    cited = (site.out / "thcs-a/ke-hoach/ke-hoach-2025/index.html").read_text(encoding="utf-8")
    assert "Kế hoạch của trường năm 2026" in cited


def test_changing_the_theme_rebuilds_every_part(built) -> None:
    site, config = built
    css = site.root / "site_src/overrides/assets/stylesheets/congkhai.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.ck-lead { font-weight: 600; }\n", encoding="utf-8")
    result = build(site, config)
    assert set(result.rebuilt) == EVERY_PART
    assert "font-weight: 600" in (site.out / "assets/stylesheets/congkhai.css").read_text(encoding="utf-8")
    assert tree_digest(site.out) == clean_digest(site, config)


def test_changing_the_configuration_rebuilds_every_part(built) -> None:
    site, config = built
    edit(config, "site_name: Cổng công khai giáo dục tỉnh Hồng Lam", "site_name: Cổng công khai thử nghiệm")
    result = build(site, config)
    assert set(result.rebuilt) == EVERY_PART
    assert "Cổng công khai thử nghiệm" in (site.out / "th-b/index.html").read_text(encoding="utf-8")
    assert tree_digest(site.out) == clean_digest(site, config)


def test_another_day_replans_every_unit_and_equals_a_clean_build(built) -> None:
    site, config = built
    later = date(2027, 3, 1)
    result = build(site, config, on=later)
    assert set(result.rebuilt) >= EVERY_PART - {"_assets", "_admin"}  # the theme and the editor know no date
    assert tree_digest(site.out) == clean_digest(site, config, on=later)


def test_a_new_package_version_ignores_the_whole_cache(built, monkeypatch) -> None:
    site, config = built
    real = fingerprint.code_fingerprint
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: real() + "-phien-ban-moi")
    result = build(site, config)
    assert set(result.rebuilt) == EVERY_PART
    assert tree_digest(site.out) == clean_digest(site, config)


def test_a_damaged_cache_is_ignored_and_rebuilt(built) -> None:
    site, config = built
    cache = site.root / ".congkhai-cache" / f"v{cache_module.FORMAT}"
    page = cache / "sections/thcs-a/files/thcs-a/index.html"
    page.write_text("hỏng", encoding="utf-8")  # a cached file changed behind the cache's back
    entry = cache / "sections/th-b/entry.json"
    entry.write_text(entry.read_text(encoding="utf-8")[:-20], encoding="utf-8")  # a truncated manifest
    manifest = cache / "sections/ubnd-xa/entry.json"
    text = manifest.read_text(encoding="utf-8")
    assert '"pages":{' in text  # a manifest edited without its checksum: a page added to its list
    manifest.write_text(text.replace('"pages":{', '"pages":{"ubnd-xa/gia-mao/":{"title":"Giả mạo"},', 1),
                        encoding="utf-8")
    (cache / "parse/so-gd.bin").write_bytes(b'{"format": 1}\n\x80\x04garbage')
    # a unit's register lines, kept aside from its published files, cut short: the register would lose them
    result = build(site, config)
    assert {"thcs-a", "th-b", "ubnd-xa"} <= set(result.rebuilt)
    assert tree_digest(site.out) == clean_digest(site, config)
    assert "hỏng" not in (site.out / "thcs-a/index.html").read_text(encoding="utf-8")


def test_a_damaged_file_kept_aside_is_ignored_and_its_part_rebuilt(built) -> None:
    """A unit's register lines wait in its cache entry, beside its published files: cut short or
    changed, the entry is not trusted and the register still lists every document."""
    site, config = built
    sections = site.root / f".congkhai-cache/v{cache_module.FORMAT}/sections"
    aside = sections / "thcs-a/aside/register.jsonl"
    kept = aside.read_bytes()
    assert b"/thcs-a/" in kept
    aside.write_bytes(kept[: kept.index(b"\n") // 2])  # its first document's line cut in half
    result = build(site, config)
    assert result.rebuilt == ["thcs-a"]
    assert tree_digest(site.out) == clean_digest(site, config)


def converted_bodies(monkeypatch) -> list[str]:
    """Return the list every Markdown conversion of this test adds its text to."""
    seen: list[str] = []
    real = markup._convert

    def counting(text: str):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(markup, "_convert", counting)
    return seen


def test_an_edit_converts_only_the_edited_body_and_equals_a_clean_build(built, monkeypatch) -> None:
    site, config = built
    site.doc("thcs-a", "thong-bao", "hop-phu-huynh", "title: Họp phụ huynh\ndate: 2026-09-10\n",
             body="Nội dung **không đổi** của thông báo họp phụ huynh.")
    build(site, config)
    seen = converted_bodies(monkeypatch)
    edit(site.content / "thcs-a/ke-hoach/ke-hoach-2025.md", "năm 2025\n", "năm 2025 (bản sửa)\n")
    result = build(site, config)
    assert "thcs-a" in result.rebuilt
    assert not any("không đổi" in text for text in seen)  # the unit's other body was not converted again
    edit(site.content / "thcs-a/thong-bao/hop-phu-huynh.md", "**không đổi**", "**đã đổi**")
    build(site, config)
    assert any("đã đổi" in text for text in seen)  # a changed body is converted, never taken for the old one
    monkeypatch.undo()
    assert tree_digest(site.out) == clean_digest(site, config)
    assert "<strong>đã đổi</strong>" in (site.out / "thcs-a/thong-bao/hop-phu-huynh/index.html").read_text("utf-8")


def test_the_preview_keeps_parsed_documents_between_builds_and_equals_a_clean_build(built, monkeypatch) -> None:
    from congkhai.site.engine import Engine

    site, config = built
    engine = Engine(live=True)
    build(site, config, engine=engine)  # the preview's first build: documents kept in memory
    unpickled: list[bytes] = []
    real = cache_module.pickle.loads
    monkeypatch.setattr(cache_module.pickle, "loads", lambda raw: (unpickled.append(raw), real(raw))[1])
    edit(site.content / "thcs-a/ke-hoach/ke-hoach-2025.md", "năm 2025\n", "năm 2025 (bản sửa)\n")
    result = build(site, config, engine=engine)
    assert "thcs-a" in result.rebuilt and unpickled == []  # nothing read back from disk
    assert tree_digest(site.out) == clean_digest(site, config)
    # A manifest edited in place behind the preview's back (same size, its time stamp put back) is seen.
    manifest = site.root / f".congkhai-cache/v{cache_module.FORMAT}/sections/th-b/entry.json"
    stamp, raw = manifest.stat(), bytearray(manifest.read_bytes())
    raw[-2] = ord("x") if raw[-2] != ord("x") else ord("y")
    with manifest.open("r+b") as handle:
        handle.write(raw)
    os.utime(manifest, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (manifest.stat().st_ino, manifest.stat().st_size) == (stamp.st_ino, stamp.st_size)
    again = build(site, config, engine=engine)
    assert "th-b" in again.rebuilt
    assert tree_digest(site.out) == clean_digest(site, config)


def test_a_cache_of_another_format_is_removed(built) -> None:
    site, config = built
    old = site.root / ".congkhai-cache" / "v0"
    old.mkdir()
    (old / "rac.bin").write_bytes(b"\x00")
    build(site, config)
    assert not old.exists()


def test_parallel_and_cached_builds_equal_a_clean_single_process_build(built) -> None:
    site, config = built
    shutil.rmtree(site.root / ".congkhai-cache")
    result = build(site, config, jobs=2)
    assert set(result.rebuilt) == EVERY_PART
    assert tree_digest(site.out) == clean_digest(site, config)


def test_deleting_a_document_removes_its_pages_from_the_site(built) -> None:
    site, config = built
    (site.content / "th-b/thong-bao/lich-hop.md").unlink()
    build(site, config)
    assert not (site.out / "th-b/thong-bao/lich-hop").exists()
    assert tree_digest(site.out) == clean_digest(site, config)


def test_the_first_build_keeps_a_spare_site_the_next_rebuild_places_its_files_in(site: Site) -> None:
    config = portal(site)
    result = build(site, config)
    spare = site.root / ".site.prev"
    held = {p.relative_to(site.out).as_posix(): p.stat().st_ino for p in site.out.rglob("*") if p.is_file()}
    assert set(result.files or {}) | {".congkhai-site"} == set(held)
    # the spare holds the same files (hard links, no copies) and the same folders
    assert {p.relative_to(spare).as_posix(): p.stat().st_ino for p in spare.rglob("*") if p.is_file()} == held
    assert sorted(p.relative_to(spare) for p in spare.rglob("*")) == sorted(p.relative_to(site.out)
                                                                          for p in site.out.rglob("*"))
    folder = "thcs-a/ke-hoach/ke-hoach-2025"
    spare_folder = (spare / folder).stat().st_ino
    edit(site.content / "thcs-a/ke-hoach/ke-hoach-2025.md", "năm 2025\n", "năm 2025 (bản sửa)\n")
    build(site, config)
    # the rebuilt site was placed in the spare's folders (none made again); the one it replaced is the next spare
    assert (site.out / folder).stat().st_ino == spare_folder
    assert {p.relative_to(spare).as_posix(): p.stat().st_ino for p in spare.rglob("*") if p.is_file()} == held
    assert tree_digest(site.out) == clean_digest(site, config)




def test_parts_are_built_longest_first_by_what_they_took_last_time(site: Site, monkeypatch) -> None:
    from congkhai.build import parallel

    config = portal(site)
    orders: list[list[str]] = []
    real = parallel.run

    def recording(task, items, context, jobs, progress=None, **options):
        if task is pipeline.build_part:
            orders.append(list(items))
        return real(task, items, context, jobs, progress, **options)

    monkeypatch.setattr(parallel, "run", recording)
    build(site, config)  # cold: estimated from size, the portal-wide pages first
    assert orders[-1][0] == "_portal" and set(orders[-1]) == EVERY_PART
    sections = site.root / f".congkhai-cache/v{cache_module.FORMAT}/sections"
    took = {name: cache_module._read_entry(sections / name / "entry.json")["meta"]["seconds"] for name in EVERY_PART}
    assert all(isinstance(value, float) for value in took.values())
    css = site.root / "site_src/overrides/assets/stylesheets/congkhai.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.ck-lead { font-weight: 600; }\n", encoding="utf-8")
    build(site, config)  # every part again: in the order of what each took last time
    assert set(orders[-1]) == EVERY_PART
    assert [took[name] for name in orders[-1]] == sorted(took.values(), reverse=True)


def test_a_rebuild_of_a_few_short_parts_forks_no_worker_and_a_long_build_does(site: Site, monkeypatch) -> None:
    """Forking workers costs CPU (their copies of the heap): parts expected to take less than
    FORK_WORTH_SECONDS together are built in this process; the same output either way."""
    from congkhai.build import parallel

    config = portal(site)
    asked: list[int] = []
    real = parallel.run

    def recording(task, items, context, jobs, progress=None, **options):
        if task is pipeline.build_part:
            asked.append(jobs)
        return real(task, items, context, jobs, progress, **options)

    monkeypatch.setattr(parallel, "run", recording)
    build(site, config, jobs=2)  # cold: the portal-wide part alone is expected to be long
    assert asked == [2]
    path = site.content / "thcs-a/ke-hoach/ke-hoach-2025.md"
    path.write_text(path.read_text(encoding="utf-8").replace("năm 2025\n", "năm 2025 (sửa)\n", 1), encoding="utf-8")
    edited = build(site, config, jobs=2)
    assert asked == [2, 1] and 1 < edited.parts_built < len(EVERY_PART)
    assert tree_digest(site.out) == clean_digest(site, config)


_APART = """
import json, os, signal, sys
from contextlib import chdir
from datetime import date
from pathlib import Path

sys.path.insert(0, sys.argv[2])
from conftest import tree_digest

from congkhai.build import pipeline, search_index
from congkhai.config import load

config, how = Path(sys.argv[1]), sys.argv[3]


def build(out, cache, jobs=1, apart=True, log=lambda _: None):
    options = load(config, out=Path(out), today=date(2026, 11, 22), cache_dir=cache and Path(cache), jobs=jobs)
    return pipeline.build(options, log=log, apart=apart)


here = os.getpid()
read_in, indexed_in, lines = [], [], []
real_validate, real_index, real_render = pipeline.validate, search_index.index_work, pipeline.render
pipeline.validate = lambda *a, **k: (read_in.append(os.getpid()), real_validate(*a, **k))[1]
search_index.index_work = lambda *a, **k: (indexed_in.append(os.getpid()), real_index(*a, **k))[1]
with chdir(config.parent):
    if how == "builds":
        together = build("together", None, apart=False)  # a cache of its own: the build apart starts cold
        read_in.clear()
        indexed_in.clear()
        result = build("apart", ".congkhai-cache", jobs=2, log=lines.append)
        again = build("apart", ".congkhai-cache")
        print(json.dumps({
            "read_here": read_in.count(here), "indexed_here": indexed_in.count(here), "indexed": len(indexed_in),
            "portal": result.portal is not None, "counted": result.counted, "together": pipeline.shown_counts(together),
            "pages": [result.pages, together.pages], "built": [result.parts_built, again.parts_built],
            "same": tree_digest(Path("apart")) == tree_digest(Path("together")),
            "search": any("pagefind" in path for path in tree_digest(Path("apart"))),
            "lines": lines, "ok": [result.ok(False), again.ok(False)],
        }))
    elif how == "hand over fails":  # the new program could not start: the build finishes in this one
        build("together", None, apart=False)
        read_in.clear()
        states = []
        options = load(config, out=Path("apart"), today=date(2026, 11, 22), cache_dir=Path(".congkhai-cache"), jobs=2)
        result = pipeline.build(options, apart=True, hand_over=lambda state: states.append(state.is_file()))
        print(json.dumps({"read_here": read_in.count(here), "indexed_here": indexed_in.count(here), "states": states,
                          "ok": result.ok(False), "counted": pipeline.shown_counts(result),
                          "scratch": [p.name for p in Path(".congkhai-cache").glob("v*/scratch/*")],
                          "same": tree_digest(Path("apart")) == tree_digest(Path("together"))}))
    elif how == "large":  # over the limit (here 2 documents): built in one process, the same site
        pipeline.APART_MAX_DOCUMENTS = 2
        build("together", None, apart=False)
        read_in.clear()
        result = build("apart", None)
        print(json.dumps({"read_here": read_in.count(here), "portal": result.portal is not None,
                          "same": tree_digest(Path("apart")) == tree_digest(Path("together"))}))
    else:
        build("site", ".congkhai-cache")
        before = tree_digest(Path("site"))
        path = Path("content/thcs-a/ke-hoach/ke-hoach-2025.md")
        path.write_text(path.read_text(encoding="utf-8") + "\\nSửa.\\n", encoding="utf-8")

        def broken(*_args, **_kwargs):
            if how == "raises":
                raise ValueError("hỏng giữa chừng")
            os.kill(os.getpid(), signal.SIGKILL)

        pipeline.render = broken
        try:
            build("site", ".congkhai-cache")
            failure = None
        except RuntimeError as exc:
            failure = str(exc)
        print(json.dumps({"failure": failure, "same": tree_digest(Path("site")) == before,
                          "scratch": [p.name for p in Path(".congkhai-cache").glob("v*/scratch/*")]}))
"""


def run_apart(site: Site, config: Path, how: str) -> dict[str, Any]:
    """Run the script above in a process of its own (a build apart forks only when no other thread runs:
    other tests may leave some in this one)."""
    import json
    import subprocess

    text = config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'site_src' / 'overrides'}",
                                                      "custom_dir: site_src/overrides")
    config.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _APART, str(config), str(REPO / "tests"), how], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_build_apart_indexes_search_in_a_process_that_never_read_the_portal_and_publishes_the_same_site(
        site: Site) -> None:
    """The command line builds `apart`: a forked child reads, checks and renders; this process, once
    the child has ended, has Pagefind index the search bundles and publishes. Same site, byte for
    byte, as a build in one process; the child's lines reach this process's log; the counts the
    report prints come back without the portal; a rebuild takes everything from the cache."""
    found = run_apart(site, portal(site), "builds")
    assert found["read_here"] == 0 and found["indexed_here"] == found["indexed"] == 2, found
    assert not found["portal"] and found["counted"] == found["together"] == [5, 3, 0]
    assert found["pages"][0] == found["pages"][1] > 0 and found["built"] == [len(EVERY_PART), 0]
    assert found["same"] and found["search"] and found["ok"] == [True, True]
    assert any(line.startswith("Đang dựng") for line in found["lines"])


def test_a_build_whose_hand_over_fails_finishes_in_its_own_program(site: Site) -> None:
    """The command line's build hands search and publishing to a new program (cli._hand_over, tested
    end to end in test_output.py); when that program cannot start, the build goes on where it is,
    with everything still in memory: the same site, its scratch space removed."""
    found = run_apart(site, portal(site), "hand over fails")
    assert found["states"] == [True] and found["read_here"] == 1 and found["indexed_here"] == 2, found
    assert found["ok"] and found["counted"] == [5, 3, 0] and found["scratch"] == [] and found["same"], found


def test_a_portal_over_the_limit_is_built_in_one_process(site: Site) -> None:
    """Above APART_MAX_DOCUMENTS (the size of one part of the portal's search bundle) the build's own
    memory dwarfs Pagefind's part and a build apart would only cost time."""
    found = run_apart(site, portal(site), "large")
    assert found == {"read_here": 1, "portal": True, "same": True}


@pytest.mark.parametrize("how", ["raises", "is killed"])
def test_a_child_that_fails_or_dies_publishes_nothing_and_says_so(site: Site, how: str) -> None:
    found = run_apart(site, portal(site), how)
    assert found["failure"] is not None and found["same"] and found["scratch"] == [], found
    assert ("ValueError: hỏng giữa chừng" in found["failure"]) if how == "raises" else \
        ("dừng bất thường" in found["failure"])


_PIDS = """
import os, sys, time
from congkhai.build import parallel

def task(_context, item):
    time.sleep(0.02)  # the task's work: long enough for the workers to take some
    return item, os.getpid()

results = parallel.run(task, list(range(40)), None, 3)
assert [item for item, _ in results] == list(range(40)), results
pids = {pid for _, pid in results}
print(len(pids), os.getpid() in pids)
"""


def test_the_build_process_works_beside_one_worker_fewer_and_keeps_the_order() -> None:
    """N jobs fork N - 1 workers and this process takes the tasks none has started (issue 23: each
    worker copies the pages it touches of the portal it inherits; this process copies nothing). Run in
    a process of its own: with another thread running (as in the preview) the tasks run in this one."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _PIDS], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    processes, main_worked = done.stdout.split()
    assert main_worked == "True"  # the build process did some of the tasks
    assert processes == "3"  # and two workers (not three) beside it


_GARBAGE = """
import gc, os, sys, weakref
from congkhai.build import parallel, pipeline

class Node:
    pass

made = []  # in each process: the garbage its earlier tasks left

def task(_context, item):
    alive = sum(ref() is not None for ref in made)
    for _ in range(200):  # cycles, as a part's pages and navigation make: freed only by the collector
        node = Node()
        node.me = node
        made.append(weakref.ref(node))
    return alive, os.getpid()

with pipeline.few_collections():  # the build's pace: a pass only every 50,000 new objects
    for jobs in (1, 2):
        # without passes; with a pass after every task (share unbounded); with no share left after the first
        for collect, share in ((False, 1e9), (True, 1e9), (True, 0.0)):
            parallel.COLLECT_SHARE = share
            made.clear()
            results = parallel.run(task, list(range(12)), None, jobs, collect=collect)
            print(jobs, collect and share > 0, sum(alive for alive, _ in results), len({pid for _, pid in results}))
"""


def test_each_rendering_process_frees_what_a_part_left_before_the_next_part() -> None:
    """Issue 23: a part's pages, navigation and templates refer to each other, and the build lets
    the collector run rarely; with `collect` (the render stage's) the garbage of a task is gone before
    the same process starts the next (3,000 documents: about 30 MiB less in each process), in this
    process and in a forked worker alike, as long as the passes stay within their share of the
    process's time (parallel.COLLECT_SHARE). Run in a process of its own, so that the worker is forked."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _GARBAGE], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert len(lines) == 6, done.stdout
    (none1, every1, spent1), (none2, every2, spent2) = lines[:3], lines[3:]
    assert int(none1[2]) > 0 and int(none2[2]) > 0  # kept without the passes: the test can fail
    assert every1[1:] == ["True", "0", "1"]
    assert every2[1:3] == ["True", "0"] and every2[3] == "2"  # a worker beside this process
    # once a process's passes have taken their share of its time (here none), it passes no more
    assert int(spent1[2]) > 0 and int(spent2[2]) > 0

def test_bodies_and_search_records_are_held_packed_and_read_back_unchanged() -> None:
    """A portal holds every body until the build ends: packed, a Vietnamese body costs a fraction of
    its text held as Python strings (two bytes a character), and reads back exactly."""
    import sys

    paragraphs = [f"Đoạn {n}: Nhà trường công khai dự toán, quyết toán ngân sách và các khoản thu năm học "
                  "2025–2026 theo quy định của Bộ Giáo dục và Đào tạo." for n in range(60)]
    body = markup.render_body("\n\n".join(paragraphs))
    assert body.blocks == tuple(paragraphs)
    assert body.html.count("<p>") == 60 and "Bộ Giáo dục và Đào tạo" in body.html
    assert body.text_size == sum(len(p) for p in paragraphs)
    held_as_text = sys.getsizeof(body.html) + sum(sys.getsizeof(p) for p in paragraphs)
    assert len(body.packed) * 5 < held_as_text
    assert markup.render_body("\n\n".join(paragraphs)) == body  # the same text packs to the same bytes
    assert len(markup.pack(tuple(paragraphs))) * 5 < sum(sys.getsizeof(p) for p in paragraphs)


def test_shared_chrome_is_drawn_once_and_equals_every_page_drawn_on_its_own(site: Site, monkeypatch) -> None:
    """Issue 23, item 2: the navigation sidebar, stylesheets, scripts and the theme's configuration are
    rendered once for the pages that show them alike (site/chrome.py), and the site is byte for byte
    the site of every page rendered on its own."""
    config = portal(site)
    for number in range(4):  # pages in one folder, not items of the navigation: they share its rendering
        site.doc("th-b", "thong-bao", f"thong-bao-{number}", f"title: Thông báo số {number}\ndate: 2026-09-0{number + 1}\n")
    made: list[chrome.SharedChrome] = []
    real_init = chrome.SharedChrome.__init__

    def recording(self: chrome.SharedChrome) -> None:
        real_init(self)
        made.append(self)

    monkeypatch.setattr(chrome.SharedChrome, "__init__", recording)
    build(site, config, out="shared", cache=False)
    reused = sum((c.reused for c in made), Counter())
    assert reused["nav"] >= 3 and reused["block"] >= 4 * 3  # four blocks on each page after the first
    monkeypatch.setattr(chrome.SharedChrome, "enabled", False)
    made.clear()
    build(site, config, out="alone", cache=False)
    assert sum((c.reused for c in made), Counter()) == Counter()
    assert tree_digest(site.root / "shared") == tree_digest(site.root / "alone")
