"""The build as a whole: all-or-nothing output, reproducibility, and what it refuses."""

from __future__ import annotations

import shutil

from conftest import CONFIG, MINIMAL_PDF, REPO, Site, tree_digest
from test_documents import ERRORS, HIDDEN, write_mistakes


def good_site(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/du-toan.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024", "title: Kế hoạch năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n")
    site.doc("thcs-a", "tai-chinh", "du-toan-2025",
             "title: Công khai dự toán năm 2025\nnumber: 12/QĐ-THCS\ndate: 2025-01-20\nreport: du-toan\nfiscal_year: 2025\n"
             "attachments:\n  - file: du-toan.pdf\n    title: Biểu mẫu dự toán\n")
    site.doc("ubnd-xa", "thong-bao", "lich-tiep-dan", "title: Lịch tiếp công dân\ndate: 2025-08-04\n")


def test_failed_build_leaves_the_previous_site_byte_identical(site: Site, capsys) -> None:
    good_site(site)
    assert site.run("build") == 0
    before = tree_digest(site.out)
    assert "thcs-a/ke-hoach/ke-hoach-2024/index.html" in before
    shutil.rmtree(site.content)
    write_mistakes(site)
    capsys.readouterr()
    assert site.run("build") == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:-2] == ERRORS and printed[-2] == HIDDEN
    assert tree_digest(site.out) == before
    # Nothing left behind by the failed build; `.site.prev` is the spare copy the first build keeps to
    # start the next staging folder from (hard links to the same files), `.site.lock` the output
    # folder's lock (builds into it take turns).
    assert sorted(p.name for p in site.root.iterdir()) == [".congkhai-cache", ".site.lock", ".site.prev", "content",
                                                             "mkdocs.yml", "site", "units"]
    assert tree_digest(site.root / ".site.prev") == before


def test_same_input_and_date_give_byte_identical_output(site: Site) -> None:
    good_site(site)
    assert site.run("build", on="2026-03-01") == 0
    first = tree_digest(site.out)
    assert site.run("build", on="2026-03-01") == 0
    assert tree_digest(site.out) == first
    assert site.run("build", on="2026-03-02") == 0
    assert tree_digest(site.out) != first


def test_output_folder_holding_other_files_is_refused(site: Site, capsys) -> None:
    good_site(site)
    site.raw("site/ghi-chu.txt", "tệp của người dùng")
    assert site.run("build") == 1
    out = capsys.readouterr().out
    assert "site đã có dữ liệu không do công cụ này tạo ra; không ghi đè." in out
    assert (site.out / "ghi-chu.txt").read_text(encoding="utf-8") == "tệp của người dùng"


def test_build_without_site_url_says_so_and_skips_feeds(site: Site, capsys) -> None:
    good_site(site)
    config = site.config(drop=("site_url",))
    assert site.run("build", config=config) == 0
    out = capsys.readouterr().out
    assert "chưa có địa chỉ công khai của cổng (site_url trong mkdocs.yml hoặc --site-url)" in out
    assert not (site.out / "rss.xml").exists()
    assert (site.out / "thcs-a" / "index.html").exists()


def test_strict_turns_warnings_into_errors(site: Site, capsys) -> None:
    good_site(site)
    site.doc("thcs-a", "thong-bao", "so-trong", "title: Thông báo\ndate: 2024-03-10\nnumber: /TB-THCS\n")
    assert site.run("build") == 0
    assert site.run("build", "--strict") == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Có 1 lỗi và 0 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên."
    )


# --- Fuzzing `check`: random front matter, Markdown, unit files and file names --------------------

import os  # noqa: E402
import tempfile  # noqa: E402
from contextlib import chdir  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from congkhai.build import pipeline
from congkhai import config  # noqa: E402
from congkhai.kinds import KINDS, REGISTRY  # noqa: E402
from congkhai.model.documents import CORE_FIELDS  # noqa: E402
from congkhai.model.units import UNIT_FIELDS  # noqa: E402
from congkhai.rules.obligations import OBLIGATION_FIELDS  # noqa: E402

FUZZ_EXAMPLES = int(os.environ.get("CONGKHAI_FUZZ_EXAMPLES", "80"))  # about 15 s on a 2-core machine
CODES = ["so-gd", "phong-gd", "thcs-a", "mn-b", "SAI MA", "tim-kiem", "\udcc4\udc90", ""]
KEYS = sorted({*CORE_FIELDS, *(name for kind in KINDS for name in kind.field_names()),
               *UNIT_FIELDS, *OBLIGATION_FIELDS, "name", "file", "alt", "note", "unit", "from", "until", "lines",
               "amount", "amounts", "target", "result", "year", "values", "reason", "table", "table_file"})
