"""Compliance: every status, the units and periods that are not judged, supervisors, declarations."""

from __future__ import annotations

from conftest import Site

LOCAL_PHONG = """
obligations:
  - id: cchc-phong
    title: Kế hoạch cải cách hành chính năm của trường
    basis: Kế hoạch số 10/KH-PGDĐT ngày 05/01/2024 của Phòng
    applies_to: {units: [thcs]}
    fulfilled_by: {kinds: [ke-hoach]}
    period: year
    deadline: {fixed: {month: 3, day: 31}}
    effective_from: 2024-01-01
"""
LOCAL_XA = """
obligations:
  - id: tuyen-truyen-xa
    title: Kế hoạch tuyên truyền cải cách hành chính năm học
    basis: Kế hoạch số 28/KH-UBND ngày 14/07/2025 của UBND xã
    applies_to: {units: [thcs]}
    fulfilled_by: {kinds: [ke-hoach]}
    period: school-year
    deadline: {fixed: {month: 12, day: 15, year_offset: -1}}
    effective_from: 2025-07-01
"""
TABLE = "money_unit: dong\ntable:\n  - name: Tổng chi\n    amount: 1000000\n"
BUDGET = "title: {title}\ndate: {date}\nreport: {report}\nfiscal_year: {year}\nperiod: {period}\nobligation: {obligation}\n"


def portal(site: Site) -> None:
    site.standard_units()
    site.unit("phong-gd", (site.units / "phong-gd.yml").read_text(encoding="utf-8") + LOCAL_PHONG)
    site.unit("ubnd-xa", (site.units / "ubnd-xa.yml").read_text(encoding="utf-8") + LOCAL_XA)
    site.unit("mn-cu", "code: mn-cu\nname: Trường Mầm non Cũ\nkind: mn\nparent: phong-gd\nactive_until: 2024-07-31\n"
              "successor: thcs-a\n")
    site.doc("thcs-a", "tai-chinh", "du-toan-2026",
             BUDGET.format(title="Dự toán 2026", date="2026-02-20", report="du-toan", year=2026, period=2026,
                           obligation="budget-estimate") + "assigned_date: 2026-01-20\n" + TABLE)
    site.doc("thcs-a", "tai-chinh", "du-toan-2025",
             BUDGET.format(title="Dự toán 2025", date="2025-02-10", report="du-toan", year=2025, period=2025,
                           obligation="budget-estimate") + "assigned_date: 2025-01-10\n" + TABLE)
    site.doc("thcs-a", "tai-chinh", "tai-tro-2025-2026",
             BUDGET.format(title="Tài trợ 2025–2026", date="2026-05-04", report="tai-tro", year="2025-2026",
                           period="2025-2026", obligation="donations") + "nil: true\n")
    site.doc("thcs-a", "ke-hoach", "cchc-2025", "title: Kế hoạch CCHC 2025\ndate: 2025-03-20\nobligation: cchc-phong\n"
             "period: 2025\n")
    site.doc("mn-cu", "tai-chinh", "thuc-hien-6-thang-2024",
             BUDGET.format(title="Thực hiện 6 tháng 2024", date="2024-07-10", report="thuc-hien-6-thang", year=2024,
                           period="2024-H1", obligation="budget-execution") + "nil: true\n")


def statuses(site: Site, unit: str, on: str = "2026-11-22") -> dict[str, str]:
    result = site.validate(on)
    assert result.problems.sorted() == []
    return {c.key.split("|", 1)[1]: f"{c.standing.key} {c.days}" for c in result.compliance.of_unit(unit)}


