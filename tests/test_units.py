"""Units: every mistake in units/ gives one exact Vietnamese message."""

from __future__ import annotations

from contextlib import chdir
from datetime import date
from pathlib import Path

from conftest import Site

from congkhai.model.problems import Problems
from congkhai.model.units import UnitKind, load_units


def messages(site: Site) -> list[str]:
    problems = Problems()
    with chdir(site.root):
        load_units(Path("units"), problems)
    return [p.render() for p in problems.sorted()]


def test_standard_units_are_valid(site: Site) -> None:
    site.standard_units()
    assert messages(site) == []


def test_dated_parents_answer_who_supervised_when(site: Site) -> None:
    site.standard_units()
    units = load_units(site.units, Problems())
    school = units["thcs-a"]
    assert school.parent_on(date(2025, 6, 30)) == "phong-gd"
    assert school.parent_on(date(2025, 7, 1)) == "ubnd-xa"
    # administratively the Phòng belonged to the district People's Committee, the commune belongs to the
    # province's: neither is "trực thuộc" the Sở, which guides both on education (the sector relation)
    assert units.ancestors_on("thcs-a", date(2024, 5, 1)) == ["phong-gd"]
    assert units.overseers_on("thcs-a", date(2024, 5, 1)) == ["phong-gd", "so-gd"]
    assert units.overseers_on("thcs-a", date(2026, 1, 1)) == ["ubnd-xa", "so-gd"]
    assert units.is_overseen_by("thcs-a", "so-gd", date(2026, 1, 1))
    assert not units.is_within("thcs-a", "so-gd", date(2026, 1, 1))
    assert [u.code for u in units.children_on("ubnd-xa", date(2026, 1, 1))] == ["thcs-a"]
    assert [u.code for u in units.children_on("phong-gd", date(2026, 1, 1))] == []
    assert [u.code for u in units.sector_children_on("so-gd", date(2026, 1, 1))] == ["ubnd-xa"]
    assert [u.code for u in units.ever_under("phong-gd")] == ["thcs-a"]
    assert [u.code for u in units.ever_under("so-gd")] == ["phong-gd", "ubnd-xa", "thcs-a"]
    assert [u.code for u in units.dissolved_by(date(2026, 1, 1))] == ["phong-gd"]
    assert [u.code for u in units.roots_on(date(2026, 1, 1))] == ["so-gd", "ubnd-xa"]
    assert units.former_children("so-gd", date(2026, 1, 1)) == []  # guided, never managed


def test_a_parent_outside_the_portal_is_named_and_dated(site: Site) -> None:
    site.standard_units()
    site.unit("ubnd-xa", (site.units / "ubnd-xa.yml").read_text(encoding="utf-8")
              + "parent:\n  - name: Ủy ban nhân dân tỉnh Thử Nghiệm\n    from: 2025-07-01\n")
    units = load_units(site.units, Problems())
    assert units.parent_body_on("ubnd-xa", date(2026, 1, 1)) == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert units["ubnd-xa"].parent_on(date(2026, 1, 1)) is None  # not a unit of the portal: still a root
    assert units.parent_body_on("thcs-a", date(2026, 1, 1)) == "Ủy ban nhân dân xã Bến Đò"
    assert units.parent_body_on("thcs-a", date(2025, 1, 1)) == "Phòng Giáo dục và Đào tạo huyện Ven Sông"
    assert messages(site) == []


def test_a_commune_put_under_the_so_administratively_is_a_warning(site: Site) -> None:
    site.standard_units()
    site.unit("ubnd-xa", "name: Ủy ban nhân dân xã Bến Đò\nkind: xa\nparent: so-gd\nactive_from: 2025-07-01\n")
    assert messages(site) == [
        "Cảnh báo: units/ubnd-xa.yml, dòng 3: 'parent': Ủy ban nhân dân cấp xã không trực thuộc Sở Giáo dục và Đào "
        "tạo: về hành chính xã thuộc Ủy ban nhân dân tỉnh, Sở chỉ hướng dẫn, kiểm tra chuyên môn (Thông tư "
        "15/2025/TT-BGDĐT), nhận được 'so-gd'. Sửa: ghi 'sector_parent: so-gd' và 'parent: [{name: Ủy ban nhân "
        "dân tỉnh …}]'.",
    ]


