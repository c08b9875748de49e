"""What built pages and feeds say: home, unit, listing and document pages of the sample portal checked
against their sources (units/*.yml, content/, the register), drafts absent everywhere, every feed parsed
by a real client, feed discovery, --site-url and pubDate from `published`."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
import yaml
from conftest import MINIMAL_PDF, REPO, SAMPLE_ON, Site
from lxml import etree

from congkhai.kinds import KINDS, thu_tuc
from congkhai.site.pages import LATEST_ON_HOME, LATEST_PER_KIND

TODAY = date.fromisoformat(SAMPLE_ON)
CONFIG_SITE_URL = re.search(r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
OTHER_SITE_URL = "https://khac.example.org/cong-khai/"
ATOM = "{http://www.w3.org/2005/Atom}"
LABEL_TO_KIND = {k.label: k.folder for k in KINDS}
ATTACHMENT_LABELS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "text/csv": "CSV",
    "image/jpeg": "Ảnh JPEG",
    "image/png": "Ảnh PNG",
}
CURRENT = ("published", "superseded")

# The distinctive names of the throwaway portal's draft, and of a published sibling that must be found.
DRAFT_TITLE = "Dự thảo quy chế Xylophon tuyệt mật"
DRAFT_SLUG = "xylophon-nhap"
DRAFT_TOKEN = b"xylophon"
SIBLING_TOKEN = b"quokka"


# Helpers ------------------------------------------------------------------------------------------


def html_of(root: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring((root / rel).read_text(encoding="utf-8"))


def article(root: Path, rel: str) -> lxml.html.HtmlElement:
    (found,) = html_of(root, rel).xpath("//article")
    return found


def resolve(page: str, href: str) -> str:
    """Return the site path ("a/b/" or "a/rss.xml") a relative link on page `page` ("a/index.html") points at."""
    joined = urljoin("http://site.invalid/" + page, href)
    assert joined.startswith("http://site.invalid/"), (page, href)
    return joined[len("http://site.invalid/"):].split("#")[0]


def words(el) -> str:
    return " ".join(el.text_content().split())


def heading(el) -> str:
    """The heading's own text, without Material's permalink (¶)."""
    return (el.text or "").strip()


def items(root: Path, page: str, ul) -> list[tuple[str, str]]:
    """Return (document key, <time datetime>) of each posting in a `ck-list`."""
    found = []
    for li in ul.xpath("./li[contains(@class, 'ck-item')]"):
        (link,) = li.xpath(".//a[contains(@class, 'ck-item__title')]/@href")
        (day,) = li.xpath(".//time/@datetime")
        found.append((resolve(page, link).rstrip("/"), day))
    return found


def facts(dl) -> dict[str, object]:
    """Return {dt text: dd element} of a definition list."""
    return {words(dt): dt.getnext() for dt in dl.xpath("./dt")}


def rss_root(path: Path):
    return etree.parse(str(path)).getroot()


def register(root: Path, site_url: str = CONFIG_SITE_URL) -> list[dict]:
    records = json.loads((root / "data/documents.json").read_text(encoding="utf-8"))["documents"]
    for r in records:
        assert r["url"].startswith(site_url)
        r["key"] = r["url"][len(site_url):].rstrip("/")
    return records


def posted_first(r: dict) -> tuple:
    issued = r["date"] or r["published"]
    return (-date.fromisoformat(r["published"]).toordinal(), -date.fromisoformat(issued).toordinal(), r["key"])


def issued_first(r: dict) -> tuple:
    return (-date.fromisoformat(r["date"] or r["published"]).toordinal(), r["key"])


def units_yaml() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "units").glob("*.yml"))}


def active_on(unit: dict, day: date) -> bool:
    return (unit.get("active_from") is None or unit["active_from"] <= day) and \
        (unit.get("active_until") is None or day <= unit["active_until"])


def parent_on(unit: dict, day: date) -> str | None:
    parent = unit.get("parent")
    if parent is None or isinstance(parent, str):
        return parent
    for period in parent:
        if (period.get("from") is None or period["from"] <= day) and (period.get("until") is None or day <= period["until"]):
            return period.get("unit")  # None: a body outside the portal (the province's People's Committee)
    return None


def dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def tree(root: Path, page: str, ul) -> dict[str, list[str]]:
    """Return {unit code: [codes directly under it]} of a nested `ck-tree` (roots under "")."""
    found: dict[str, list[str]] = {}

    def walk(list_el, parent: str) -> None:
        for li in list_el.xpath("./li"):
            code = resolve(page, li.xpath("./a/@href")[0]).rstrip("/")
            found.setdefault(parent, []).append(code)
            for sub in li.xpath("./ul"):
                walk(sub, code)

    walk(ul, "")
    return found


def following_until_h2(start):
    el = start.getnext()
    while el is not None and el.tag != "h2":
        yield el
        el = el.getnext()


# The throwaway portal (built once with --site-url) -----------------------------------------------------


@pytest.fixture(scope="module")
def throwaway(tmp_path_factory) -> Site:
    site = Site(tmp_path_factory.mktemp("trang") / "portal")
    site.standard_units()
    site.raw("content/thcs-a/ke-hoach/ban-scan.pdf", MINIMAL_PDF)
    site.raw("content/thcs-a/ke-hoach/phu-luc.pdf", MINIMAL_PDF + b"0" * (300 * 1024 - len(MINIMAL_PDF)))
    site.doc("thcs-a", "ke-hoach", "kiem-tra-noi-bo-2024", """
        title: Kế hoạch kiểm tra nội bộ trường học năm 2024
        number: 05/KH-THCS
        date: 2024-02-05
        published: 2024-02-07
        signer:
          authority: KT. HIỆU TRƯỞNG
          title: PHÓ HIỆU TRƯỞNG
          name: Lê Văn Bình
        basis:
          - Kế hoạch số 12/KH-PGDĐT ngày 10/01/2024 của Phòng GD&ĐT huyện Ven Sông
          - Công văn số 345/SGDĐT-GDTrH ngày 15/01/2024 của Sở Giáo dục và Đào tạo
        recipients: [Phòng GD&ĐT (để b/c), Các tổ chuyên môn, "Lưu: VT."]
        attachments:
          - file: ban-scan.pdf
            title: Bản có chữ ký
          - file: phu-luc.pdf
            title: Phụ lục kèm theo
        changes:
          - date: 2024-02-10
            note: Sửa phụ lục 1
          - date: 2024-03-01
            note: Bổ sung phụ lục 2
        """)
    site.doc("thcs-a", "thong-bao", "dang-sau-ban-hanh",
             "title: Thông báo Quokka về lịch họp phụ huynh\nnumber: 07/TB-THCS\ndate: 2024-03-01\npublished: 2024-03-05\n",
             body="Nhà trường thông báo lịch họp Quokka.\n")
    site.raw("content/thcs-a/thong-bao/xylophon-ban-nhap.pdf", MINIMAL_PDF)
    site.doc("thcs-a", "thong-bao", DRAFT_SLUG,
             f"title: {DRAFT_TITLE}\nstatus: draft\nnumber: /TB-THCS\ntags: [xylophon]\n"
             "description: Bản nháp Xylophon chưa ban hành.\n"
             "attachments:\n  - file: xylophon-ban-nhap.pdf\n    title: Bản nháp Xylophon\n",
             body="Nội dung dự thảo Xylophon, chưa được công khai.\n")
    assert site.run("build", "--site-url", OTHER_SITE_URL) == 0
    return site


# 1. Portal home -------------------------------------------------------------------------------------


def test_home_lists_the_latest_postings_newest_first_across_units(sample_site: Path) -> None:
    home = article(sample_site, "index.html")
    (latest_heading,) = home.xpath(".//h2[@id='van-ban-moi-dang']")
    latest = items(sample_site, "index.html", latest_heading.getnext())
    current = sorted((r for r in register(sample_site) if r["status"] in CURRENT), key=posted_first)
    assert len(current) > LATEST_ON_HOME
    # the newest postings of the register, in its order, each shown with its posting date
    assert latest == [(r["key"], r["published"]) for r in current[:LATEST_ON_HOME]]
    days = [d for _, d in latest]
    assert days == sorted(days, reverse=True) and days[0] <= SAMPLE_ON
    assert len({key.split("/")[0] for key, _ in latest}) >= 3  # several units, not one


def test_home_directory_is_todays_tree_with_dissolved_units_apart(sample_site: Path) -> None:
    units = units_yaml()
    home = article(sample_site, "index.html")
    (directory,) = home.xpath(".//h2[@id='cac-don-vi']")
    # the tree is the unit finder's list (a filter by name, commune and kind when scripts run)
    (ul,) = directory.xpath("following-sibling::section[1][@data-ck-finder]/ul[contains(@class, 'ck-tree')]")
    shown = {parent: sorted(children) for parent, children in tree(sample_site, "index.html", ul).items()}
    expected: dict[str, list[str]] = {}
    for code, unit in units.items():
        if active_on(unit, TODAY):
            parent = parent_on(unit, TODAY)
            expected.setdefault(parent if parent in units else "", []).append(code)
    assert shown == {parent: sorted(children) for parent, children in expected.items()}
    # a school sits under today's supervisor (the ward), not the district office it had until 2025-06-30
    assert "th-kim-dong" in shown["ubnd-phuong-hoa-sen"] and "phong-gddt-tan-ha" not in shown
    assert all("phong-gddt-tan-ha" not in children for children in shown.values())

    (history,) = home.xpath(".//h3[@id='don-vi-da-giai-the-sap-nhap']")
    rows = history.getnext().xpath("./li")
    dissolved = {resolve("index.html", li.xpath("./a/@href")[0]).rstrip("/"): words(li) for li in rows}
    assert set(dissolved) == {c for c, u in units.items() if u.get("active_until") and u["active_until"] < TODAY}
    office = units["phong-gddt-tan-ha"]
    assert dissolved["phong-gddt-tan-ha"] == (
        f"{office['name']} · hoạt động đến {dmy(office['active_until'])}; đơn vị kế thừa: "
        f"{units[office['successor']]['name']}")


def test_home_links_the_portal_feed_and_the_opml_list(sample_site: Path) -> None:
    home = article(sample_site, "index.html")
    links = [resolve("index.html", h) for h in home.xpath(".//div[contains(@class, 'ck-feeds')]//a/@href")]
    assert links == ["rss.xml", "feeds.opml"]
    assert rss_root(sample_site / "rss.xml").tag == "rss"
    assert etree.parse(str(sample_site / "feeds.opml")).getroot().tag == "opml"


# 2. Unit home -------------------------------------------------------------------------------------


def test_unit_pages_show_contacts_and_head_from_the_unit_file(sample_site: Path) -> None:
    for code, unit in units_yaml().items():
        page = f"{code}/index.html"
        body = article(sample_site, page)
        assert heading(body.xpath(".//h1")[0]) == unit["name"]
        shown = facts(body.xpath(".//dl[contains(@class, 'ck-facts')]")[0])
        assert words(shown["Địa chỉ"]) == unit["address"], code
        assert words(shown["Điện thoại"]) == unit["phone"]
        assert shown["Điện thoại"].xpath("./a/@href") == ["tel:" + re.sub(r"[ .]", "", unit["phone"])]
        if unit.get("email"):
            assert shown["Thư điện tử"].xpath("./a/@href") == ["mailto:" + unit["email"]]
            assert words(shown["Thư điện tử"]) == unit["email"]
        else:
            assert "Thư điện tử" not in shown
        assert words(shown["Người đứng đầu"]) == f"{unit['head']['name']}, {unit['head']['title']}"


def test_unit_page_shows_its_supervisor_with_history_and_its_subordinates(sample_site: Path) -> None:
    units = units_yaml()
    page = "thcs-hoa-sen/index.html"
    body = article(sample_site, page)
    # the breadcrumb goes through today's supervisor, administratively: the ward belongs to the province's
    # People's Committee, not to the Sở (which guides it on education only)
    crumbs = [resolve(page, h).rstrip("/") for h in body.xpath(".//nav[contains(@class, 'ck-crumbs')]/a/@href")]
    assert crumbs == ["", "ubnd-phuong-hoa-sen"]
    parents = facts(body.xpath(".//dl[contains(@class, 'ck-facts')]")[0])["Trực thuộc"].xpath(".//li")
    assert [(resolve(page, li.xpath("./a/@href")[0]).rstrip("/"), words(li)) for li in parents] == [
        ("ubnd-phuong-hoa-sen", "Ủy ban nhân dân phường Hoa Sen (từ 01/07/2025)"),
        ("phong-gddt-tan-ha", "Phòng Giáo dục và Đào tạo huyện Tân Hà (đến 30/06/2025)"),
    ]
    assert [p["unit"] for p in reversed(units["thcs-hoa-sen"]["parent"])] == ["ubnd-phuong-hoa-sen", "phong-gddt-tan-ha"]
    former = facts(body.xpath(".//dl[contains(@class, 'ck-facts')]")[0])["Tên trước đây"]
    assert words(former) == "Trường Trung học cơ sở thị trấn Tân Hà (đến 30/06/2025)"

    # the ward lists the schools under it today
    page = "ubnd-phuong-hoa-sen/index.html"
    body = article(sample_site, page)
    (sub,) = body.xpath(".//h2[@id='don-vi-truc-thuoc']")
    (ul,) = sub.xpath("following-sibling::ul[1][contains(@class, 'ck-tree')]")
    under = tree(sample_site, page, ul)[""]
    assert sorted(under) == sorted(c for c, u in units.items()
                                   if active_on(u, TODAY) and parent_on(u, TODAY) == "ubnd-phuong-hoa-sen")
    assert "th-kim-dong" in under

    # the dissolved office has no subordinates today, lists those it had, and names its successor
    page = "phong-gddt-tan-ha/index.html"
    body = article(sample_site, page)
    (sub,) = body.xpath(".//h2[@id='don-vi-truc-thuoc']")
    section = list(following_until_h2(sub))
    assert not [el for el in section if "ck-tree" in (el.get("class") or "")]
    (former_list,) = [el for el in section if el.tag == "ul"]
    had = sorted(resolve(page, h).rstrip("/") for h in former_list.xpath("./li/a/@href"))
    assert had == sorted(c for c, u in units.items() if isinstance(u.get("parent"), list)
                         and any(p.get("unit") == "phong-gddt-tan-ha" for p in u["parent"])
                         or u.get("parent") == "phong-gddt-tan-ha")
    (banner,) = body.xpath(".//div[contains(@class, 'admonition') and contains(@class, 'warning')]")
    assert "hoạt động đến ngày 30 tháng 6 năm 2025" in words(banner)
    assert [resolve(page, h).rstrip("/") for h in banner.xpath(".//a/@href")] == ["ubnd-phuong-hoa-sen"]


def test_unit_pages_show_the_latest_postings_of_each_kind(sample_site: Path) -> None:
    records = register(sample_site)
    checked = 0
    for code in units_yaml():
        page = f"{code}/index.html"
        body = article(sample_site, page)
        # a unit that has closed shows what it posted ("Văn bản đã đăng"), an active one its latest postings
        (start,) = body.xpath(".//h2[@id='van-ban-moi-dang' or @id='van-ban-da-dang']")
        seen = []
        for h3 in [el for el in following_until_h2(start) if el.tag == "h3"]:
            kind = LABEL_TO_KIND[heading(h3)]
            seen.append(kind)
            current = sorted((r for r in records if r["key"].startswith(f"{code}/{kind}/") and r["status"] in CURRENT),
                             key=posted_first)
            block = h3.getnext()
            if not current:
                assert "ck-muted" in block.get("class") and words(block) == "Chưa có văn bản.", (code, kind)
                continue
            assert items(sample_site, page, block) == [(r["key"], r["published"]) for r in current[:LATEST_PER_KIND]]
            more = block.getnext()
            assert words(more) == f"Xem tất cả {len(current)} văn bản"
            assert resolve(page, more.xpath("./a/@href")[0]) == f"{code}/{kind}/"
            checked += 1
        assert seen == [k.folder for k in KINDS]
    assert checked >= 30


# 3. Listings ----------------------------------------------------------------------------------------


def test_listings_are_newest_first_grouped_by_year(sample_site: Path) -> None:
    records = register(sample_site)
    grouped = 0
    for code in units_yaml():
        for kind in KINDS:
            page = f"{code}/{kind.folder}/index.html"
            body = article(sample_site, page)
            current = sorted((r for r in records if r["key"].startswith(f"{code}/{kind.folder}/")
                              and r["status"] in CURRENT), key=issued_first)
            assert words(body.xpath(".//p[contains(@class, 'ck-lead')]")[0]).endswith(
                f"· {len(current)} văn bản, mới nhất trước.")
            if kind is thu_tuc.KIND:  # procedures: a table by field, not by year
                shown = [resolve(page, h).rstrip("/") for h in body.xpath(".//table//a/@href")]
                assert sorted(shown) == sorted(r["key"] for r in current)
                continue
            years = [h for h in body.xpath("./h2") if heading(h).startswith("Năm ")]
            numbers = [int(heading(h).removeprefix("Năm ")) for h in years]
            assert numbers == sorted(set(numbers), reverse=True), page
            flat = []
            for year, h in zip(numbers, years):
                listed = items(sample_site, page, h.getnext())
                days = [d for _, d in listed]
                assert listed and all(d.startswith(f"{year}-") for d in days), (page, year)
                assert days == sorted(days, reverse=True), (page, year)
                flat += listed
            assert flat == [(r["key"], r["date"]) for r in current], page
            grouped += len(numbers) >= 3
    assert grouped >= 3  # the sample really spans years


def test_a_withdrawn_document_is_listed_apart_not_in_its_year(sample_site: Path) -> None:
    withdrawn = [r for r in register(sample_site) if r["status"] == "withdrawn"]
    assert withdrawn
    for r in withdrawn:
        unit, kind, _ = r["key"].split("/")
        page = f"{unit}/{kind}/index.html"
        body = article(sample_site, page)
        (section,) = [h for h in body.xpath("./h2") if heading(h) == "Văn bản đã thu hồi"]
        assert (r["key"], r["date"]) in items(sample_site, page, section.getnext())
        for h in body.xpath("./h2"):
            if heading(h).startswith("Năm "):
                assert r["key"] not in [k for k, _ in items(sample_site, page, h.getnext())]


# 4. Document pages --------------------------------------------------------------------------------


def test_a_document_page_shows_what_a_vietnamese_reader_looks_for(throwaway: Site) -> None:
    page = "thcs-a/ke-hoach/kiem-tra-noi-bo-2024/index.html"
    body = article(throwaway.out, page)
    assert heading(body.xpath(".//h1")[0]) == "Kế hoạch kiểm tra nội bộ trường học năm 2024"
    meta = facts(body.xpath(".//dl[contains(@class, 'ck-docmeta')]")[0])
    assert words(meta["Số, ký hiệu"]) == "05/KH-THCS"
    assert words(meta["Ngày ban hành"]) == "ngày 05 tháng 02 năm 2024"
    assert meta["Ngày ban hành"].xpath("./time/@datetime") == ["2024-02-05"]
    assert words(meta["Đơn vị ban hành"]) == "Trường Trung học cơ sở Sao Mai"
    assert [resolve(page, h) for h in meta["Đơn vị ban hành"].xpath("./a/@href")] == ["thcs-a/"]
    assert words(meta["Người ký"]) == "Lê Văn Bình (KT. HIỆU TRƯỞNG – PHÓ HIỆU TRƯỞNG)"
    assert words(meta["Ngày đăng"]) == "07/02/2024" and meta["Ngày đăng"].xpath("./time/@datetime") == ["2024-02-07"]
    assert words(meta["Cập nhật lần cuối"]) == "01/03/2024"
    basis = body.xpath(".//div[contains(@class, 'ck-basis')]")[0]
    assert words(basis.xpath("./p")[0]) == "Căn cứ"
    assert [words(li) for li in basis.xpath(".//li")] == [
        "Kế hoạch số 12/KH-PGDĐT ngày 10/01/2024 của Phòng GD&ĐT huyện Ven Sông",
        "Công văn số 345/SGDĐT-GDTrH ngày 15/01/2024 của Sở Giáo dục và Đào tạo",
    ]
    sign = body.xpath(".//div[contains(@class, 'ck-sign')]")[0]
    assert words(sign.xpath(".//p[contains(@class, 'ck-sign__label')]")[0]) == "Nơi nhận:"
    assert [words(li) for li in sign.xpath(".//div[contains(@class, 'ck-sign__recipients')]//li")] == [
        "Phòng GD&ĐT (để b/c)", "Các tổ chuyên môn", "Lưu: VT."]
    assert [words(p) for p in sign.xpath(".//div[contains(@class, 'ck-sign__signer')]/p")] == [
        "KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Lê Văn Bình"]
    files = body.xpath(".//ul[contains(@class, 'ck-files')]/li")
    assert [(resolve(page, li.xpath("./a/@href")[0]), li.xpath("./a/@type")[0], words(li)) for li in files] == [
        ("thcs-a/ke-hoach/kiem-tra-noi-bo-2024/ban-scan.pdf", "application/pdf",
         f"Bản có chữ ký (PDF, {len(MINIMAL_PDF)} byte)"),
        ("thcs-a/ke-hoach/kiem-tra-noi-bo-2024/phu-luc.pdf", "application/pdf", "Phụ lục kèm theo (PDF, 300 KB)"),
    ]
    assert (throwaway.out / "thcs-a/ke-hoach/kiem-tra-noi-bo-2024/phu-luc.pdf").stat().st_size == 300 * 1024
    (history,) = body.xpath(".//h2[@id='lich-su-thay-doi']")
    changes = history.getnext().xpath("./li")
    assert [(li.xpath("./time/@datetime")[0], words(li)) for li in changes] == [
        ("2024-03-01", "01/03/2024: Bổ sung phụ lục 2"), ("2024-02-10", "10/02/2024: Sửa phụ lục 1")]
    # NĐ 30/2020: a leading zero only for days below 10 and for January and February
    other = facts(article(throwaway.out, "thcs-a/thong-bao/dang-sau-ban-hanh/index.html")
                  .xpath(".//dl[contains(@class, 'ck-docmeta')]")[0])
    assert words(other["Ngày ban hành"]) == "ngày 01 tháng 3 năm 2024"
    assert words(other["Ngày đăng"]) == "05/03/2024"


LONG_DATE = re.compile(r"ngày (\d{2}) tháng (0[12]|[3-9]|1[0-2]) năm (\d{4})")


def test_every_sample_document_page_agrees_with_the_register_and_its_files(sample_site: Path) -> None:
    units = units_yaml()
    records = register(sample_site)
    assert len(records) >= 60
    with_files = 0
    for r in records:
        page = r["key"] + "/index.html"
        body = article(sample_site, page)
        meta = facts(body.xpath(".//dl[contains(@class, 'ck-docmeta')]")[0])
        if r["number"]:
            assert words(meta["Số, ký hiệu"]) == r["number"], page
        if r["date"]:
            issued = date.fromisoformat(r["date"])
            assert meta["Ngày ban hành"].xpath("./time/@datetime") == [r["date"]]
            match = LONG_DATE.fullmatch(words(meta["Ngày ban hành"]))
            assert match and tuple(map(int, match.groups())) == (issued.day, issued.month, issued.year), page
        assert meta["Ngày đăng"].xpath("./time/@datetime") == [r["published"]]
        assert words(meta["Ngày đăng"]) == dmy(date.fromisoformat(r["published"]))
        # the issuing unit under the name it had on the document's date
        unit = units[r["unit"]]
        issued_on = date.fromisoformat(r["date"] or r["published"])
        name = next((f["name"] for f in unit.get("former_names", []) if issued_on <= f["until"]), unit["name"])
        assert words(meta["Đơn vị ban hành"]) == name, page
        if r["signer"] and r["signer"]["name"]:
            assert words(meta["Người ký"]).startswith(r["signer"]["name"])
        files = body.xpath(".//ul[contains(@class, 'ck-files')]/li")
        assert len(files) == len(r["attachments"]), page
        for li, a in zip(files, r["attachments"]):
            target = resolve(page, li.xpath("./a/@href")[0])
            assert a["url"] == CONFIG_SITE_URL + target
            size = (sample_site / target).stat().st_size
            assert size == a["bytes"]
            label, amount, unit_word = re.fullmatch(r".*\((.+), ([\d,]+) (byte|KB|MB)\)", words(li)).groups()
            assert label == ATTACHMENT_LABELS[a["type"]] and li.xpath("./a/@type") == [a["type"]]
            # README: "812 byte", "245 KB", "1,2 MB" (rounded, decimal comma)
            scale, slack = {"byte": (1, 0), "KB": (1024, 512), "MB": (1024 * 1024, 0.05 * 1024 * 1024)}[unit_word]
            assert abs(float(amount.replace(",", ".")) * scale - size) <= slack, (page, words(li))
            with_files += 1
    assert with_files >= 5
    renamed = facts(article(sample_site, "thcs-hoa-sen/ke-hoach/ke-hoach-cchc-2025/index.html")
                    .xpath(".//dl[contains(@class, 'ck-docmeta')]")[0])
    assert words(renamed["Đơn vị ban hành"]) == "Trường Trung học cơ sở thị trấn Tân Hà"


def test_a_sample_document_page_shows_basis_recipients_and_change_notes_from_its_source(sample_site: Path) -> None:
    source = (REPO / "content/so-gddt/ke-hoach/ke-hoach-cchc-2025.md").read_text(encoding="utf-8")
    front = yaml.safe_load(source.split("---\n")[1])
    page = "so-gddt/ke-hoach/ke-hoach-cchc-2025/index.html"
    body = article(sample_site, page)
    assert [words(li) for li in body.xpath(".//div[contains(@class, 'ck-basis')]//li")] == front["basis"]
    assert [words(li) for li in body.xpath(".//div[contains(@class, 'ck-sign__recipients')]//li")] == front["recipients"]
    (history,) = body.xpath(".//h2[@id='lich-su-thay-doi']")
    assert [(li.xpath("./time/@datetime")[0], words(li)) for li in history.getnext().xpath("./li")] == [
        (c["date"].isoformat(), f"{dmy(c['date'])}: {c['note']}") for c in front["changes"]]
    (attachment,) = body.xpath(".//ul[contains(@class, 'ck-files')]/li")
    size = (REPO / "content/so-gddt/ke-hoach" / front["attachments"][0]["file"]).stat().st_size
    assert words(attachment) == f"{front['attachments'][0]['title']} (PDF, {size} byte)"


# 5. Drafts ------------------------------------------------------------------------------------------


def every_output(root: Path) -> list[tuple[Path, bytes]]:
    """Return each output file with its bytes, Pagefind's gzip-compressed files uncompressed."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found.append((path, data))
    return found


