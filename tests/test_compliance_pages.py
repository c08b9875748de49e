"""Compliance as readers see it: the supervisor's matrix, the portal's on-time rates, one page per
obligation, each unit's page, the obligation feeds, `status`, the status boundaries, the sample's
mix of statuses and the unit indicators."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from contextlib import chdir
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import CONFIG, REPO, SAMPLE_ON, Site, parse_status
from lxml import html as lhtml

from congkhai import cli, config
from congkhai.build import pipeline
from congkhai.model.periods import parse_period
from congkhai.model.text import format_date
from congkhai.rules.compliance import DUE_SOON_DAYS, Standing
from congkhai.rules.obligations import CERTAINTY
from congkhai.site import urls

TODAY = date.fromisoformat(SAMPLE_ON)
BY_KEY = {s.key: s for s in Standing}
POSTED = {"dung-han", "muon", "khong-phat-sinh"}
DUE = POSTED | {"qua-han"}


# Helpers -------------------------------------------------------------------------------------------


def words(text: str) -> str:
    """Return text with every run of white space made one space."""
    return " ".join(text.split())


def page(root: Path, url: str) -> lhtml.HtmlElement:
    """Return the parsed page at site address `url` (a folder address)."""
    return lhtml.document_fromstring((root / url / "index.html").read_text(encoding="utf-8"))


def article(tree: lhtml.HtmlElement) -> lhtml.HtmlElement:
    """Return the page's main content (what the template wrote, without navigation)."""
    found = tree.xpath("//article")
    assert found, "trang không có <article>"
    return found[0]