def test_every_status_with_its_days(site: Site) -> None:
    portal(site)
    found = statuses(site, "thcs-a")
    # assigned 20/01/2026, when TT 61/2017 was still in force (TT 26/2026 from 25/03/2026): TT 61 Điều 6
    # k1, 15 days, 04/02/2026; posted 20/02 (the 30 days of the new regime would be argued, unverified)
    assert found["budget-estimate|2026"] == "muon 16"
    assert found["budget-estimate|2025"] == "muon 7"  # TT 61 Điều 6 k1: 03/02/2025 (after Tết), posted 10/02
    assert "donations|2025-2026" not in found  # unverified basis: off unless the portal turns it on
    # TT 09/2024 Điều 15 k1 a "trước ngày 30 tháng 6": the last day on time is 29/06/2026
    assert found["edu-general|2025-2026"] == "qua-han 146"
    assert found["tuyen-truyen-xa|2026-2027"] == "sap-den-han 23"  # 15/12/2026
    assert found["edu-general|2026-2027"] == "chua-den-han 219"  # before 30/06/2027: 29/06/2027
    assert found["cchc-phong|2025"] == "dung-han 0"


def test_an_obligation_shipped_off_is_judged_when_the_portal_turns_it_on(site: Site) -> None:
    from contextlib import chdir
    from datetime import date

    from congkhai import config
    from congkhai.build import pipeline

    portal(site)
    settings = config.load(site.config(drop=("extra",), add="extra:\n  congkhai:\n    obligations_on: [donations]\n"),
                           today=date(2026, 11, 22))
    with chdir(site.root):
        result = pipeline.validate(settings)
    assert result.problems.sorted() == []
    found = {c.key: c for c in result.compliance.of_unit("thcs-a")}
    assert found["thcs-a|donations|2025-2026"].standing.key == "khong-phat-sinh"
    assert found["thcs-a|donations|2025-2026"].rule.sure == "unverified"


def test_a_school_that_changed_supervisor_answers_to_each_in_turn(site: Site) -> None:
    portal(site)
    found = statuses(site, "thcs-a")
    assert "cchc-phong|2024" in found and "cchc-phong|2025" in found  # under the Phòng on 31/03
    assert "cchc-phong|2026" not in found  # the Phòng's rules ended with it on 30/06/2025
    assert "tuyen-truyen-xa|2025-2026" in found  # under the commune on 15/12/2025
    assert "tuyen-truyen-xa|2024-2025" not in found  # the commune's rule began 01/07/2025


def test_a_unit_dissolved_mid_year_is_judged_only_while_it_existed(site: Site) -> None:
    portal(site)
    found = statuses(site, "mn-cu")
    assert found["budget-execution|2024-H1"] == "khong-phat-sinh 0"  # closed 30/06, due 15/07: it existed
    # TT 61 Điều 6 k2 "hằng quý": quarter II is a report of its own, due 15/07 as the half-year; judged
    # as of the unit's last day (31/07/2024): 16 days overdue, not counted on to today
    assert found["budget-execution|2024-Q2"] == "qua-han 16"
    assert found["budget-execution|2024-Q1"] == "qua-han 107"  # 15/04 → 31/07/2024
    assert "budget-execution|2024-Q3" not in found  # it was gone before the quarter closed
    assert "budget-execution|2024" not in found
    assert not any(key.endswith("|2025") for key in found)


def test_periods_before_the_unit_existed_are_not_judged(site: Site) -> None:
    portal(site)
    found = statuses(site, "ubnd-xa")
    assert not any(key.startswith("budget-") for key in found)  # a commune's budget is a local budget:
    # TT 26/2026 Điều 26 (commune-budget, off by default), not the budget-unit articles
    assert "edu-general|2025-2026" not in found  # a commune is not a school
    ward = statuses(site, "thcs-a")
    assert "tuyen-truyen-xa|2024-2025" not in ward  # the commune's rule and the commune began 01/07/2025


def test_the_status_changes_with_the_date_judged(site: Site) -> None:
    portal(site)
    # due 29/06/2026 ("trước ngày 30 tháng 6", TT 09/2024 Điều 15 k1 a)
    assert statuses(site, "thcs-a", on="2026-06-10")["edu-general|2025-2026"] == "sap-den-han 19"
    assert statuses(site, "thcs-a", on="2026-05-01")["edu-general|2025-2026"] == "chua-den-han 59"