def test_a_draft_appears_nowhere_in_the_output(throwaway: Site) -> None:
    outputs = every_output(throwaway.out)
    names = [p.relative_to(throwaway.out).as_posix() for p, _ in outputs]
    assert not [n for n in names if DRAFT_TOKEN.decode() in n.lower()]
    title = DRAFT_TITLE.encode("utf-8")
    leaking = [p.relative_to(throwaway.out).as_posix() for p, data in outputs
               if title in data or DRAFT_TOKEN in data.lower() or DRAFT_SLUG.encode() in data]
    assert leaking == []
    # the same scan finds the published sibling everywhere a posting goes: the scan does see into each file
    holding = {p.relative_to(throwaway.out).as_posix() for p, data in outputs if SIBLING_TOKEN in data.lower()}
    for expected in ("index.html", "thcs-a/thong-bao/index.html", "thcs-a/thong-bao/dang-sau-ban-hanh/index.html",
                     "rss.xml", "thcs-a/thong-bao/rss.xml", "data/documents.json", "data/documents.csv",
                     "thcs-a/moi-nhat.json"):
        assert expected in holding, expected
    assert any(n.endswith(".pf_fragment") for n in holding)


def test_the_sample_draft_appears_nowhere_in_the_sample_portal(sample_site: Path) -> None:
    slug = b"du-thao-ke-hoach-chuyen-doi-so-2026-2027"
    title = "Dự thảo Kế hoạch chuyển đổi số năm học 2026 – 2027".encode("utf-8")
    assert b"status: draft" in (REPO / "content/thcs-hoa-sen/ke-hoach" / (slug.decode() + ".md")).read_bytes()
    leaking = [p.relative_to(sample_site).as_posix() for p, data in every_output(sample_site)
               if slug in data or title in data]
    assert leaking == []