def klass(el: lhtml.HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def h2_section(root: lhtml.HtmlElement, anchor: str) -> list[lhtml.HtmlElement]:
    """Return the elements following <h2 id=anchor> up to the next <h2>."""
    heads = root.xpath(f'.//h2[@id="{anchor}"]')
    assert heads, f"không có mục <h2 id={anchor}>"
    found = []
    for el in heads[0].itersiblings():
        if el.tag == "h2":
            break
        found.append(el)
    return found


def fraction(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+)/(\d+)", words(text))
    assert found, text
    return int(found.group(1)), int(found.group(2))


def score(statuses: list[str]) -> tuple[int, int]:
    """Return (posted, fallen due) over the statuses of some cells, as the matrix legend defines it."""
    due = [s for s in statuses if s in DUE]
    return sum(1 for s in due if s in POSTED), len(due)


def current_check(checks: list, today: date):
    """Return the check the site judges "now" for one unit and obligation: the latest-ending period whose
    deadline has passed or falls within the due-soon window (the only check of a standing duty)."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    candidates = [c for c in checks if c.period is None or (c.deadline is not None and c.deadline <= horizon)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.period.end if c.period else date.min, c.deadline or date.min))


@pytest.fixture(scope="module")
def sample() -> pipeline.Result:
    """The sample portal's units, rules and compliance on SAMPLE_ON (the date sample_site is built at)."""
    with chdir(REPO):
        result = pipeline.validate(config.load(CONFIG, today=TODAY))
    assert result.ok(False) and result.compliance is not None
    return result


def validate_like_build(site: Site, on: str) -> pipeline.Result:
    """Validate a throwaway portal with the project's mkdocs.yml, as `Site.run` builds it."""
    with chdir(site.root):
        result = pipeline.validate(config.load(CONFIG, today=date.fromisoformat(on)))
    assert result.problems.sorted() == []
    return result


# 1. The supervisor's matrix ----------------------------------------------------------------------------

MATRIX_MEMBERS = {
    "so-gddt": {"ubnd-phuong-hoa-sen", "mn-hoa-mai", "mn-sao-sang", "th-kim-dong", "th-thcs-binh-minh", "thcs-hoa-sen",
                "thpt-tan-ha", "gdtx-tan-ha"},
    "ubnd-phuong-hoa-sen": {"mn-hoa-mai", "mn-sao-sang", "th-kim-dong", "th-thcs-binh-minh", "thcs-hoa-sen"},
    # dissolved on 30/06/2025: its schools as they were on its last day (the merged preschool was gone)
    "phong-gddt-tan-ha": {"mn-hoa-mai", "th-kim-dong", "th-thcs-binh-minh", "thcs-hoa-sen"},
}


def test_supervisor_matrix_reads_without_colour_and_its_totals_add_up(sample_site: Path, sample) -> None:
    compliance = sample.compliance
    by_key = {c.key: c for c in compliance.checks}
    by_pair = defaultdict(list)
    for c in compliance.checks:
        by_pair[(c.unit, c.rule.id)].append(c)
    seen_statuses: Counter[str] = Counter()
    for supervisor, members in MATRIX_MEMBERS.items():
        body = article(page(sample_site, urls.compliance_url(supervisor)))
        tables = body.xpath('.//table[contains(concat(" ", @class, " "), " ck-matrix ")]')
        assert len(tables) == 1, supervisor
        table = tables[0]
        heads = [words(th.text_content()) for th in table.xpath("./thead/tr/th")]
        assert heads[0] == "Đơn vị" and heads[-1] == "Đã đăng"
        by_slug = {rule.slug: rule.id for rule in sample.rules}
        rule_ids = [by_slug[a.get("href").rstrip("/").split("/")[-1]] for a in table.xpath("./thead/tr/th/a")]
        assert len(rule_ids) == len(heads) - 2 and rule_ids
        columns: dict[str, list[str]] = defaultdict(list)
        all_cells: list[str] = []
        rows_seen = set()
        for row in table.xpath("./tbody/tr"):
            link = row.xpath("./th/a")[0].get("href")
            code = link.strip("/").split("/")[-2]
            assert link == urls.relative(urls.compliance_url(supervisor), urls.compliance_url(code))
            rows_seen.add(code)
            tds = row.xpath("./td")
            assert len(tds) == len(rule_ids) + 1, (supervisor, code)
            statuses = []
            for rule_id, td in zip(rule_ids, tds[:-1]):
                if "ck-st" not in klass(td):
                    assert words(td.text_content()) == "— không áp dụng"  # the dash is also said in words
                    assert current_check(by_pair[(code, rule_id)], TODAY) is None, (code, rule_id)
                    continue
                status = td.get("data-status")
                standing = BY_KEY[status]
                assert f"ck-st--{status}" in klass(td)
                # an icon and the words are both there: nothing is told by colour alone
                assert td.xpath('./a/svg[@class="ck-icon"][@aria-hidden="true"]'), td.get("data-check")
                assert words(td.xpath("./a")[0].text_content()) == standing.label
                # the cell is the unit's current period of that obligation, with the status the unit's page gives
                check_key = td.get("data-check")
                unit_code, cell_rule, period = check_key.split("|")
                assert (unit_code, cell_rule) == (code, rule_id)
                expected = current_check(by_pair[(code, rule_id)], TODAY)
                assert expected is not None and expected.key == check_key, check_key
                assert by_key[check_key].standing.key == status
                period_text = words(td.xpath('.//span[@class="ck-matrix__period"]')[0].text_content())
                # the period in words, not its key ("Quý I/2025", not "2025-Q1")
                assert period_text == (parse_period(period).words if period != "-" else "Thường xuyên")
                statuses.append(status)
                columns[rule_id].append(status)
                all_cells.append(status)
                seen_statuses[status] += 1
            assert fraction(tds[-1].text_content()) == score(statuses), (supervisor, code)
        assert rows_seen == members, supervisor
        foot = table.xpath("./tfoot/tr")[0]
        assert words(foot.xpath("./th")[0].text_content()) == "Cộng"
        totals = foot.xpath("./td")
        assert len(totals) == len(rule_ids) + 1
        for rule_id, td in zip(rule_ids, totals[:-1]):
            assert fraction(td.text_content()) == score(columns[rule_id]), (supervisor, rule_id)
        assert fraction(totals[-1].text_content()) == score(all_cells), supervisor
        # a column is shown only when some subordinate is judged on it
        assert all(columns[rule_id] for rule_id in rule_ids), supervisor
    # the sample's matrices show more than one status, including a missing posting
    assert len(seen_statuses) >= 3 and seen_statuses["qua-han"] >= 1, seen_statuses


# 2. The portal summary of on-time rates ----------------------------------------------------------------


def test_portal_summary_rates_agree_with_the_statuses(sample_site: Path, sample) -> None:
    body = article(page(sample_site, urls.OBLIGATIONS_INDEX))
    section = h2_section(body, "ty-le-dang-dung-han")
    bars = [b for el in section for b in el.xpath('descendant-or-self::div[@class="ck-bars"]')]
    assert len(bars) == 1 and bars[0].get("role") == "img" and bars[0].get("aria-label")
    tables = [t for el in section for t in el.xpath(".//table")]
    assert len(tables) == 1
    heads = [words(th.text_content()) for th in tables[0].xpath("./thead/tr/th")]
    assert heads == ["Loại đơn vị", "Năm", "Đúng hạn", "Muộn", "Chưa đăng", "Tỷ lệ đúng hạn"]
    shown = {}
    for tr in tables[0].xpath("./tbody/tr"):
        label, year, on_time, late, missing, rate = [words(td.text_content()) for td in tr.xpath("./td")]
        shown[(label, int(year))] = (int(on_time), int(late), int(missing), rate)

    assert shown, "mẫu phải có kỳ đã đến hạn"

    # the chart draws the figures of the table: bars on a track 1000 long for 100%
    drawn = {}
    for row in bars[0].xpath('./div[@class="ck-bars__row"]'):
        label = words(row.xpath('./span[@class="ck-bars__label"]')[0].text_content())
        width = int(row.xpath('.//*[local-name()="rect"]')[0].get("width")) / 10
        value = words(row.xpath('./span[@class="ck-bars__value"]')[0].text_content())
        drawn[label] = (float(width), value)
    assert len(drawn) == len(shown)
    for (label, year), (on_time, late, missing, rate) in shown.items():
        due = on_time + late + missing
        width, value = drawn[f"{label} – {year}"]
        assert width == pytest.approx(100 * on_time / due, abs=0.06)
        assert value == f"{rate} ({on_time}/{due})"
        assert rate == f"{100 * on_time / due:.0f}%"

    # Recomputed from the statuses: the periods that have fallen due (deadline before today: only then
    # can a missing posting count as "chưa đăng"), by unit kind and deadline year. A posting made early
    # for a deadline still to come is not yet a period "đã đến hạn" (the page's own words), else the
    # schools that posted early count while those that have not yet posted do not.
    units = sample.portal.units
    counts: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for c in sample.compliance.checks:
        if c.period is None or c.deadline is None or c.standing.key not in DUE or c.deadline >= TODAY:
            continue
        unit = units[c.unit]
        label = "Trường liên cấp" if len(unit.levels) > 1 else unit.kind_label
        counts[(label, c.deadline.year)][c.standing.key] += 1
    expected = {}
    for key, n in counts.items():
        on_time = n["dung-han"] + n["khong-phat-sinh"]
        due = on_time + n["muon"] + n["qua-han"]
        expected[key] = (on_time, n["muon"], n["qua-han"], f"{100 * on_time / due:.0f}%")
    # the kinds of school in the sample are all summarised
    assert {label for label, _ in shown} >= {"Trường trung học cơ sở", "Trường liên cấp", "Trường mầm non"}
    assert all(year <= TODAY.year for _, year in shown), "một năm chưa đến hạn không có tỷ lệ đúng hạn"
    early = sorted(c.key for c in sample.compliance.checks
                   if c.period and c.deadline and c.deadline >= TODAY and c.standing.posted)
    assert shown == expected, f"tỷ lệ tính cả các kỳ chưa đến hạn đã đăng sớm: {early}"


# 3. One page per obligation ------------------------------------------------------------------------------


def test_one_page_per_obligation_with_rule_basis_who_must_who_did_and_certainty(sample_site: Path, sample) -> None:
    rules = list(sample.rules)
    assert len(rules) >= 11 + 4  # the national rules and the sample's local ones
    by_pair = defaultdict(list)
    for c in sample.compliance.checks:
        by_pair[(c.unit, c.rule.id)].append(c)
    for rule in rules:
        here = urls.obligation_url(rule.slug)
        body = article(page(sample_site, here))
        assert words(body.xpath(".//h1")[0].text_content()) == rule.title
        lead = body.xpath('.//p[@class="ck-lead"]')
        assert lead and words(lead[0].text_content()) == words(rule.summary), rule.id
        facts = {words(dt.text_content()): dt.getnext() for dt in body.xpath('.//dl[@class="ck-docmeta"]/dt')}
        # who must post, and how sure the portal is of the rule
        assert words(facts["Ai phải đăng"].text_content()), rule.id
        assert words(facts["Mức độ chắc chắn"].text_content()) == CERTAINTY[rule.sure], rule.id
        # no internal ids or field names in what the page says (the id is only in addresses, and in the
        # address printed at the foot of the paper copy)
        text = words(" ".join(e.text_content() for e in body.xpath('./*[not(contains(@class, "ck-print"))]')))
        assert rule.id not in text and "obligation:" not in text and "_date" not in text, rule.id
        # the rule in words and its basis, version by version
        cards = body.xpath('.//div[@class="ck-card"]')
        assert len(cards) == len(rule.versions), rule.id
        for card, version in zip(cards, rule.versions):
            text = words(card.text_content())
            assert f"Căn cứ: {words(version.basis)}" in text, rule.id
            assert f"Từ {format_date(version.effective_from)}" in text
            lines = [words(li.text_content()) for li in card.xpath(".//li")]
            assert len(lines) == len(version.schedules) and all(lines), rule.id
        # who has posted: one row per bound unit, its current period, status and the posting
        expected = {}
        for (unit, rule_id), found in by_pair.items():
            if rule_id == rule.id and (now := current_check(found, TODAY)) is not None:
                expected[now.key] = now
        rows = body.xpath('.//h2[@id="ai-da-dang"]/following::tr[@data-check]')
        assert {r.get("data-check"): r.get("data-status") for r in rows} == {
            k: c.standing.key for k, c in expected.items()}, rule.id
        for row in rows:
            check = expected[row.get("data-check")]
            cells = row.xpath("./td")
            status = words(cells[3].text_content())
            # the status in words with its icon, a link to the posting or the unit's account of the obligation
            assert status == check.describe() and cells[3].xpath('.//svg[@class="ck-icon"]')
            assert cells[3].xpath("./a/@href"), check.key
            if check.posting is not None:
                link = cells[4].xpath("./a")[0]
                assert link.get("href") == urls.relative(here, urls.document_url(
                    check.posting.unit, check.posting.kind.folder, check.posting.slug))
                assert words(link.text_content()) == words(check.posting.title)
            elif not check.standing.posted:
                assert words(cells[4].text_content()) == "—"
        if rule.imposed_by:
            assert "Đơn vị đặt ra" in facts
    # plain Vietnamese, pinned for a few rules
    general = words(article(page(sample_site, urls.obligation_url("thong-tin-chung"))).text_content())
    # the law's own words: "trước ngày 30 tháng 6" (TT 09/2024 Điều 15 k1 a), a fixed date that does not move
    assert "Năm học: trước ngày 30 tháng 6 (là ngày cố định trong năm: không lùi khi rơi vào ngày nghỉ)" in general
    assert "Trường mầm non" in general and "trường trung học phổ thông" in general
    execution = words(article(page(sample_site, urls.obligation_url("thuc-hien-du-toan"))).text_content())
    # TT 61/2017 ended when TT 26/2026 took effect (Điều 38 k2): 24/03/2026
    assert "Từ 01/08/2017 đến 24/03/2026 · Căn cứ: Thông tư 61/2017/TT-BTC" in execution
    assert ("Quý I, quý II, 6 tháng, quý III, quý IV: chậm nhất là 15 ngày, kể từ ngày kết thúc kỳ") in execution
    assert ("Cả năm: chậm nhất là 05 ngày làm việc, kể từ ngày đơn vị báo cáo đơn vị dự toán cấp trên trực "
            "tiếp") in execution
    assert "03 tháng, 06 tháng, 09 tháng: chậm nhất là 10 ngày, kể từ ngày kết thúc kỳ" in execution
    assert "Thông tư 26/2026/TT-BTC, Điều 37 khoản 3" in execution  # the transitional clause, as data
    donations = words(article(page(sample_site, urls.obligation_url("tai-tro"))).text_content())
    assert "giả định của cổng: chưa tìm thấy trong văn bản pháp luật" in donations
    assert "Thông tư 16/2018/TT-BGDĐT (hiệu lực từ 18/09/2018)" in donations


# 4. A unit's compliance page ------------------------------------------------------------------------------


def test_unit_page_shows_posting_deadline_basis_and_upcoming_deadlines(sample_site: Path, sample) -> None:
    compliance = sample.compliance
    due_soon_seen = 0
    posted_seen = 0
    for code in sample.portal.units:
        here = urls.compliance_url(code)
        body = article(page(sample_site, here))
        checks = compliance.of_unit(code)
        rows = {r.get("data-check"): r for r in body.xpath('.//h2[@id="theo-tung-nghia-vu"]/following::tr[@data-check]')}
        assert set(rows) == {c.key for c in checks}, code
        for check in checks:
            row = rows[check.key]
            assert row.get("data-status") == check.standing.key
            period, deadline, status, posting, applied = row.xpath("./td")
            # the version applied and why, and the other reading when there is one
            if check.selection is not None:
                assert f"Vì: {words(check.selection.reason)}." in words(applied.text_content()), check.key
                assert ("Có cách hiểu khác" in words(applied.text_content())) == check.selection.arguable, check.key
            if check.period is not None:
                expected = format_date(check.deadline) + ("*" if check.assumed else "")
                assert words(deadline.text_content()) == expected, check.key
            assert words(status.text_content()) == check.describe()  # with an icon beside it
            assert status.xpath('.//svg[@class="ck-icon"]'), check.key
            if check.posting is not None:
                link = posting.xpath("./a")[0]
                assert link.get("href") == urls.relative(here, urls.document_url(
                    check.posting.unit, check.posting.kind.folder, check.posting.slug)), check.key
                assert words(link.text_content()) == words(check.posting.title)
                assert f"(đăng {format_date(check.posting.posted)})" in words(posting.text_content())
                posted_seen += 1
            # the basis of the rule applied, above the obligation's table
            basis = row.xpath("./ancestor::div[1]/preceding-sibling::p[1]")[0]
            assert basis.xpath("./preceding-sibling::h3[1]")[0].get("id") == check.rule.slug
            stated = re.fullmatch(r"Căn cứ: (.*)\. Xem quy định.*", words(basis.text_content()))
            applied = dict.fromkeys(words(c.version.basis) for c in checks if c.rule.id == check.rule.id)
            assert stated and stated.group(1) == "; ".join(applied), check.key  # every version applied, once
            assert words(check.version.basis) in applied
        upcoming = [c for c in checks if c.standing in (Standing.DUE_SOON, Standing.NOT_YET_DUE)]
        if not upcoming:
            assert not body.xpath('.//h2[@id="cac-han-sap-toi"]'), code
            continue
        # "Các hạn sắp tới": due soon and not yet due alike, each with its status
        items = [words(li.text_content()) for el in h2_section(body, "cac-han-sap-toi") for li in el.xpath(".//li")]
        assert len(items) == len(upcoming), code
        for check in upcoming:
            line = (f"{check.rule.title} – {check.period.label}Hạn {format_date(check.deadline)}"
                    + ("*" if check.assumed else "") + f" · {check.describe()}")
            assert line in items, (code, line)
            if check.standing is Standing.DUE_SOON:
                assert f"Còn {check.days} ngày đến hạn" in line or check.days == 0
                due_soon_seen += 1
        soonest = [c.deadline for c in upcoming]
        shown_order = [next(c.deadline for c in upcoming if f"{c.rule.title} – {c.period.label}Hạn" in item)
                       for item in items]
        assert shown_order == sorted(soonest), code
    assert posted_seen > 20 and due_soon_seen >= 1


# 5. The obligation feed ---------------------------------------------------------------------------------------


def feed_portal(site: Site) -> None:
    site.standard_units()
    site.unit("thcs-b", "code: thcs-b\nname: Trường Trung học cơ sở Bình An\nkind: thcs\nparent: so-gd\n")
    site.doc("thcs-a", "thong-bao", "thong-tin-chung-2024-2025",
             "title: Công khai thông tin chung năm học 2024–2025\ndate: 2025-06-20\nobligation: edu-general\n"
             "period: 2024-2025\n")


def missed_items(path: Path) -> tuple[feedparser.FeedParserDict, dict[str, str]]:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids)), "guids must be unique"
    missed = {e.id: e.title for e in parsed.entries if "Quá hạn công khai" in [t.term for t in e.get("tags", [])]}
    return parsed, missed