def test_declarations_are_checked(site: Site) -> None:
    portal(site)
    site.doc("thcs-a", "thong-bao", "sai-ma", "title: A\ndate: 2025-09-05\nobligation: edu-genral\nperiod: 2025-2026\n")
    site.doc("thcs-a", "thong-bao", "sai-ky", "title: B\ndate: 2025-09-05\nobligation: edu-general\nperiod: 2025\n")
    site.doc("thcs-a", "thong-bao", "sai-loai", "title: C\ndate: 2025-09-05\nobligation: budget-final\nperiod: 2024\n")
    site.doc("thcs-a", "thong-bao", "thieu-ky", "title: D\ndate: 2025-09-05\nobligation: edu-quality\n")
    site.doc("ubnd-xa", "thong-bao", "khong-ap-dung", "title: E\ndate: 2025-09-05\nobligation: edu-general\n"
             "period: 2025-2026\n")
    site.doc("thcs-a", "thu-tuc", "ky-thua", "title: F\nstatus: draft\nobligation: procedures\nperiod: 2025\n")
    prefix = "Lỗi: content/"
    assert [m for m in site.messages() if m.startswith(prefix)] == [
        "Lỗi: content/thcs-a/thong-bao/sai-ky.md, dòng 5: 'period': kỳ này không có trong lịch công khai của nghĩa vụ "
        "'edu-general', nhận được '2025'. Kỳ hợp lệ: năm học (theo Thông tư 09/2024/TT-BGDĐT, Điều 4; Điều 14 "
        "khoản 1 điểm a; Điều 15 khoản 1 điểm a).",
        "Lỗi: content/thcs-a/thong-bao/sai-loai.md, dòng 4: 'obligation': loại văn bản này không đáp ứng nghĩa vụ "
        "'budget-final' (nghĩa vụ cần: công khai tài chính (quyết toán ngân sách)), nhận được 'budget-final'.",
        "Lỗi: content/thcs-a/thong-bao/sai-ma.md, dòng 4: 'obligation': không có nghĩa vụ công khai mang mã này, "
        "nhận được 'edu-genral'. Sửa: dùng một trong: edu-general, edu-finance, edu-quality, edu-plan-results, "
        "edu-annual-report, budget-estimate, budget-execution, budget-final, commune-budget, donations, "
        "procedures, feedback-channel, cchc-phong, tuyen-truyen-xa.",
        "Lỗi: content/thcs-a/thong-bao/thieu-ky.md, dòng 4: 'period': nghĩa vụ 'edu-quality' cần ghi kỳ công khai. "
        "Sửa: thêm 'period:' (ví dụ 2025-2026).",
        "Lỗi: content/thcs-a/thu-tuc/ky-thua.md, dòng 5: 'period': nghĩa vụ 'procedures' là nghĩa vụ thường xuyên, "
        "không theo kỳ, nhận được '2025'. Sửa: xóa 'period'.",
        "Lỗi: content/ubnd-xa/thong-bao/khong-ap-dung.md, dòng 4: 'obligation': nghĩa vụ 'edu-general' không áp dụng "
        "cho Ủy ban nhân dân xã Bến Đò ở kỳ năm học 2025–2026, nhận được 'edu-general'. Sửa: kiểm tra lại mã nghĩa "
        "vụ hoặc xóa 'obligation'.",
    ]