# 6. Every feed parses ---------------------------------------------------------------------------------


def test_every_rss_feed_of_the_sample_parses_with_feedparser(sample_site: Path) -> None:
    feeds = []
    for path in sorted(sample_site.rglob("*.xml")):
        root = rss_root(path)
        if path.name == "sitemap.xml":
            assert root.tag.endswith("urlset")
            continue
        assert root.tag == "rss", path  # any other .xml is a feed
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20" and parsed.feed.get("title"), path
        feeds.append(path)
    assert len(feeds) > 20
    names = {p.relative_to(sample_site).as_posix() for p in feeds}
    units = units_yaml()
    assert {"rss.xml", *(f"{u}/rss.xml" for u in units), *(f"{u}/{k.folder}/rss.xml" for u in units for k in KINDS)} <= names


# 7. Feed discovery ------------------------------------------------------------------------------------

# The 404 page is served at any address, so it links no feed; the bare iframe snippet a school
# embeds in its own website (embed.py: no theme) links only its unit's feed.
NOT_PORTAL_PAGES = re.compile(r"^(404\.html|quan-tri/.*)$")  # the 404 page and the web editor (not indexed)
EMBED_PAGE = re.compile(r"^([a-z0-9-]+)/moi-nhat/index\.html$")


def alternates(root: Path, page: str) -> list[str]:
    head = html_of(root, page).xpath("//head")[0]
    return [resolve(page, h) for h in head.xpath("./link[@rel='alternate'][@type='application/rss+xml']/@href")]


