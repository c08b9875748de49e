"""Readable by every parent and official: the checks of scripts/accessibility.py on the sample portal
(axe-core over every page type at 375 and 1366 px, the keyboard, the phone layout, charts, the printed
notice read back from its PDF with its QR code decoded, page weight), and the pieces behind them.

The browser checks fail, not skip, under CI=true when Chromium is missing (conftest.browser)."""

from __future__ import annotations

import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import accessibility  # noqa: E402

from congkhai.model.periods import parse_period  # noqa: E402
from congkhai.site.charts import MISSING, SCALE, bar_chart  # noqa: E402
from congkhai.site.icons import ICONS  # noqa: E402
from congkhai.site.printing import fill_qr_codes, printed_address, qr_svg  # noqa: E402


@pytest.fixture(scope="module")
def checked(browser, sample_site: Path, tmp_path_factory) -> accessibility.Findings:
    """Every check of scripts/accessibility.py run once over the sample portal."""
    pdfs = tmp_path_factory.mktemp("pdf")
    found = accessibility.run(browser, sample_site, REPO / "units", pdfs=pdfs)
    found.figures["pdf"] = pdfs
    return found


def failures(found: accessibility.Findings, *prefixes: str) -> list[str]:
    return [f for f in found.failures if f.startswith(prefixes)]


def test_every_page_type_is_covered(sample_site: Path) -> None:
    types = accessibility.page_types(sample_site, REPO / "units")
    for kind in ("ke-hoach", "thu-tuc", "tai-chinh", "tin-tuc", "thong-bao", "tuyen-sinh", "withdrawn", "superseded"):
        assert f"van-ban-{kind}" in types, kind
    for name in ("trang-chu", "don-vi-giai-the", "don-vi-so", "don-vi-xa", "don-vi-th", "danh-sach", "danh-muc-thu-tuc",
                 "cong-khai-truong", "cong-khai-so", "nghia-vu", "mot-nghia-vu", "tim-kiem", "kenh-rss", "huong-dan",
                 "khong-tim-thay", "moi-nhat", "kha-nang-tiep-can"):
        assert name in types, name
    assert set(accessibility.printed(types)) >= {"cong-khai-so", "danh-muc-thu-tuc", "van-ban-tuyen-sinh"}


def test_axe_finds_no_violation_of_any_impact_at_phone_and_desktop_widths(checked) -> None:
    assert failures(checked, "axe ") == []
    assert len(checked.figures["axe"]) >= 2 * 27


def test_the_first_tab_reaches_a_skip_link_and_every_stop_shows_its_focus(checked) -> None:
    assert failures(checked, "bàn phím ") == []


def test_the_phone_shows_the_unit_finder_first_and_nothing_overflows(checked) -> None:
    assert failures(checked, "bố cục ") == []
    assert 0 < checked.figures[f"o-tim-don-vi@{accessibility.PHONE[0]}"] < accessibility.PHONE[1]


def test_charts_are_drawn_to_scale(checked) -> None:
    assert failures(checked, "biểu đồ ") == []


def test_every_document_prints_as_a_notice_with_its_address_and_a_qr_code(checked) -> None:
    assert failures(checked, "in ") == []
    pages = checked.figures["so-trang-in"]
    assert all(n >= 1 for n in pages.values()) and len(pages) >= 11
    # read one back here too: the letterhead's order and the QR code, from the PDF itself
    pdf = (checked.figures["pdf"] / "van-ban-ke-hoach.pdf").read_bytes()
    read = accessibility.pdf_pages(pdf)
    first = re.sub(r"\s+", " ", read[0][0])
    assert first.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < first.index("Độc lập - Tự do - Hạnh phúc")
    assert "Số: " in first and f"Trang 1/{len(read)}" in first
    codes = [code for _, image in read for code in accessibility.qr_texts(image)]
    assert codes and all(code.startswith("https://congkhai.honglam.example.vn/") for code in codes)


def test_a_document_page_is_light_and_fetches_no_sitemap(checked) -> None:
    assert failures(checked, "dung lượng") == []
    assert checked.figures["trang-van-ban-lan-dau"] < accessibility.FIRST_VISIT_BUDGET
    assert checked.figures["trang-van-ban-lan-sau"] < accessibility.NEXT_VISIT_BUDGET


# The pieces -------------------------------------------------------------------------------------------------