def test_supervisor_pages_feeds_and_calendars(site: Site) -> None:
    import feedparser
    from icalendar import Calendar

    portal(site)
    assert site.run("build") == 0
    page = (site.out / "ubnd-xa/tinh-hinh-cong-khai/index.html").read_text(encoding="utf-8")
    assert 'data-check="thcs-a|edu-general|2025-2026" data-status="qua-han"' in page
    assert "<h2 id=\"cac-don-vi-truc-thuoc\">Các đơn vị trực thuộc" in page
    overdue = feedparser.parse((site.out / "ubnd-xa/qua-han.xml").read_bytes())
    assert overdue.bozo == 0
    titles = [e.title for e in overdue.entries]
    assert ("Quá hạn: Trường Trung học cơ sở Sao Mai chưa đăng công khai thông tin chung của cơ sở giáo dục "
            "(năm học 2025–2026)") in titles
    assert not any("cchc-phong" in e.link for e in overdue.entries)
    assert all(e.id.startswith("urn:uuid:") for e in overdue.entries) and len({e.id for e in overdue.entries}) == len(titles)
    rule_feed = feedparser.parse((site.out / "nghia-vu/tai-tro/rss.xml").read_bytes())
    assert rule_feed.bozo == 0 and "Tài trợ 2025–2026 – Trường Trung học cơ sở Sao Mai" in [e.title for e in rule_feed.entries]
    calendar = Calendar.from_ical((site.out / "thcs-a/lich-cong-khai.ics").read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    soon = events["thcs-a|tuyen-truyen-xa|2026-2027@congkhai"]
    assert soon.decoded("dtstart").isoformat() == "2026-12-15"
    assert str(soon["summary"]) == "Hạn công khai: Kế hoạch tuyên truyền cải cách hành chính năm học – năm học 2026–2027"
    assert "thcs-a|edu-general|2025-2026@congkhai" not in events  # already overdue: not a reminder


def test_status_and_the_site_agree_on_every_status_of_the_sample_at_two_dates(tmp_path, capsys) -> None:
    """The command line and the published compliance pages tell one story, whatever day is judged."""
    import re
    from contextlib import chdir
    from datetime import date

    from conftest import CONFIG, REPO, parse_status

    from congkhai import cli, config
    from congkhai.build import pipeline
    from congkhai.rules.compliance import Standing

    by_symbol = {s.symbol: s.key for s in Standing}
    for on in ("2026-03-01", "2026-11-22"):
        with chdir(REPO):
            capsys.readouterr()
            cli.main(["status", "--on", on])
            printed = capsys.readouterr().out
            out = tmp_path / on
            assert cli.main(["build", "--no-search", "--out", str(out), "--on", on, "--no-cache"]) == 0
            sample = pipeline.validate(config.load(CONFIG, today=date.fromisoformat(on)))
        told = {}
        for unit, rule_id, label, _, symbol, _ in parse_status(printed, sample.portal.units, sample.rules):
            if symbol in by_symbol:
                periods = {c.period.label if c.period else "thường xuyên": c for c in sample.compliance.checks
                           if c.unit == unit and c.rule.id == rule_id}
                told[periods[label].key] = by_symbol[symbol]
        shown = {}
        for page in out.glob("*/tinh-hinh-cong-khai/index.html"):
            for check, status in re.findall(r'data-check="([^"]+)" data-status="([^"]+)"',
                                            page.read_text(encoding="utf-8")):
                assert shown.setdefault(check, status) == status, check  # one status per check, everywhere
        assert len(told) > 100, on
        assert told == shown, on


def test_obligation_pages_have_vietnamese_addresses_made_from_their_short_names(site: Site) -> None:
    from congkhai.model.text import slugify
    from congkhai.rules.obligations import load_national

    national = load_national()
    slugs = [rule.slug for rule in national]
    assert len(set(slugs)) == len(slugs)  # no two shipped obligations share a page
    for rule in national:
        assert rule.slug == slugify(rule.short) and rule.slug != rule.id, rule.id
    portal(site)
    assert site.run("build") == 0
    assert (site.out / "nghia-vu/quyet-toan/index.html").is_file()
    assert (site.out / "nghia-vu/quyet-toan/rss.xml").is_file()
    assert (site.out / "nghia-vu/cchc-phong/index.html").is_file()  # a local obligation: its own id
    assert not (site.out / "nghia-vu/budget-final").exists()
    compliance = (site.out / "thcs-a/tinh-hinh-cong-khai/index.html").read_text(encoding="utf-8")
    assert 'id="du-toan"' in compliance and 'id="budget-estimate"' not in compliance


def test_a_local_obligation_may_not_take_the_address_of_a_shipped_one(site: Site) -> None:
    portal(site)
    site.unit("so-gd", (site.units / "so-gd.yml").read_text(encoding="utf-8") + LOCAL_PHONG.replace(
        "cchc-phong", "du-toan"))
    found = "\n".join(site.messages())
    assert "units/so-gd.yml" in found and "mã nghĩa vụ trùng với một nghĩa vụ theo quy định chung" in found, found
    assert "'du-toan'" in found