def test_ownership_and_autonomy(site: Site) -> None:
    site.standard_units()
    site.unit("mn-tu", "name: Trường Mầm non tư thục Sao Sáng\nkind: mn\nparent: ubnd-xa\nownership: tu-thuc\n"
              "autonomy: '2'\nactive_from: 2025-07-01\n")
    site.unit("ubnd-xa", (site.units / "ubnd-xa.yml").read_text(encoding="utf-8") + "ownership: cong-lap\n")
    units = load_units(site.units, Problems())
    assert units["mn-tu"].ownership_or_default == "tu-thuc"
    assert units["thcs-a"].ownership_or_default == "cong-lap"  # a school whose file does not say
    assert messages(site) == [
        "Lỗi: units/mn-tu.yml, dòng 5: 'autonomy': chỉ đơn vị sự nghiệp công lập mới có nhóm tự chủ tài chính, "
        "nhận được '2'. Sửa: xóa trường 'autonomy'.",
        "Lỗi: units/ubnd-xa.yml, dòng 9: 'ownership': chỉ trường học, trung tâm mới có loại hình công lập, dân lập, "
        "tư thục, nhận được 'cong-lap'. Sửa: xóa trường 'ownership'.",
    ]


def test_multi_level_school_and_former_names(site: Site) -> None:
    site.standard_units()
    site.unit("th-thcs-b", """
        code: th-thcs-b
        name: Trường Tiểu học và Trung học cơ sở Bình An
        kind: thcs
        levels: [th, thcs]
        parent: so-gd
        former_names:
          - name: Trường Tiểu học Bình An
            until: 2019-08-31
        """)
    units = load_units(site.units, Problems())
    school = units["th-thcs-b"]
    assert school.levels == (UnitKind.TH, UnitKind.THCS)
    assert school.kind_label == "Trường tiểu học và trung học cơ sở"
    assert school.name_on(date(2019, 8, 31)) == "Trường Tiểu học Bình An"
    assert school.name_on(date(2019, 9, 1)) == "Trường Tiểu học và Trung học cơ sở Bình An"


def test_unknown_parent(site: Site) -> None:
    site.standard_units()
    site.unit("mn-a", "code: mn-a\nname: Trường Mầm non A\nkind: mn\nparent: phong-khong-co\n")
    assert messages(site) == [
        "Lỗi: units/mn-a.yml, dòng 4: 'parent': không có đơn vị cấp trên mang mã này, nhận được "
        "'phong-khong-co'. Sửa: dùng mã của một tệp trong thư mục units/."
    ]


def test_cycle(site: Site) -> None:
    site.standard_units()
    site.unit("th-a", "code: th-a\nname: Trường Tiểu học A\nkind: th\nparent: th-b\n")
    site.unit("th-b", "code: th-b\nname: Trường Tiểu học B\nkind: th\nparent: th-a\n")
    assert messages(site) == [
        "Lỗi: units/th-a.yml, dòng 4: 'parent': vòng lặp cấp trên: th-a → th-b → th-a. "
        "Sửa: một đơn vị không thể trực thuộc chính nó hay đơn vị cấp dưới của nó."
    ]


def test_overlapping_parent_periods(site: Site) -> None:
    site.standard_units()
    site.unit("th-a", """
        code: th-a
        name: Trường Tiểu học A
        kind: th
        parent:
          - unit: phong-gd
            until: 2025-06-30
          - unit: ubnd-xa
            from: 2025-06-15
        """)
    assert messages(site) == [
        "Lỗi: units/th-a.yml, dòng 7: 'parent': hai giai đoạn trực thuộc chồng lên nhau (phong-gd và ubnd-xa). "
        "Sửa: giai đoạn trước phải có 'until' sớm hơn 'from' của giai đoạn sau.",
        "Lỗi: units/th-a.yml, dòng 7: 'parent': đơn vị cấp trên ubnd-xa chỉ hoạt động từ 01/07/2025. "
        "Sửa: ghi 'from: 2025-07-01' cho giai đoạn này.",
    ]