def test_bars_are_proportional_on_one_scale_from_zero_and_missing_values_are_words() -> None:
    chart = bar_chart("Mục tiêu và kết quả", ["Mục tiêu", "Kết quả"],
                      [("Năm 2025", [Decimal(85), Decimal("87.6")]), ("Năm 2026", [Decimal(90), None])],
                      lambda v: f"{v}%", least_top=100)
    lengths = [(b.value, b.length) for g in chart.groups for b in g.bars]
    assert lengths == [(Decimal(85), 850), (Decimal("87.6"), 876), (Decimal(90), 900), (None, None)]
    assert chart.groups[1].bars[1].text == MISSING == "chưa có số liệu"
    money = bar_chart("Dự toán", ["Số tiền"], [("A", [Decimal(974000)]), ("B", [Decimal(10056000)])], str)
    assert [b.length for g in money.groups for b in g.bars] == [97, SCALE]
    assert money.summary == "A: 974000; B: 10056000."


def test_icons_are_the_ones_material_bundles() -> None:
    import material

    folder = Path(material.__file__).parent / "templates" / ".icons" / "material"
    for name, (file, path) in ICONS.items():
        assert f'd="{path}"' in (folder / f"{file}.svg").read_text(encoding="utf-8"), name


def test_the_printed_address_is_absolute_and_its_qr_code_is_stable() -> None:
    first = printed_address("https://cong.example.vn/", "thcs-a/ke-hoach/ke-hoach-2025/")
    again = printed_address("https://cong.example.vn/", "thcs-a/ke-hoach/ke-hoach-2025/")
    assert first is not None and first.url == "https://cong.example.vn/thcs-a/ke-hoach/ke-hoach-2025/"
    assert first.qr == again.qr and first.qr.startswith('<svg role="img" aria-label="Mã QR')
    assert printed_address(None, "thcs-a/") is None
    # A planned page holds only the code's slot; the code is drawn when the page is rendered.
    slot = first.qr_slot
    assert "<svg" not in slot and fill_qr_codes(f"<div>{slot}</div>") == f"<div>{first.qr}</div>"
    odd = printed_address("https://cong.example.vn/", 'a&b"c/')
    assert odd is not None and fill_qr_codes(odd.qr_slot) == qr_svg(odd.url) and '&' in odd.url


def _drawn(svg: str, scale: int = 6):
    """Return the QR code of inline SVG `svg` (one stroked line per run of dark modules) as an image."""
    from PIL import Image, ImageDraw

    box = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (box * scale, box * scale), 255)
    pen = ImageDraw.Draw(image)
    x = y = 0.0
    for move, dx, dy, length in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", svg):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        pen.rectangle([x * scale, (y - 0.5) * scale, (x + int(length)) * scale - 1, (y + 0.5) * scale - 1], fill=0)
        x += int(length)
    return image