def test_obligation_feed_has_one_stable_item_per_missed_deadline(site: Site) -> None:
    feed_portal(site)
    feed = "nghia-vu/thong-tin-chung/rss.xml"
    assert site.run("build", "--no-search", "--no-cache") == 0
    first, missed = missed_items(site.out / feed)
    overdue = [c for c in validate_like_build(site, "2026-11-22").compliance.of_rule("edu-general")
               if c.standing is Standing.OVERDUE]
    assert sorted(c.key for c in overdue) == [
        "thcs-a|edu-general|2025-2026", "thcs-b|edu-general|2024-2025", "thcs-b|edu-general|2025-2026"]
    assert len(missed) == len(overdue)
    names = {"thcs-a": "Trường Trung học cơ sở Sao Mai", "thcs-b": "Trường Trung học cơ sở Bình An"}
    by_title = {title: guid for guid, title in missed.items()}
    for check in overdue:
        matching = [t for t in by_title if names[check.unit] in t and f"({check.period.label})" in t]
        assert len(matching) == 1, check.key
        entry = next(e for e in first.entries if e.title == matching[0])
        assert entry.link.endswith(urls.compliance_url(check.unit) + "#thong-tin-chung")
    # the posting that fulfils the obligation is an item of its own, not a missed deadline
    postings = [e for e in first.entries if e.id not in missed]
    assert [e.title for e in postings] == ["Công khai thông tin chung năm học 2024–2025 – Trường Trung học cơ sở Sao Mai"]

    # built again: the same guids
    assert site.run("build", "--no-search", "--no-cache", "--out", "site-again") == 0
    _, again = missed_items(site.root / "site-again" / feed)
    assert again == missed
    # judged later, when the 2026–2027 deadline has passed too: the earlier items keep their guids
    assert site.run("build", "--no-search", "--no-cache", "--out", "site-later", on="2027-08-01") == 0
    later_feed, later = missed_items(site.root / "site-later" / feed)
    assert len(later) == len(missed) + 2
    for guid, title in missed.items():
        assert later.get(guid) == title
    assert [e.id for e in later_feed.entries if e.id not in later] == [e.id for e in postings]