def test_gapped_parent_periods(site: Site) -> None:
    site.standard_units()
    site.unit("th-a", """
        code: th-a
        name: Trường Tiểu học A
        kind: th
        parent:
          - unit: phong-gd
            until: 2025-06-30
          - unit: ubnd-xa
            from: 2025-08-01
        """)
    assert messages(site) == [
        "Lỗi: units/th-a.yml, dòng 7: 'parent': có khoảng trống giữa hai giai đoạn trực thuộc: phong-gd đến "
        "30/06/2025, ubnd-xa từ 01/08/2025. Sửa: 'from' của giai đoạn sau phải là 2025-07-01."
    ]


def test_unknown_kind(site: Site) -> None:
    site.standard_units()
    site.unit("dh-a", "code: dh-a\nname: Trường Đại học A\nkind: dai-hoc\nparent: so-gd\n")
    assert messages(site) == [
        "Lỗi: units/dh-a.yml, dòng 3: 'kind': loại đơn vị không hợp lệ, nhận được 'dai-hoc'. "
        "Sửa: dùng một trong các giá trị: so, phong, xa, mn, th, thcs, thpt, gdtx."
    ]


def test_code_not_lowercase_ascii(site: Site) -> None:
    site.standard_units()
    site.unit("x", "name: Trường THCS Hòa Bình\nkind: thcs\nparent: so-gd\n", filename="THCS Hòa Bình.yml")
    assert messages(site) == [
        "Lỗi: units/THCS Hòa Bình.yml, dòng 1: 'code': tên tệp đơn vị (mã đơn vị) chỉ gồm chữ thường không dấu, "
        "chữ số và dấu '-', nhận được 'THCS Hòa Bình.yml'. Sửa: đổi tên tệp thành thcs-hoa-binh.yml."
    ]


def test_the_code_is_the_file_name_and_a_written_code_must_agree(site: Site) -> None:
    site.standard_units()
    site.unit("x", "code: thcs-b\nname: Trường THCS B\nkind: thcs\nparent: so-gd\n", filename="thcs-c.yml")
    assert messages(site) == [
        "Lỗi: units/thcs-c.yml, dòng 1: 'code': mã trong tệp không khớp với tên tệp 'thcs-c.yml' (mã đơn vị lấy "
        "theo tên tệp), nhận được 'thcs-b'. Sửa: xóa dòng 'code' hoặc ghi 'code: thcs-c' (hoặc đổi tên tệp thành "
        "thcs-b.yml nếu 'thcs-b' mới là mã đúng)."
    ]


def test_a_unit_file_without_code_takes_its_name(site: Site) -> None:
    site.standard_units()
    site.unit("thcs-b", "name: Trường THCS B\nkind: thcs\nparent: so-gd\n")
    assert messages(site) == []
    assert site.validate().portal.units["thcs-b"].name == "Trường THCS B"


def test_duplicate_codes(site: Site) -> None:
    site.standard_units()
    site.unit("x", "code: thcs-a\nname: Trường THCS trùng mã\nkind: thcs\nparent: so-gd\n", filename="thcs-a.yaml")
    assert messages(site) == [
        "Lỗi: units/thcs-a.yml: 'code': mã đơn vị trùng với tệp units/thcs-a.yaml, nhận được 'thcs-a'. "
        "Sửa: mỗi đơn vị một mã riêng."
    ]