@pytest.mark.parametrize("address", [
    "https://cong.example.vn/thcs-a/ke-hoach/ke-hoach-2025/",
    "https://so-gddt.example.vn/truong-thpt-nguyen-du/tai-chinh/quyet-toan-ngan-sach-nam-2025-va-thuyet-minh/?a=1&b=2",
    "https://trường.example.vn/tin-tuc/ấp-bắc/",  # an address that is not ASCII: UTF-8 in the code
])
def test_a_qr_code_reads_back_as_its_address(address: str) -> None:
    import zxingcpp

    svg = str(qr_svg(address))
    read = [r for r in zxingcpp.read_barcodes(_drawn(svg)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert [r.text for r in read] == [address]
    assert read[0].ec_level == "M"  # error correction M: a creased or faded notice still reads


def test_periods_are_said_in_words() -> None:
    assert parse_period("2026-Q3").words == "Quý III/2026"
    assert parse_period("2026-9M").words == "9 tháng đầu năm 2026"
    assert parse_period("2026-H1").words == "6 tháng đầu năm 2026"
    assert parse_period("2025-2026").words == "Năm học 2025–2026"
    assert parse_period("2026").words == "Năm 2026"


# Words a reader sees ------------------------------------------------------------------------------------------

INTERNAL = re.compile(
    r"obligation:|period\)|_date\b|'[a-z]+_[a-z_]+'|\b20\d\d-(?:Q[1-4]|H1|9M)\b|nguồn thứ cấp|chưa xác minh|Not found"
    r"|[\U0001F300-\U0001FAFF]")


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|svg|code|pre)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def test_no_page_shows_internal_words_field_names_codes_or_emoji(sample_site: Path) -> None:
    found = {}
    for page in sorted(sample_site.rglob("*.html")):
        if page.relative_to(sample_site).parts[0] in ("huong-dan", "pagefind", "assets"):
            continue  # the authoring guide speaks to staff about fields and codes, on purpose
        hits = INTERNAL.findall(visible_text(page.read_text(encoding="utf-8")))
        if hits:
            found[page.relative_to(sample_site).as_posix()] = hits[:3]
    assert found == {}


def test_the_404_page_and_the_accessibility_statement_speak_vietnamese(sample_site: Path) -> None:
    missing = visible_text((sample_site / "404.html").read_text(encoding="utf-8"))
    assert "Không tìm thấy trang" in missing and "Tìm văn bản" in missing and "Not found" not in missing
    statement = visible_text((sample_site / "kha-nang-tiep-can/index.html").read_text(encoding="utf-8"))
    for words in ("WCAG 2.2", "axe-core", "375", "1366", "Báo một trở ngại", "Thông tư 26/2020/TT-BTTTT"):
        assert words in statement, words
    assert 'href="kha-nang-tiep-can/"' in (sample_site / "index.html").read_text(encoding="utf-8")


def test_feeds_name_their_stylesheet_and_their_units_in_item_titles(sample_site: Path) -> None:
    portal = (sample_site / "rss.xml").read_text(encoding="utf-8")
    assert portal.splitlines()[1] == '<?xml-stylesheet type="text/xsl" href="assets/rss.xsl"?>'
    unit = (sample_site / "th-kim-dong/ke-hoach/rss.xml").read_text(encoding="utf-8")
    assert '<?xml-stylesheet type="text/xsl" href="../../assets/rss.xsl"?>' in unit
    titles = re.findall(r"<item>\s*<title>([^<]+)</title>", portal)
    assert len(titles) == len(set(titles)) > 20
    assert all(" – " in t for t in titles)
    assert (sample_site / "assets/rss.xsl").is_file()


def test_unit_and_obligation_pages_offer_to_subscribe_near_the_top(sample_site: Path) -> None:
    for page in ("th-kim-dong/index.html", "nghia-vu/du-toan/index.html"):
        html = (sample_site / page).read_text(encoding="utf-8")
        body = html[html.index("<h1"):]
        assert body.index('class="ck-subscribe"') < body.index("<h2"), page


def test_the_sample_is_built_for_the_day_the_checks_expect() -> None:
    assert accessibility.ON == "2026-11-22" and date.fromisoformat(accessibility.ON)


def test_the_unit_finder_filters_by_name_commune_and_kind(browser, sample_site: Path) -> None:
    from conftest import serve

    with serve(sample_site) as base:
        page = browser.new_page(viewport={"width": 375, "height": 812})
        page.goto(base)
        shown = lambda: [a.strip() for a in page.locator("[data-ck-finder] li:not([hidden]) > a").all_inner_texts()]  # noqa: E731
        everyone = shown()
        page.fill("#ck-finder-ten", "kim dong")  # without tone marks
        assert "Trường Tiểu học Kim Đồng" in shown() and len(shown()) < len(everyone)
        assert "Trường Trung học phổ thông Tân Hà" not in shown()
        assert page.locator(".ck-finder__count").inner_text().startswith("1 trong")
        page.fill("#ck-finder-ten", "")
        page.select_option("#ck-finder-loai", "thpt")
        assert "Trường Trung học phổ thông Tân Hà" in shown() and "Trường Tiểu học Kim Đồng" not in shown()
        page.select_option("#ck-finder-loai", "")
        page.select_option("#ck-finder-xa", "ubnd-phuong-hoa-sen")
        assert "Trường Tiểu học Kim Đồng" in shown() and "Trường Trung học phổ thông Tân Hà" not in shown()
        # the menu button opens the navigation drawer from the keyboard, and says so
        page.focus(".ck-drawer-button")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert page.get_attribute(".ck-drawer-button", "aria-expanded") == "true"
        assert page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        page.keyboard.press("Escape")
        assert page.get_attribute(".ck-drawer-button", "aria-expanded") == "false"
        page.close()