# 6. status ------------------------------------------------------------------------------------------------------


def status_rows(printed: str, sample) -> list[str]:
    """Return the unit codes of the table rows `status` prints (it prints names: mapped back)."""
    return [row[0] for row in parse_status(printed, sample.portal.units, sample.rules)]


def test_status_unit_restricts_to_the_unit_and_its_subordinates(sample, capsys) -> None:
    with chdir(REPO):
        capsys.readouterr()
        assert cli.main(["status", "--on", SAMPLE_ON]) == 0
        everything = status_rows(capsys.readouterr().out, sample)
        assert cli.main(["status", "--unit", "ubnd-phuong-hoa-sen", "--on", SAMPLE_ON]) == 0
        printed = capsys.readouterr().out
        school = cli.main(["status", "--unit", "thcs-hoa-sen", "--on", SAMPLE_ON])
        school_rows = status_rows(capsys.readouterr().out, sample)
    assert school == 0
    rows = status_rows(printed, sample)
    members = {"ubnd-phuong-hoa-sen", "mn-hoa-mai", "mn-sao-sang", "th-kim-dong", "th-thcs-binh-minh", "thcs-hoa-sen"}
    assert set(rows) == members
    assert len(rows) == sum(len(sample.compliance.of_unit(code)) for code in members)
    assert len(everything) == len(sample.compliance.checks) > len(rows)
    assert ("Tình hình công khai ngày 22/11/2026 (Ủy ban nhân dân phường Hoa Sen và các đơn vị thuộc phạm vi theo "
            "dõi)") in printed
    assert set(school_rows) == {"thcs-hoa-sen"} and len(school_rows) == len(sample.compliance.of_unit("thcs-hoa-sen"))