def test_every_page_links_the_portal_feed_and_its_units_feeds(sample_site: Path) -> None:
    units = set(units_yaml())
    kinds = {k.folder for k in KINDS}
    pages = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
    checked = 0
    for page in pages:
        if NOT_PORTAL_PAGES.match(page):
            continue
        embed = EMBED_PAGE.match(page)
        if embed:
            head = html_of(sample_site, page).xpath("//head")[0]
            hrefs = head.xpath("./link[@rel='alternate'][@type='application/rss+xml']/@href")
            assert len(hrefs) == 1 and hrefs[0].endswith(f"/{embed.group(1)}/rss.xml"), (page, hrefs)
            continue
        links = alternates(sample_site, page)
        assert "rss.xml" in links, page
        for link in links:
            assert (sample_site / link).is_file() and rss_root(sample_site / link).tag == "rss", (page, link)
        parts = page.split("/")
        if parts[0] in units:
            assert f"{parts[0]}/rss.xml" in links, page
            if len(parts) > 2 and parts[1] in kinds:
                assert f"{parts[0]}/{parts[1]}/rss.xml" in links, page
        checked += 1
    assert checked >= 250
    assert alternates(sample_site, "index.html") == ["rss.xml"]
    assert alternates(sample_site, "thcs-hoa-sen/tai-chinh/index.html") == [
        "rss.xml", "thcs-hoa-sen/rss.xml", "thcs-hoa-sen/tai-chinh/rss.xml"]
    assert alternates(sample_site, "thcs-hoa-sen/index.html") == ["rss.xml", "thcs-hoa-sen/rss.xml"]