def write_unit_mistakes(site: Site) -> None:
    """Every unit mistake of issue 2 at once, beside a valid document and one document mistake."""
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024", "title: Kế hoạch năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n")
    site.doc("thcs-a", "thong-bao", "ngay-sai", "title: Thông báo A\ndate: 2023-02-30\n")
    site.unit("mn-a", "code: mn-a\nname: Trường Mầm non A\nkind: mn\nparent: phong-khong-co\n")
    site.unit("th-a", "code: th-a\nname: Trường Tiểu học A\nkind: th\nparent: th-b\n")
    site.unit("th-b", "code: th-b\nname: Trường Tiểu học B\nkind: th\nparent: th-a\n")
    site.unit("th-c", "code: th-c\nname: Trường Tiểu học C\nkind: th\nparent:\n  - unit: phong-gd\n"
                      "    until: 2025-06-30\n  - unit: ubnd-xa\n    from: 2025-08-01\n")
    site.unit("th-d", "code: th-d\nname: Trường Tiểu học D\nkind: th\nparent:\n  - unit: phong-gd\n"
                      "    until: 2025-06-30\n  - unit: so-gd\n    from: 2025-06-15\n")
    site.unit("dh-a", "code: dh-a\nname: Trường Đại học A\nkind: dai-hoc\nparent: so-gd\n")
    site.unit("x", "name: Trường THCS Hòa Bình\nkind: thcs\nparent: so-gd\n", filename="THCS Hòa Bình.yml")
    site.unit("x", "code: thcs-b\nname: Trường THCS B\nkind: thcs\nparent: so-gd\n", filename="thcs-c.yml")
    site.unit("x", "code: thcs-a\nname: Trường THCS trùng mã\nkind: thcs\nparent: so-gd\n", filename="thcs-a.yaml")


UNIT_MISTAKES = [
    "Lỗi: content/thcs-a/thong-bao/ngay-sai.md, dòng 3: 'date': ",
    "Lỗi: units/THCS Hòa Bình.yml, dòng 1: 'code': tên tệp đơn vị (mã đơn vị) chỉ gồm chữ thường không dấu, "
    "chữ số và dấu '-', nhận được 'THCS Hòa Bình.yml'.",
    "Lỗi: units/dh-a.yml, dòng 3: 'kind': loại đơn vị không hợp lệ, nhận được 'dai-hoc'.",
    "Lỗi: units/mn-a.yml, dòng 4: 'parent': không có đơn vị cấp trên mang mã này, nhận được 'phong-khong-co'.",
    "Lỗi: units/th-a.yml, dòng 4: 'parent': vòng lặp cấp trên: th-a → th-b → th-a.",
    "Lỗi: units/th-c.yml, dòng 7: 'parent': có khoảng trống giữa hai giai đoạn trực thuộc: phong-gd đến "
    "30/06/2025, ubnd-xa từ 01/08/2025.",
    "Lỗi: units/th-d.yml, dòng 7: 'parent': hai giai đoạn trực thuộc chồng lên nhau (phong-gd và so-gd).",
    "Lỗi: units/thcs-a.yml: 'code': mã đơn vị trùng với tệp units/thcs-a.yaml, nhận được 'thcs-a'.",
    "Lỗi: units/thcs-c.yml, dòng 1: 'code': mã trong tệp không khớp với tên tệp 'thcs-c.yml' (mã đơn vị lấy "
    "theo tên tệp), nhận được 'thcs-b'.",
]


def test_every_unit_mistake_is_listed_in_one_run_and_the_site_is_kept(site: Site, capsys) -> None:
    from conftest import tree_digest

    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024", "title: Kế hoạch năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n")
    assert site.run("build") == 0
    before = tree_digest(site.out)
    assert "thcs-a/ke-hoach/ke-hoach-2024/index.html" in before
    write_unit_mistakes(site)
    for command in ("check", "build"):
        capsys.readouterr()
        assert site.run(command) == 1
        printed = capsys.readouterr().out.splitlines()
        errors = [line for line in printed if line.startswith("Lỗi: ")]
        # one message per mistake, each naming its file, line, field and value, in the order printed
        assert len(errors) == len(UNIT_MISTAKES), printed
        for line, expected in zip(errors, UNIT_MISTAKES):
            assert line.startswith(expected), (line, expected)
            assert "Sửa" in line, line
        assert printed[-1].startswith(f"Có {len(UNIT_MISTAKES)} lỗi")
        assert printed[-1].endswith("Chưa dựng trang; trang đã dựng trước đó được giữ nguyên.")
        assert tree_digest(site.out) == before