def test_status_unknown_unit_is_a_usage_error(capsys) -> None:
    with chdir(REPO):
        capsys.readouterr()
        code = cli.main(["status", "--unit", "khong-co-don-vi", "--on", SAMPLE_ON])
    captured = capsys.readouterr()
    assert code == 2  # README: 2 dùng sai lệnh
    assert captured.err.startswith("Lỗi cách dùng: không có đơn vị 'khong-co-don-vi'. Các mã đơn vị: ")
    assert "thcs-hoa-sen" in captured.err and captured.out == ""


QUIET_SO = """
code: so-gd
name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm
kind: so
budget_role: khong
obligations:
  - id: tuyen-truyen-so
    title: Kế hoạch tuyên truyền cải cách hành chính năm học
    basis: Kế hoạch số 3/KH-SGDĐT ngày 05/01/2026 của Sở
    applies_to: {units: [thcs]}
    fulfilled_by: {kinds: [ke-hoach]}
    period: school-year
    deadline: {fixed: {month: 12, day: 15, year_offset: -1}}
    effective_from: 2026-01-05
"""
NEW_SCHOOL = """
code: thcs-moi
name: Trường Trung học cơ sở Mới
kind: thcs
parent: so-gd
active_from: 2026-09-01
budget_role: khong
"""