def test_the_unit_pages_rss_block_lists_feeds_that_exist(sample_site: Path) -> None:
    page = "thcs-hoa-sen/index.html"
    body = article(sample_site, page)
    links = [resolve(page, h) for h in body.xpath(".//div[contains(@class, 'ck-feeds')]//a/@href")]
    assert links == ["thcs-hoa-sen/rss.xml", *(f"thcs-hoa-sen/{k.folder}/rss.xml" for k in KINDS),
                     "thcs-hoa-sen/feeds.opml", "rss.xml"]
    for link in links:
        assert (sample_site / link).is_file(), link
    # the school's tai-chinh feed carries the school's latest budget posting first
    newest = sorted((r for r in register(sample_site) if r["key"].startswith("thcs-hoa-sen/tai-chinh/")),
                    key=posted_first)[0]
    parsed = feedparser.parse((sample_site / "thcs-hoa-sen/tai-chinh/rss.xml").read_bytes())
    assert parsed.entries[0].link == newest["url"]


# 8. --site-url ----------------------------------------------------------------------------------------


def test_site_url_override_changes_the_feeds_absolute_addresses(throwaway: Site) -> None:
    assert CONFIG_SITE_URL != OTHER_SITE_URL
    for feed in ("rss.xml", "thcs-a/rss.xml", "thcs-a/thong-bao/rss.xml"):
        raw = (throwaway.out / feed).read_bytes()
        channel = etree.fromstring(raw).find("channel")
        (self_link,) = channel.findall(f"{ATOM}link")
        assert self_link.get("rel") == "self" and self_link.get("href") == OTHER_SITE_URL + feed
        item_links = [i.findtext("link") for i in channel.iter("item")]
        assert item_links and all(link.startswith(OTHER_SITE_URL) for link in item_links)
        assert CONFIG_SITE_URL.encode() not in raw
    assert register(throwaway.out, OTHER_SITE_URL)