TRICKY = ["2024-03-15", "2024-02-30", "15/3/2024", "2025", "2024-Q5", "2024-2025", "du-toan", "thuc-hien-quy",
          "dong", "nghin-dong", "1.234.567", "-5", "1e999", "0212 3800 001", "yes", "no", "null", "~", "draft",
          "withdrawn", "superseded", "thcs-a", "so-gd", "thcs-a/ke-hoach/a", "05/KH-THCS", "/TB-THCS", "tep.pdf",
          "../x.pdf", "/etc/passwd", "CON.pdf", "bang.csv", "anh.png", "<script>alert(1)</script>", "&a", "*a",
          "!!python/object/apply:os.system", "edu-general", "toan-trinh", "x" * 300, "9" * 30, "1" + "0" * 5000, "\u0301", "Đ", "\t", ""]
FILE_NAMES = ["tep.pdf", "bang.csv", "bang.xlsx", "anh.png", "Dự toán 2024.PDF", "CON.pdf", "a b.docx", ".an.pdf",
              "x.md", "nul", "-", "đ.md", "très long " * 5 + ".pdf", "\udcff\udcfe.pdf", "t\udce9p"]  # not UTF-8
FILE_BYTES = [b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n" + b"\0" * 16, b"PK\x03\x04" + b"\0" * 30, b"code,name,parent,Tien\n1,A,,5\n",
              b"code;name;parent;Tien\n1;A;;5,5\n1;B;1;x\n", b"\xff\xfe\x00", b"\x00" * 10, "Đ,ư\n".encode("utf-8")]

scalars = st.one_of(st.sampled_from(TRICKY), st.text(max_size=20), st.integers(-10**6, 10**6).map(str),
                    st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5), max_leaves=15)
mappings = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), values, max_size=10)
yaml_texts = st.one_of(mappings.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)),
                       st.text(alphabet=st.sampled_from(list("abđ: -[]{}&*!|>'\"#\n\t\\%@`,?0129")), max_size=120))
markdown = st.text(alphabet=st.one_of(st.sampled_from(list("#*-_>[]()!<>`|\n \t:&;/\\~=+.1")), st.characters()),
                   max_size=200).map(lambda s: s.replace("\x00", "")) | st.lists(st.sampled_from([
                       "# Đề mục\n", "    - mục\n", "> trích\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "[^1]\n\n[^1]: chú\n",
                       "<script>x</script>\n", "<div markdown=\"1\">*a*</div>\n", "![ảnh](anh.png)\n", "[x](../../a/)\n",
                       "!!! note\n    ghi chú\n", "Thuật ngữ\n:   định nghĩa\n", "{: #id }\n", "```\ncode\n```\n"]),
                       max_size=8).map("".join)
names = st.one_of(st.sampled_from(FILE_NAMES),
                  st.text(alphabet=st.characters(blacklist_characters="/\x00"), min_size=1, max_size=12)
                  .filter(lambda n: n not in (".", "..")))


BASE_UNITS = {
    "units/so-gd.yml": "code: so-gd\nname: Sở Giáo dục và Đào tạo\nkind: so\n",
    "units/thcs-a.yml": "code: thcs-a\nname: Trường Trung học cơ sở Sao Mai\nkind: thcs\nparent: so-gd\n",
}


def _front(draw) -> str:
    """Return a front matter: mostly a valid title and date with random fields over them, sometimes noise."""
    if draw(st.integers(0, 4)) == 0:
        return draw(yaml_texts)
    data = {"title": "Kế hoạch", "date": "2025-03-01"}
    data.update(draw(mappings))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def portals(draw) -> dict[str, bytes]:
    """Return the files of a random portal: {relative path: content}; most documents sit where a
    document belongs, in a unit that exists, so that every reader gets to see them."""
    files: dict[str, bytes] = {k: v.encode() for k, v in BASE_UNITS.items()}
    for code in draw(st.lists(st.sampled_from(CODES[:5]), max_size=3, unique=True)):
        if draw(st.booleans()):
            text = draw(yaml_texts)
        else:
            data = {"code": code, "name": f"Đơn vị {code}", "kind": "thcs", "parent": "so-gd"}
            data.update(draw(mappings))
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        name = draw(st.sampled_from([code, code, code + "-khac"]))
        files[f"units/{name}.{draw(st.sampled_from(['yml', 'yml', 'yaml', 'txt']))}"] = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(1, 5))):
        unit = draw(st.sampled_from(["thcs-a", "thcs-a", "thcs-a", "so-gd", *CODES]))
        kind = draw(st.one_of(st.sampled_from(sorted(REGISTRY)), st.sampled_from(["khac", "Ke-Hoach"])))
        folder = f"content/{unit}/{kind}" if unit else "content"
        closing = draw(st.sampled_from(["---\n", "---\n", "---\n", "...\n", ""]))
        text = f"---\n{_front(draw)}{closing}{draw(markdown)}"
        files[f"{folder}/{draw(names)}.md"] = text.encode("utf-8", "surrogatepass")
        for _ in range(draw(st.integers(0, 2))):
            files[f"{folder}/{draw(st.sampled_from(FILE_NAMES + TRICKY[20:24]))}"] = draw(st.sampled_from(FILE_BYTES))
    return files


