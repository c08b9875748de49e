"""Feeds: RSS 2.0 that real clients parse, with stable guids and the subordinate-unit rule."""

from __future__ import annotations

import email.utils
import unicodedata
from pathlib import Path

import feedparser
from conftest import MINIMAL_PDF, Site
from lxml import etree

from congkhai.kinds import KINDS

SITE_URL = "https://congkhai.honglam.example.vn/"


def portal(site: Site) -> None:
    site.standard_units()
    site.raw("content/thcs-a/tai-chinh/bieu-mau.pdf", MINIMAL_PDF)
    site.raw("content/thcs-a/tai-chinh/phu-luc.pdf", MINIMAL_PDF * 2)
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024",
             "title: Kế hoạch cải cách hành chính năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n"
             "tags: [cải cách hành chính]\n",
             body="## I. MỤC ĐÍCH\n\nNâng cao **chất lượng** phục vụ [người dân](https://example.vn).\n")
    site.doc("thcs-a", "tai-chinh", "du-toan-2025",
             "title: Công khai dự toán năm 2025\nnumber: 12/QĐ-THCS\ndate: 2025-09-20\nreport: du-toan\nfiscal_year: 2025\n"
             "description: Dự toán ngân sách được giao năm 2025.\n"
             "attachments:\n  - file: bieu-mau.pdf\n    title: Biểu mẫu\n  - file: phu-luc.pdf\n    title: Phụ lục\n")
    site.doc("phong-gd", "ke-hoach", "ke-hoach-phong-2024", "title: Kế hoạch của Phòng\nnumber: 10/KH-PGDĐT\ndate: 2024-01-05\n")