# 9. pubDate from `published` --------------------------------------------------------------------------


def test_pubdate_is_the_posting_date_not_the_issue_date(throwaway: Site) -> None:
    link = OTHER_SITE_URL + "thcs-a/thong-bao/dang-sau-ban-hanh/"
    for feed in ("rss.xml", "thcs-a/rss.xml", "thcs-a/thong-bao/rss.xml", "phong-gd/rss.xml"):
        channel = rss_root(throwaway.out / feed).find("channel")
        (item,) = [i for i in channel.iter("item") if i.findtext("link") == link]
        assert item.findtext("pubDate") == "Tue, 05 Mar 2024 00:00:00 +0700", feed
        parsed = feedparser.parse((throwaway.out / feed).read_bytes())
        (entry,) = [e for e in parsed.entries if e.link == link]
        assert tuple(entry.published_parsed)[:5] == (2024, 3, 4, 17, 0)  # 00:00 +07:00 in UTC


def test_the_register_merges_its_parts_in_address_order_whatever_their_names(tmp_path: Path) -> None:
    """Each unit's lines wait in order in its own file; merged, they are in address order even where
    a unit's code is the start of another's ("th" before "th-b" by name, after it by address)."""
    from datetime import date

    from congkhai.site import register as reg

    def rec(url: str, title: str) -> dict:
        return dict.fromkeys(reg.CSV_COLUMNS, "") | {"url": url, "title": title, "attachments": []}

    parts = {"th": [rec("/th/ke-hoach/b/", "B & <c>"), rec("/th/ke-hoach/a/", "A")],
             "th-b": [rec("/th-b/tin-tuc/z/", "Z")]}
    files = []
    for name in sorted(parts):
        (tmp_path / name).write_bytes(reg.register_lines(parts[name]))
        files.append(tmp_path / name)
    reg.write_register([reg.read_lines(f) for f in files], 3, date(2026, 1, 2), tmp_path / "out")
    written = json.loads((tmp_path / "out/data/documents.json").read_text(encoding="utf-8"))
    assert [d["url"] for d in written["documents"]] == ["/th-b/tin-tuc/z/", "/th/ke-hoach/a/", "/th/ke-hoach/b/"]
    assert written["count"] == 3 and written["generated_on"] == "2026-01-02"
    assert "\\u003c" in (tmp_path / "out/data/documents.json").read_text(encoding="utf-8")
    table = (tmp_path / "out/data/documents.csv").read_bytes()
    assert table.startswith(b"\xef\xbb\xbf") and table.decode("utf-8-sig").splitlines()[2].count("/th/ke-hoach/a/")
    with pytest.raises(ValueError):
        reg.write_register([reg.read_lines(f) for f in files], 4, date(2026, 1, 2), tmp_path / "again")