def test_status_fail_on_overdue_exits_0_when_nothing_is_overdue_and_1_when_something_is(site: Site, capsys) -> None:
    site.unit("so-gd", QUIET_SO)
    site.unit("thcs-moi", NEW_SCHOOL)
    site.doc("thcs-moi", "ke-hoach", "ke-hoach-nam-hoc", "title: Kế hoạch năm học 2026–2027\ndate: 2026-10-01\n"
             "obligation: edu-plan-results\nperiod: 2026-2027\n")
    capsys.readouterr()
    assert site.run("status", "--fail-on-overdue", on="2026-11-22") == 0
    quiet = capsys.readouterr().out
    assert "Tổng: 1 đúng hạn, 0 đăng muộn, 0 không phát sinh, 0 quá hạn, 1 sắp đến hạn," in quiet, quiet
    assert site.run("status", "--fail-on-overdue", on="2026-12-16") == 1  # the Sở's deadline was 15/12
    late = capsys.readouterr().out
    assert ", 1 quá hạn, 0 sắp đến hạn," in late, late
    # Vietnamese names, never internal ids: the school's name heads its block, the obligation's short name
    assert "Trường Trung học cơ sở Mới\n" in late and "thcs-moi" not in late and "tuyen-truyen-so" not in late
    assert "  Kế hoạch tuyên truyền cải cách hành chính năm học  năm học 2026–2027  15/12/2026  ✗ Quá hạn 1 ngày" in late
    assert site.run("status", on="2026-12-16") == 0  # without the flag, overdue is only reported