def fuzz_messages(files: dict[str, bytes]) -> list[str]:
    """Write `files` into a new folder and return what `check` reports (it must not raise)."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for relative, data in files.items():
            path = root / relative
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            except (OSError, UnicodeEncodeError):  # a name no file system holds (too long, a lone surrogate)
                continue
        with chdir(root):
            result = pipeline.validate(config.load(CONFIG, today=date(2026, 11, 22)))
        return [p.render() for p in result.problems.sorted()]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(files=portals())
def test_check_never_crashes_and_gives_the_same_messages_for_the_same_input(files: dict[str, bytes]) -> None:
    first = fuzz_messages(files)
    assert fuzz_messages(files) == first
    assert all(line.startswith(("Lỗi: ", "Cảnh báo: ")) for line in first)
    "\n".join(first).encode("utf-8")  # printable (no lone surrogate), whatever the file names are


def test_build_is_the_default_command(site: Site, capsys) -> None:
    """`python build.py` with no command builds content/ and units/ of the current folder into site/."""
    from contextlib import chdir

    from congkhai import cli

    good_site(site)
    site.config()
    with chdir(site.root):
        assert cli.main([]) == 0
    assert (site.out / "thcs-a" / "ke-hoach" / "ke-hoach-2024" / "index.html").is_file()
    assert capsys.readouterr().out.splitlines()[-1].startswith("Đã dựng ")
    first = tree_digest(site.out)
    with chdir(site.root):
        assert cli.main(["--strict"]) == 0  # options alone still mean "build"
    assert tree_digest(site.out).keys() == first.keys()


def inodes(root) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_a_rebuild_with_nothing_changed_writes_nothing_and_anything_changed_builds_again(site: Site, capsys) -> None:
    good_site(site)
    assert site.run("build") == 0
    first = capsys.readouterr().out.splitlines()
    before, held = tree_digest(site.out), inodes(site.out)
    assert site.run("build") == 0
    again = capsys.readouterr().out.splitlines()
    # the same messages (not the progress lines), then why nothing was written
    assert again[:-1] == [line for line in first[:-1] if not line.startswith("Đang dựng")]
    assert "không có gì thay đổi kể từ lần dựng trước" in again[-1]
    assert inodes(site.out) == held
    # a page of the site deleted behind the build's back: built again, and the page is back
    page = site.out / "thcs-a/ke-hoach/ke-hoach-2024/index.html"
    page.unlink()
    assert site.run("build") == 0
    assert "không có gì thay đổi kể từ lần dựng trước" not in capsys.readouterr().out
    assert tree_digest(site.out) == before
    # an edited document: built again, with the new title
    path = site.content / "thcs-a/ke-hoach/ke-hoach-2024.md"
    path.write_text(path.read_text(encoding="utf-8").replace("năm 2024", "năm 2024 (sửa)"), encoding="utf-8")
    assert site.run("build") == 0
    assert "không có gì thay đổi kể từ lần dựng trước" not in capsys.readouterr().out
    assert "năm 2024 (sửa)" in page.read_text(encoding="utf-8")
    # and then nothing changed again
    assert site.run("build") == 0
    assert "không có gì thay đổi kể từ lần dựng trước" in capsys.readouterr().out


def test_the_benchmark_corpus_checks_clean_under_strict(tmp_path, capsys) -> None:
    """The synthetic portal the benchmark measures (`demo-corpus`) is what a province would publish:
    no error and no warning (communes under the province's People's Committee, guided by the Sở;
    YAML without anchors), so its figures are those of a clean build."""
    from congkhai import cli
    from congkhai.authoring.demo import write_corpus

    assert write_corpus(tmp_path, 40, 3) == (40, 120)
    code = cli.main(["check", "--strict", "--content", str(tmp_path / "content"), "--units", str(tmp_path / "units"),
                     "--on", "2026-11-22", "--config", str(REPO / "mkdocs.yml")])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "Cảnh báo" not in printed.out + printed.err
    assert "Không có lỗi" in printed.out