def feed(site: Site, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site.out / path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def all_feeds(site: Site) -> list[Path]:
    return sorted(site.out.rglob("*.xml"))


def assert_w3c_rules(path: Path, site: Site) -> None:
    """The rules of the W3C Feed Validation Service that apply to our feeds."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == SITE_URL + path.relative_to(site.out).as_posix()
    for date_text in [channel.findtext("lastBuildDate"), *[i.findtext("pubDate") for i in channel.iter("item")]]:
        parsed = email.utils.parsedate_to_datetime(date_text)
        assert parsed.utcoffset().total_seconds() == 7 * 3600, date_text
        assert email.utils.format_datetime(parsed) == date_text
    guids = [i.findtext("guid") for i in channel.iter("item")]
    assert len(guids) == len(set(guids)), "guids must be unique"
    for item in channel.iter("item"):
        assert item.findtext("title") and item.findtext("link").startswith(SITE_URL)
        for enclosure in item.findall("enclosure"):
            assert int(enclosure.get("length")) > 0 and enclosure.get("url").startswith(SITE_URL)


def test_every_feed_parses_and_follows_the_validator_rules(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    paths = [p for p in all_feeds(site) if p.name != "sitemap.xml"]
    # the portal, each unit, each unit and kind, each national obligation, each unit's overdue items
    assert len(paths) == 1 + 4 + 4 * len(KINDS) + 12 + 4  # 12 national obligations, commune-budget included
    for path in paths:
        feed(site, path.relative_to(site.out).as_posix())
        assert_w3c_rules(path, site)


def test_items_carry_title_link_guid_date_summary_unit_categories_and_enclosures(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    parsed = feed(site, "thcs-a/tai-chinh/rss.xml")
    assert parsed.feed.title == "Công khai tài chính – Trường Trung học cơ sở Sao Mai"
    assert parsed.feed.language == "vi"
    (item,) = parsed.entries
    assert item.title == "Công khai dự toán năm 2025 – Trường Trung học cơ sở Sao Mai"  # the unit in every title
    assert item.link == SITE_URL + "thcs-a/tai-chinh/du-toan-2025/"
    assert item.id.startswith("urn:uuid:") and item.guidislink is False
    assert item.published == "Sat, 20 Sep 2025 00:00:00 +0700"
    assert item.summary == "Số 12/QĐ-THCS, ngày 20/09/2025. Dự toán ngân sách được giao năm 2025."
    assert item.author == "Trường Trung học cơ sở Sao Mai"
    assert [t.term for t in item.tags] == ["Công khai tài chính"]
    assert [(e.href, e.length, e.type) for e in item.enclosures] == [
        (SITE_URL + "thcs-a/tai-chinh/du-toan-2025/bieu-mau.pdf", str(len(MINIMAL_PDF)), "application/pdf"),
        (SITE_URL + "thcs-a/tai-chinh/du-toan-2025/phu-luc.pdf", str(2 * len(MINIMAL_PDF)), "application/pdf"),
    ]
    plan = feed(site, "thcs-a/ke-hoach/rss.xml").entries[0]
    assert plan.summary == "Số 05/KH-THCS, ngày 15/01/2024. Nâng cao chất lượng phục vụ người dân."
    assert [t.term for t in plan.tags] == ["Kế hoạch", "cải cách hành chính"]


def test_unit_feeds_follow_the_supervisor_on_each_documents_date(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    titles = lambda path: [e.title.rsplit(" – ", 1)[0] for e in feed(site, path).entries]  # noqa: E731
    assert [e.title for e in feed(site, "phong-gd/rss.xml").entries] == [
        "Kế hoạch cải cách hành chính năm 2024 – Trường Trung học cơ sở Sao Mai",
        "Kế hoạch của Phòng – Phòng Giáo dục và Đào tạo huyện Ven Sông"]
    assert titles("phong-gd/rss.xml") == ["Kế hoạch cải cách hành chính năm 2024", "Kế hoạch của Phòng"]
    assert titles("ubnd-xa/rss.xml") == ["Công khai dự toán năm 2025"]
    assert titles("so-gd/rss.xml") == titles("rss.xml") == [
        "Công khai dự toán năm 2025", "Kế hoạch cải cách hành chính năm 2024", "Kế hoạch của Phòng",
    ]
    assert titles("thcs-a/rss.xml") == ["Công khai dự toán năm 2025", "Kế hoạch cải cách hành chính năm 2024"]


def test_channel_dates_come_from_on_not_the_clock(site: Site) -> None:
    portal(site)
    assert site.run("build", on="2026-01-02") == 0
    parsed = feed(site, "rss.xml")
    assert parsed.feed.updated == "Fri, 02 Jan 2026 00:00:00 +0700"


def test_editing_a_title_or_renaming_with_an_alias_keeps_every_guid(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    before = {e.link.rsplit("/", 2)[-2]: e.id for e in feed(site, "rss.xml").entries}
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024",
             "title: Kế hoạch CCHC năm 2024 (sửa tên)\nnumber: 05/KH-THCS\ndate: 2024-01-15\n")
    old = site.content / "thcs-a/tai-chinh/du-toan-2025.md"
    text = old.read_text(encoding="utf-8").replace("---\ntitle:", "---\naliases: [du-toan-2025]\ntitle:", 1)
    old.unlink()
    (site.content / "thcs-a/tai-chinh/cong-khai-du-toan-2025.md").write_text(text, encoding="utf-8")
    assert site.run("build") == 0
    after = {e.link.rsplit("/", 2)[-2]: e.id for e in feed(site, "rss.xml").entries}
    assert after["ke-hoach-2024"] == before["ke-hoach-2024"]
    assert after["cong-khai-du-toan-2025"] == before["du-toan-2025"]
    redirect = (site.out / "thcs-a/tai-chinh/du-toan-2025/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../cong-khai-du-toan-2025/"' in redirect


def test_withdrawal_and_change_notes_are_new_items_beside_the_original(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    (original,) = feed(site, "thcs-a/ke-hoach/rss.xml").entries
    site.doc("thcs-a", "ke-hoach", "ke-hoach-2024",
             "title: Kế hoạch cải cách hành chính năm 2024\nnumber: 05/KH-THCS\ndate: 2024-01-15\n"
             "status: withdrawn\nwithdrawn:\n  date: 2024-06-01\n  reason: Ban hành nhầm phụ lục.\n"
             "changes:\n  - date: 2024-03-01\n    note: Bổ sung phụ lục 2.\n")
    assert site.run("build") == 0
    entries = feed(site, "thcs-a/ke-hoach/rss.xml").entries
    assert [(e.title, e.published) for e in entries] == [
        ("Thu hồi: Kế hoạch cải cách hành chính năm 2024 – Trường Trung học cơ sở Sao Mai", "Sat, 01 Jun 2024 00:00:00 +0700"),
        ("Cập nhật: Kế hoạch cải cách hành chính năm 2024 – Trường Trung học cơ sở Sao Mai", "Fri, 01 Mar 2024 00:00:00 +0700"),
        ("Kế hoạch cải cách hành chính năm 2024 – Trường Trung học cơ sở Sao Mai", "Mon, 15 Jan 2024 00:00:00 +0700"),
    ]
    assert entries[2].id == original.id
    assert len({e.id for e in entries}) == 3
    assert entries[0].summary == "Văn bản đã bị thu hồi ngày 01/06/2024. Lý do: Ban hành nhầm phụ lục."


def test_hostile_and_unusual_text_still_gives_well_formed_feeds(site: Site) -> None:
    site.standard_units()
    # "\\x01" and "\\x0b" are YAML escapes: control characters that reach the title
    nasty = "A & B <b>đậm</b> \\x01\\x0b 😀 " + unicodedata.normalize("NFD", "Thông báo tuyển sinh") + " " + "x" * 5000
    site.doc("thcs-a", "thong-bao", "la", f'title: "{nasty}"\ndate: 2024-05-02\n',
             body="Đoạn \x02 & <script>alert(1)</script> cuối.\n")
    assert site.run("build") == 0
    for path in all_feeds(site):
        etree.parse(str(path))  # well-formed XML
    (item,) = feed(site, "thcs-a/thong-bao/rss.xml").entries
    # controls gone, NFC, and the '<' that would open a tag made inert ('‹'): some readers render titles as HTML
    assert item.title == "A & B ‹b>đậm‹/b>  😀 Thông báo tuyển sinh " + "x" * 5000 + " – Trường Trung học cơ sở Sao Mai"
    assert item.summary.endswith("Đoạn &amp; cuối.")  # the description is HTML: plain text escaped, script gone
    empty = feed(site, "thcs-a/thu-tuc/rss.xml")
    assert empty.entries == [] and empty.feed.title == "Thủ tục hành chính – Trường Trung học cơ sở Sao Mai"


def test_feed_item_limit_comes_from_the_configuration(site: Site) -> None:
    site.standard_units()
    for day in range(1, 13):
        site.doc("thcs-a", "tin-tuc", f"tin-{day:02d}", f"title: Tin số {day}\ndate: 2024-03-{day:02d}\n")
    config = site.config(drop=("extra",), add="extra:\n  congkhai:\n    feed_limit: 10\n")
    assert site.run("build", config=config) == 0
    entries = feed(site, "thcs-a/tin-tuc/rss.xml").entries
    assert [e.title for e in entries] == [f"Tin số {d} – Trường Trung học cơ sở Sao Mai" for d in range(12, 2, -1)]


def test_pages_link_their_feeds_and_unit_pages_show_the_rss_block(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    page = (site.out / "thcs-a/tai-chinh/du-toan-2025/index.html").read_text(encoding="utf-8")
    alternates = [line.strip() for line in page.splitlines() if 'type="application/rss+xml"' in line and "<link" in line]
    assert alternates == [
        '<link rel="alternate" type="application/rss+xml" title="Cổng công khai giáo dục tỉnh Hồng Lam – mọi văn '
        'bản mới" href="../../../rss.xml">',
        '<link rel="alternate" type="application/rss+xml" title="Trường Trung học cơ sở Sao Mai – văn bản mới" '
        'href="../../rss.xml">',
        '<link rel="alternate" type="application/rss+xml" title="Công khai tài chính – Trường Trung học cơ sở Sao '
        'Mai" href="../rss.xml">',
    ]
    unit = (site.out / "thcs-a/index.html").read_text(encoding="utf-8")
    assert '<h2 id="theo-doi-rss">Theo dõi (RSS)' in unit
    assert "RSS giúp nhận văn bản mới mà không phải vào trang" in unit
    assert '<a href="feeds.opml" type="application/rss+xml">Danh sách kênh (OPML)</a>' in unit


def test_opml_lists_every_unit_and_each_units_subordinates(site: Site) -> None:
    portal(site)
    assert site.run("build") == 0
    every = etree.parse(str(site.out / "feeds.opml"))
    feeds = [o.get("xmlUrl") for o in every.iter("outline") if o.get("type") == "rss"]
    assert feeds[:5] == [
        SITE_URL + "rss.xml", SITE_URL + "so-gd/rss.xml", SITE_URL + "phong-gd/rss.xml",
        SITE_URL + "ubnd-xa/rss.xml", SITE_URL + "thcs-a/rss.xml",
    ]
    assert feeds[5] == SITE_URL + "nghia-vu/thong-tin-chung/rss.xml" and len(feeds) == 5 + 12
    office = etree.parse(str(site.out / "phong-gd/feeds.opml"))
    assert [o.get("text") for o in office.iter("outline") if o.get("type") == "rss"] == [
        "Phòng Giáo dục và Đào tạo huyện Ven Sông", "Trường Trung học cơ sở Sao Mai",
    ]


def test_a_feed_limited_to_its_newest_items_holds_exactly_the_newest_of_all_its_documents_events(site: Site) -> None:
    """Feeds make events only for the documents that can be among the newest `limit` (FeedContext.events):
    for every limit and every feed's documents, the result equals the newest `limit` of all their
    events, with postings, change notes (some after the build date) and withdrawals on tied days."""
    import random

    from congkhai.site.feeds import FeedContext

    site.standard_units()
    chance = random.Random(23)
    for number in range(40):
        unit = chance.choice(["thcs-a", "phong-gd", "so-gd"])
        day = f"2024-0{chance.randint(1, 3)}-{chance.randint(1, 4):02d}"  # few days: many ties
        front = f"title: Thông báo số {number}\ndate: {day}\n"
        later = [f"2024-0{chance.randint(1, 9)}-0{chance.randint(1, 3)}" for _ in range(chance.randint(0, 2))]
        later = [d for d in later if d > day]
        if later:
            front += "changes:\n" + "".join(f"  - date: {d}\n    note: Sửa lần {i}.\n" for i, d in enumerate(later))
        if chance.random() < 0.25:
            front += f"status: withdrawn\nwithdrawn:\n  date: 2024-0{chance.randint(4, 9)}-01\n  reason: Nhầm.\n"
        site.doc(unit, "thong-bao", f"tb-{number:02d}", front)
    result = site.validate(on="2024-06-15")  # change notes and withdrawals after it make no item
    assert not result.problems.has_errors(False), [p.render() for p in result.problems.sorted()]
    portal = result.portal
    groups = [list(portal.documents)] + [list(portal.within(code)) for code in portal.units]
    everything = FeedContext(portal, "Cổng").events(portal.documents)
    assert len(everything) > len(portal.documents) > 30  # change notes and withdrawals among them
    assert len({e.day for e in everything[:10]}) < 10  # ties at the top
    for docs in groups:
        full = FeedContext(portal, "Cổng").events(docs)
        shared = FeedContext(portal, "Cổng")  # one context for every limit: its held events do not leak
        for limit in range(1, len(full) + 2):
            assert shared.events(docs, limit) == full[:limit], limit
            assert FeedContext(portal, "Cổng").events(iter(docs), limit) == full[:limit], limit