# 7. Boundaries of the statuses --------------------------------------------------------------------------------


def boundary_portal(site: Site) -> None:
    site.standard_units()
    site.unit("thcs-b", "code: thcs-b\nname: Trường Trung học cơ sở Bình An\nkind: thcs\nparent: so-gd\n")
    site.unit("thcs-c", "code: thcs-c\nname: Trường Trung học cơ sở Cẩm Hà\nkind: thcs\nparent: so-gd\n")
    front = "title: Thông tin chung năm học 2025–2026\ndate: {day}\nobligation: edu-general\nperiod: 2025-2026\n"
    site.doc("thcs-a", "thong-bao", "ngay-cuoi", front.format(day="2026-06-29"))  # the last day on time
    site.doc("thcs-b", "thong-bao", "ngay-30", front.format(day="2026-06-30"))  # the date the text names
    site.doc("thcs-c", "thong-bao", "sau-hai-ngay", front.format(day="2026-07-01"))


def check_on(site: Site, key: str, on: str):
    result = site.validate(on)
    assert result.problems.sorted() == []
    return next(c for c in result.compliance.checks if c.key == key)


def test_status_boundaries_on_the_deadline_and_thirty_days_before(site: Site) -> None:
    boundary_portal(site)
    # TT 09/2024 Điều 15 k1 a: "trước ngày 30 tháng 6 hằng năm", read literally (the default): the last
    # day on time is 29/06; posting on the 30th is one day late
    on_time = check_on(site, "thcs-a|edu-general|2025-2026", "2026-11-22")
    assert on_time.deadline == date(2026, 6, 29)
    assert (on_time.standing, on_time.days, on_time.describe()) == (Standing.ON_TIME, 0, "Đúng hạn")
    late = check_on(site, "thcs-b|edu-general|2025-2026", "2026-11-22")
    assert (late.standing, late.days, late.describe()) == (Standing.LATE, 1, "Đăng muộn 1 ngày")
    later = check_on(site, "thcs-c|edu-general|2025-2026", "2026-11-22")
    assert (later.standing, later.days) == (Standing.LATE, 2)
    assert DUE_SOON_DAYS == 30
    missing = "thcs-a|edu-general|2026-2027"  # due before 30/06/2027 (29/06), never posted
    soon = check_on(site, missing, "2027-05-30")
    assert soon.deadline == date(2027, 6, 29)
    assert (soon.standing.key, soon.standing.label, soon.days, soon.describe()) == (
        "sap-den-han", "Sắp đến hạn", 30, "Còn 30 ngày đến hạn")
    not_yet = check_on(site, missing, "2027-05-29")
    assert (not_yet.standing.key, not_yet.standing.label, not_yet.days, not_yet.describe()) == (
        "chua-den-han", "Chưa đến hạn", 31, "Chưa đến hạn")
    today = check_on(site, missing, "2027-06-29")
    assert (today.standing, today.days, today.describe()) == (Standing.DUE_SOON, 0, "Hạn là hôm nay")
    overdue = check_on(site, missing, "2027-06-30")
    assert (overdue.standing, overdue.days, overdue.describe()) == (Standing.OVERDUE, 1, "Quá hạn 1 ngày, chưa đăng")


def test_a_portal_may_read_before_a_date_inclusively(site: Site) -> None:
    """before_date_inclusive: the portal reads "trước ngày 30 tháng 6" as "by 30 June" (a setting, since
    the text's reading is not settled)."""
    from congkhai.build import pipeline

    boundary_portal(site)
    settings = config.load(site.config(drop=("extra",), add="extra:\n  congkhai:\n    before_date_inclusive: true\n"),
                           today=TODAY)
    with chdir(site.root):
        result = pipeline.validate(settings)
    found = {c.key: c for c in result.compliance.checks}
    assert found["thcs-b|edu-general|2025-2026"].deadline == date(2026, 6, 30)
    assert found["thcs-b|edu-general|2025-2026"].standing is Standing.ON_TIME
    assert found["thcs-c|edu-general|2025-2026"].days == 1


# 8. The sample portal ---------------------------------------------------------------------------------------------


def test_sample_has_every_status_and_every_supervisor_imposes_a_local_obligation(sample) -> None:
    found = Counter(c.standing for c in sample.compliance.checks)
    assert set(found) == set(Standing), found
    supervisors = [u for u in sample.portal.units.values() if u.kind.code in ("so", "phong", "xa")]
    assert {u.code for u in supervisors} == {"so-gddt", "phong-gddt-tan-ha", "ubnd-phuong-hoa-sen"}
    for unit in supervisors:
        imposed = [r for r in sample.rules if r.imposed_by == unit.code]
        assert imposed, unit.code
        # and the local rule is really judged on some subordinate
        assert any(sample.compliance.of_rule(r.id) for r in imposed), unit.code


