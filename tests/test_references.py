"""Basis lines link to the cited document; the cited document lists what implements it."""

from __future__ import annotations

from conftest import Site


def test_basis_links_and_implementing_documents(site: Site) -> None:
    site.standard_units()
    site.doc("phong-gd", "ke-hoach", "cchc-2024", "title: Kế hoạch CCHC năm 2024 của Phòng\nnumber: 12/KH-PGDĐT\ndate: 2024-01-10\n")
    site.doc("phong-gd", "ke-hoach", "cchc-2023", "title: Kế hoạch CCHC năm 2023 của Phòng\nnumber: 12/KH-PGDĐT\ndate: 2023-01-09\n")
    site.doc("thcs-a", "ke-hoach", "cchc-2024", "title: Kế hoạch CCHC năm 2024 của trường\nnumber: 03/KH-THCS\n"
             "date: 2024-01-20\nbasis:\n  - Kế hoạch số 12/KH-PGDĐT ngày 10/01/2024 của Phòng GD&ĐT huyện Ven Sông về CCHC\n"
             "  - Luật Giáo dục số 43/2019/QH14\n")
    assert site.run("build") == 0
    school = (site.out / "thcs-a/ke-hoach/cchc-2024/index.html").read_text(encoding="utf-8")
    assert ('<li><a href="../../../phong-gd/ke-hoach/cchc-2024/">Kế hoạch số 12/KH-PGDĐT ngày 10/01/2024 của Phòng '
            'GD&amp;ĐT huyện Ven Sông về CCHC</a></li>') in school
    assert "<li>Luật Giáo dục số 43/2019/QH14</li>" in school
    office = (site.out / "phong-gd/ke-hoach/cchc-2024/index.html").read_text(encoding="utf-8")
    assert '<h2 id="van-ban-thuc-hien">Các văn bản thực hiện</h2>' in office
    assert '<a class="ck-item__title" href="../../../thcs-a/ke-hoach/cchc-2024/">Kế hoạch CCHC năm 2024 của trường</a>' in office
    assert "Các văn bản thực hiện" not in (site.out / "phong-gd/ke-hoach/cchc-2023/index.html").read_text(encoding="utf-8")


def test_ambiguous_or_unknown_citations_stay_text(site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "a", "title: KH A\nnumber: 03/KH-THCS\ndate: 2024-01-20\n"
             "basis: [Kế hoạch số 99/KH-SGDĐT ngày 02/01/2024 của Sở GD&ĐT]\n")
    assert site.run("build") == 0
    page = (site.out / "thcs-a/ke-hoach/a/index.html").read_text(encoding="utf-8")
    assert "<li>Kế hoạch số 99/KH-SGDĐT ngày 02/01/2024 của Sở GD&amp;ĐT</li>" in page
