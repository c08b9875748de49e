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
    assert found["budget-estimate|2026"] == "dung-han 0"  # deadline 23/02/2026 (after Tết), posted 20/02
    assert found["budget-estimate|2025"] == "muon 7"  # deadline 03/02/2025 (after Tết), posted 10/02
    assert found["donations|2025-2026"] == "khong-phat-sinh 0"
    assert found["edu-general|2025-2026"] == "qua-han 145"  # deadline 30/06/2026
    assert found["tuyen-truyen-xa|2026-2027"] == "sap-den-han 23"  # 15/12/2026
    assert found["edu-general|2026-2027"] == "chua-den-han 220"
    assert found["cchc-phong|2025"] == "dung-han 0"


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
    assert "budget-execution|2024-Q3" not in found  # it was gone before the quarter closed
    assert "budget-execution|2024" not in found
    assert not any(key.endswith("|2025") for key in found)


def test_periods_before_the_unit_existed_are_not_judged(site: Site) -> None:
    portal(site)
    found = statuses(site, "ubnd-xa")
    assert "budget-execution|2025-H1" not in found  # the commune began on 01/07/2025
    assert found["budget-execution|2025-Q3"] == "qua-han 403"
    assert "edu-general|2025-2026" not in found  # a commune is not a school


def test_the_status_changes_with_the_date_judged(site: Site) -> None:
    portal(site)
    assert statuses(site, "thcs-a", on="2026-06-10")["edu-general|2025-2026"] == "sap-den-han 20"
    assert statuses(site, "thcs-a", on="2026-05-01")["edu-general|2025-2026"] == "chua-den-han 60"


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
        "'edu-general', nhận được '2025'. Kỳ hợp lệ: school-year (theo Thông tư 09/2024/TT-BGDĐT, Điều 4, 14, 15).",
        "Lỗi: content/thcs-a/thong-bao/sai-loai.md, dòng 4: 'obligation': loại văn bản này không đáp ứng nghĩa vụ "
        "'budget-final' (nghĩa vụ cần: công khai tài chính (quyết toán ngân sách)), nhận được 'budget-final'.",
        "Lỗi: content/thcs-a/thong-bao/sai-ma.md, dòng 4: 'obligation': không có nghĩa vụ công khai mang mã này, "
        "nhận được 'edu-genral'. Sửa: dùng một trong: edu-general, edu-finance, edu-quality, edu-plan-results, "
        "edu-annual-report, budget-estimate, budget-execution, budget-final, donations, procedures, "
        "feedback-channel, cchc-phong, tuyen-truyen-xa.",
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
    rule_feed = feedparser.parse((site.out / "nghia-vu/donations/rss.xml").read_bytes())
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

    from conftest import REPO

    from congkhai import cli
    from congkhai.rules.compliance import Standing

    by_symbol = {s.symbol: s.key for s in Standing}
    for on in ("2026-03-01", "2026-11-22"):
        with chdir(REPO):
            capsys.readouterr()
            cli.main(["status", "--on", on])
            printed = capsys.readouterr().out
            out = tmp_path / on
            assert cli.main(["build", "--no-search", "--out", str(out), "--on", on, "--no-cache"]) == 0
        told = {}
        for line in printed.splitlines():
            found = re.match(r"(\S+)\s+(\S+)\s+(\S+)\s+(?:thường xuyên|\S+)\s+(\S) ", line)
            if found and found.group(4) in by_symbol:
                period = "-" if found.group(3) == "—" else found.group(3)  # a continuous duty has no period
                told[f"{found.group(1)}|{found.group(2)}|{period}"] = by_symbol[found.group(4)]
        shown = {}
        for page in out.glob("*/tinh-hinh-cong-khai/index.html"):
            for check, status in re.findall(r'data-check="([^"]+)" data-status="([^"]+)"',
                                            page.read_text(encoding="utf-8")):
                assert shown.setdefault(check, status) == status, check  # one status per check, everywhere
        assert len(told) > 100, on
        assert told == shown, on