# 9. Indicators --------------------------------------------------------------------------------------------------

INDICATORS = """
code: so-gd
name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm
kind: so
indicators:
  - name: Chỉ số hài lòng SIPAS
    unit: "%"
    values:
      - year: 2025
        target: 95
        result: 94
      - year: 2024
        target: 90
        result: "93,5"
  - name: Điểm cải cách hành chính
    unit: điểm
    values:
      - year: 2024
        target: 80
        result: 86.12
      - year: 2025
        target: 90
"""


def test_indicators_are_charted_on_the_unit_home_page(site: Site) -> None:
    site.unit("so-gd", INDICATORS)
    site.content.mkdir()
    assert site.run("build", "--no-search") == 0
    body = article(page(site.out, urls.unit_url("so-gd")))
    section = h2_section(body, "chi-so-cai-cach-hanh-chinh")
    assert [words(h.text_content()) for h in section if h.tag == "h3"] == [
        "Chỉ số hài lòng SIPAS", "Điểm cải cách hành chính"]
    tables = [t for el in section for t in el.xpath(".//table")]
    rows = [[[words(td.text_content()) for td in tr.xpath("./td")] for tr in t.xpath("./tbody/tr")] for t in tables]
    assert rows == [
        [["2024", "90%", "93,5%", "Đạt"], ["2025", "95%", "94%", "Chưa đạt"]],
        [["2024", "80", "86,12", "Đạt"], ["2025", "90", "chưa có số liệu", "—"]],
    ]
    charts = [c for el in section for c in el.xpath('descendant-or-self::div[@class="ck-bars"]')]
    assert len(charts) == 2 and all(c.get("role") == "img" for c in charts)

    def bars(chart):
        """(year, series, length on a track 1000 long or None, text) of each bar."""
        found = []
        for r in chart.xpath('./div[@class="ck-bars__row"]'):
            year = words(r.xpath('./preceding-sibling::p[@class="ck-bars__group"][1]')[0].text_content())
            rect = r.xpath('.//*[local-name()="rect"]')
            found.append((year, words(r.xpath('./span[@class="ck-bars__label"]')[0].text_content()),
                          int(rect[0].get("width")) if rect else None,
                          words(r.xpath('./span[starts-with(@class, "ck-bars__value")]')[0].text_content())))
        return found

    # a percentage: drawn on a scale to 100%, target and result side by side
    assert bars(charts[0]) == [("Năm 2024", "Mục tiêu", 900, "90%"), ("Năm 2024", "Kết quả", 935, "93,5%"),
                               ("Năm 2025", "Mục tiêu", 950, "95%"), ("Năm 2025", "Kết quả", 940, "94%")]
    # not a percentage: bars are scaled to the largest value (90 điểm); a missing one is said, not drawn
    assert bars(charts[1]) == [("Năm 2024", "Mục tiêu", 889, "80"), ("Năm 2024", "Kết quả", 957, "86,12"),
                               ("Năm 2025", "Mục tiêu", 1000, "90"), ("Năm 2025", "Kết quả", None, "chưa có số liệu")]
    assert "Đơn vị tính: điểm." in words(body.text_content())


BAD_INDICATORS = """
code: so-gd
name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm
kind: so
indicators:
  - name: Chỉ số hài lòng SIPAS
    unit: "%"
    values:
      - year: 25
        target: 90
      - year: 2025
        target: chín mươi
      - year: 2025
        target: 95
"""


def test_a_malformed_indicator_is_an_error_naming_the_field(site: Site) -> None:
    site.unit("so-gd", BAD_INDICATORS)
    assert [m for m in site.messages() if m.startswith("Lỗi: units/so-gd.yml")] == [
        "Lỗi: units/so-gd.yml, dòng 8: 'indicators[1].values[1].year': cần năm gồm 4 chữ số, nhận được '25'.",
        "Lỗi: units/so-gd.yml, dòng 11: 'indicators[1].values[2].target': cần một số, nhận được 'chín mươi'. "
        "Sửa: viết chữ số liền (1234567) hoặc có dấu chấm giữa hàng nghìn (1.234.567); phần lẻ dùng dấu phẩy "
        "(1.234,5).",
        "Lỗi: units/so-gd.yml, dòng 12: 'indicators[1].values[3].year': năm bị lặp lại trong chỉ số, nhận được "
        "'2025'. Sửa: mỗi năm một dòng.",
    ]
    assert site.run("check") == 1
