"""`python build.py new`: a template per kind that lists every field and passes `check` once titled."""

from __future__ import annotations

from contextlib import chdir

import pytest
from conftest import Site

from congkhai import cli
from congkhai.authoring import scaffold
from congkhai.kinds import KINDS, REGISTRY
from congkhai.model.documents import CORE_SPECS


def test_every_field_the_loader_accepts_is_explained() -> None:
    for kind in KINDS:  # every field has its meaning and an example
        assert [s.name for s in scaffold.field_specs(kind)] == list(scaffold.kind_fields(kind))
        assert all(s.comment and s.label for s in (*CORE_SPECS, *kind.fields)), kind


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_new_document_of_each_kind_passes_check(site: Site, capsys, kind: str) -> None:
    site.standard_units()
    with chdir(site.root):
        assert cli.main(["new", kind, "--unit", "thcs-a", "--title", "Văn bản thử nghiệm năm 2026"]) == 0
    out = capsys.readouterr().out
    path = f"content/thcs-a/{kind}/van-ban-thu-nghiem-nam-2026.md"
    assert out.startswith(f"Đã tạo {path}\n")
    text = (site.root / path).read_text(encoding="utf-8")
    for name in scaffold.kind_fields(REGISTRY[kind]):
        assert f"\n{name}:" in text or f"\n#{name}:" in text, name
    assert "\ntitle: Văn bản thử nghiệm năm 2026\n" in text and "\nstatus: draft\n" in text
    assert site.messages() == []
    result = site.validate()
    assert [d.title for d in result.portal.drafts] == ["Văn bản thử nghiệm năm 2026"]


def test_uncommenting_an_example_gives_a_valid_field(site: Site, capsys) -> None:
    site.standard_units()
    with chdir(site.root):
        assert cli.main(["new", "ke-hoach", "--unit", "thcs-a", "--title", "Kế hoạch năm 2026"]) == 0
    path = site.content / "thcs-a" / "ke-hoach" / "ke-hoach-nam-2026.md"
    text = path.read_text(encoding="utf-8")
    for block in ("#signer:\n#  authority: KT. HIỆU TRƯỞNG\n#  title: PHÓ HIỆU TRƯỞNG\n#  name: Lương Thị Thúy\n",
                  "#date: 2026-02-03\n", "#number: 08/KH-THCSHS\n"):
        assert block in text
        text = text.replace(block, block.replace("#", "", 1).replace("\n#", "\n"))
    path.write_text(text, encoding="utf-8")
    assert site.messages() == []
    doc = site.validate().portal.drafts[0]
    assert (doc.number, doc.signer.authority, doc.signer.name) == ("08/KH-THCSHS", "KT. HIỆU TRƯỞNG", "Lương Thị Thúy")


def test_without_title_the_file_asks_for_one_and_never_overwrites(site: Site, capsys) -> None:
    site.standard_units()
    with chdir(site.root):
        assert cli.main(["new", "thong-bao", "--unit", "thcs-a"]) == 0
        assert cli.main(["new", "thong-bao", "--unit", "thcs-a"]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo content/thcs-a/thong-bao/thong-bao-moi.md\n" in out
    assert "Đã tạo content/thcs-a/thong-bao/thong-bao-moi-2.md\n" in out
    assert site.messages() == [
        "Lỗi: content/thcs-a/thong-bao/thong-bao-moi-2.md, dòng 7: 'title': không được để trống.",
        "Lỗi: content/thcs-a/thong-bao/thong-bao-moi.md, dòng 7: 'title': không được để trống.",
    ]


@pytest.mark.parametrize("args, message", [
    (["new", "van-ban", "--unit", "thcs-a"],
     "Lỗi: loại văn bản không hợp lệ 'van-ban'. Sửa: dùng một trong: ke-hoach, thu-tuc, tai-chinh, tin-tuc, thong-bao, tuyen-sinh.\n"),
    (["new", "ke-hoach", "--unit", "thcs-b"],
     "Lỗi: không có đơn vị 'thcs-b' trong units/. Các mã đơn vị: phong-gd, so-gd, thcs-a, ubnd-xa.\n"),
])
def test_new_wrong_usage(site: Site, capsys, args: list[str], message: str) -> None:
    site.standard_units()
    with chdir(site.root):
        assert cli.main(args) == 2
    assert capsys.readouterr().err == message


def test_yaml_scalars_are_quoted_only_when_needed() -> None:
    assert scaffold.scalar("Lưu: VT.") == "'Lưu: VT.'"
    assert scaffold.scalar("108/KH-PGD&ĐT") == "108/KH-PGD&ĐT"
    assert scaffold.scalar("Kế hoạch “Năm 2021”") == "Kế hoạch “Năm 2021”"
    assert scaffold.scalar("*108*") == "'*108*'"
