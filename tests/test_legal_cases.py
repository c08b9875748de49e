"""Each obligation walked through dated cases on both sides of every change of law and of structure
(budget years 2024, 2025, 2026; before and after 01/07/2025; before and after 25/03/2026), with the due
dates and verdicts worked out by hand from the articles each case names.

Conventions (docs/quy-tac-cong-khai.md): "chậm nhất N ngày, kể từ ngày X" ends on X + N (BLDS 2015
Điều 147 k3: the day of X is not counted), moved to the next working day when it falls on a day off
(Điều 148 k5); "N ngày làm việc" counts working days (làm bù Saturdays count, swapped days off do not);
"trước ngày 30 tháng 6" is read literally (last day 29/06) and does not move. Deadlines marked "unv."
rest on the unverified figures of NĐ 73/2026/NĐ-CP Điều 37 (to which TT 26/2026/TT-BTC Điều 33 defers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import Site

from congkhai.kinds import REGISTRY
from congkhai.model.documents import Document
from congkhai.model.periods import parse_period
from congkhai.model.problems import Problems
from congkhai.model.units import Unit, UnitKind, Units
from congkhai.rules.calendar import OFFICIAL, WorkCalendar
from congkhai.rules.compliance import Standing, evaluate
from congkhai.rules.deadlines import Policy, due_date, select
from congkhai.rules.obligations import Deadline, DeadlineKind, load_rules, read_rules_file

RULES = load_rules([], Problems(), enabled=["donations", "commune-budget"])
TODAY = date(2026, 11, 22)


def chosen(rule_id: str, period: str, event: date | None = None, policy: Policy = Policy()):
    """Return (version key, due date, arguable deadlines) for one period of one obligation."""
    selection = select(RULES.get(rule_id), parse_period(period), lambda name: event, policy)
    if selection is None:
        return None
    argued = sorted({o.deadline for o, _ in selection.argued if o.deadline != selection.chosen.deadline})
    return selection.chosen.version.key, selection.chosen.deadline, argued


# 1. Which version, which deadline -----------------------------------------------------------------------------

CASES = [
    # --- budget-estimate: TT 61/2017 Điều 6 k1 "chậm nhất là 15 ngày, kể từ ngày được … giao"
    ("budget-estimate", "2024", date(2024, 1, 10), ("tt61", date(2024, 1, 25), [])),  # TT 61 Đ6 k1
    ("budget-estimate", "2025", date(2025, 1, 6), ("tt61", date(2025, 1, 21), [])),  # TT 61 Đ6 k1
    # TT 61 Đ6 k1; 28/01/2025 falls in Tết (27–31/01), then a weekend: BLDS Đ148 k5 → Monday 03/02
    ("budget-estimate", "2025", date(2025, 1, 13), ("tt61", date(2025, 2, 3), [])),
    # TT 61 Đ6 k1; assigned in December 2024 for 2025: 04/01/2025 is a Saturday → 06/01
    ("budget-estimate", "2025", date(2024, 12, 20), ("tt61", date(2025, 1, 6), [])),
    # 2026 estimate assigned before TT 26/2026 took effect (Điều 38 k1: from 25/03/2026, "áp dụng từ năm
    # ngân sách 2026"): TT 61 Đ6 k1 was in force on the assignment day; TT 26 + NĐ 73 (unv. 30 days) argued
    ("budget-estimate", "2026", date(2026, 1, 5), ("tt61", date(2026, 1, 20), [date(2026, 2, 4)])),
    # TT 61 Đ6 k1, five days before TT 26: 04/04/2026 Sat → 06/04; argued: 19/04 Sun → 20/04 (unv.)
    ("budget-estimate", "2026", date(2026, 3, 20), ("tt61", date(2026, 4, 6), [date(2026, 4, 20)])),
    # TT 26/2026 Đ27 k1 + NĐ 73 Đ37 (unv. 30 days), after 25/03/2026: 10/05/2026 Sun → 11/05
    ("budget-estimate", "2026", date(2026, 4, 10), ("tt26", date(2026, 5, 11), [])),
    # --- budget-execution: TT 61 Đ6 k2 "hằng quý, 6 tháng … chậm nhất là 15 ngày, kể từ ngày kết thúc"
    ("budget-execution", "2024-Q3", None, ("tt61", date(2024, 10, 15), [])),  # TT 61 Đ6 k2
    ("budget-execution", "2024-Q4", None, ("tt61", date(2025, 1, 15), [])),  # TT 61 Đ6 k2: "hằng quý" includes Q4
    ("budget-execution", "2025-Q1", None, ("tt61", date(2025, 4, 15), [])),  # TT 61 Đ6 k2
    ("budget-execution", "2025-Q2", None, ("tt61", date(2025, 7, 15), [])),  # TT 61 Đ6 k2: quarter II
    ("budget-execution", "2025-H1", None, ("tt61", date(2025, 7, 15), [])),  # TT 61 Đ6 k2: 6 tháng, same day
    ("budget-execution", "2025-Q3", None, ("tt61", date(2025, 10, 15), [])),  # TT 61 Đ6 k2
    ("budget-execution", "2025-Q4", None, ("tt61", date(2026, 1, 15), [])),  # TT 61 in force to 24/03/2026
    # TT 61 Đ6 k3 "05 ngày làm việc, kể từ ngày … báo cáo đơn vị dự toán cấp trên"; TT 26 Đ37 k3 (the
    # 2025 accounts under the new texts) argued: unv. 10 days, 01/02/2026 Sun → 02/02
    ("budget-execution", "2025", date(2026, 1, 22), ("tt61", date(2026, 1, 29), [date(2026, 2, 2)])),
    # TT 61 Đ6 k3 across Tết Bính Ngọ (16–20/02/2026): 13/02, 23, 24, 25, 26/02
    ("budget-execution", "2025", date(2026, 2, 12), ("tt61", date(2026, 2, 26), [date(2026, 2, 23)])),
    # TT 61 Đ6 k3 across Tết Ất Tỵ (27–31/01/2025): 03, 04, 05, 06, 07/02
    ("budget-execution", "2024", date(2025, 1, 24), ("tt61", date(2025, 2, 7), [])),
    # TT 26/2026 Đ27 k2 "03 tháng, 06 tháng, 09 tháng, năm" + NĐ 73 Đ37 (unv. 10 days)
    ("budget-execution", "2026-Q1", None, ("tt26", date(2026, 4, 10), [])),
    ("budget-execution", "2026-3M", None, ("tt26", date(2026, 4, 10), [])),  # TT 26's "03 tháng": the same period
    ("budget-execution", "2026-6M", None, ("tt26", date(2026, 7, 10), [])),  # "06 tháng"
    ("budget-execution", "2026-H1", None, ("tt26", date(2026, 7, 10), [])),
    ("budget-execution", "2026-9M", None, ("tt26", date(2026, 10, 12), [])),  # 10/10/2026 Sat → 12/10
    ("budget-execution", "2026-Q2", None, None),  # TT 26 Đ27 k2: no quarter II report from 2026
    ("budget-execution", "2026-Q4", None, None),  # nor quarter IV
    ("budget-execution", "2025-9M", None, None),  # nor a 9-month report under TT 61 (2025)
    # --- budget-final: TT 26/2026 Điều 37 k1 keeps the 2024 accounts under the old texts (TT 61 Đ6 k4,
    # NĐ 163/2016 Đ49: 15 days), k3 puts the 2025 accounts under the new ones
    # 30/08/2025 Sat, 31/08 Sun, 01–02/09 Quốc khánh → 03/09
    ("budget-final", "2024", date(2025, 8, 15), ("tt61", date(2025, 9, 3), [])),
    # Đ37 k1 even when approved after TT 61's repeal: 25/04/2026 Sat, 26/04 Giỗ Tổ (Sun), 27/04 nghỉ bù → 28/04
    ("budget-final", "2024", date(2026, 4, 10), ("tt61", date(2026, 4, 28), [])),
    ("budget-final", "2025", date(2026, 8, 15), ("tt26", date(2026, 9, 14), [])),  # Đ37 k3, unv. 30 days
    ("budget-final", "2025", date(2026, 4, 10), ("tt26", date(2026, 5, 11), [])),  # Đ37 k3; 10/05 Sun
    # Đ37 k3, approved before TT 26 existed: 22/03/2026 Sun → 23/03; TT 61 (in force that day) argued:
    # 07/03 Sat → 09/03
    ("budget-final", "2025", date(2026, 2, 20), ("tt26", date(2026, 3, 23), [date(2026, 3, 9)])),
    ("budget-final", "2026", date(2027, 7, 20), ("tt26", date(2027, 8, 19), [])),  # TT 26 Đ38 k1 (budget year 2026)
    # --- TT 09/2024/TT-BGDĐT Điều 15 k1 a/b "trước ngày 30 tháng 6 hằng năm" (in force 19/07/2024)
    ("edu-general", "2024-2025", None, ("tt09", date(2025, 6, 29), [])),  # a Sunday: a fixed date does not move
    ("edu-general", "2025-2026", None, ("tt09", date(2026, 6, 29), [])),
    ("edu-general", "2023-2024", None, None),  # due before 30/06/2024: TT 09 not yet in force
    ("edu-finance", "2025-2026", None, ("tt09", date(2026, 6, 29), [])),  # Đ5, Đ15 k1 a
    ("edu-quality", "2025-2026", None, ("tt09", date(2026, 6, 29), [])),  # Đ15 k1 a
    ("edu-plan-results", "2025-2026", None, ("tt09", date(2026, 6, 29), [])),  # Đ15 k1 a
    ("edu-annual-report", "2024", None, ("tt09", date(2025, 6, 29), [])),  # Đ15 k1 b: the year before
    ("edu-annual-report", "2025", None, ("tt09", date(2026, 6, 29), [])),  # Đ15 k1 b
    # --- donations (TT 16/2018/TT-BGDĐT, in force 18/09/2018; yearly deadline a portal assumption)
    ("donations", "2025-2026", None, ("tt16", date(2026, 6, 29), [])),
    # --- commune budgets: TT 343/2016 to 24/03/2026 (unv. 15 days), TT 26/2026 Điều 26 after (unv. 10 days)
    ("commune-budget", "2025-Q4", None, ("tt343", date(2026, 1, 15), [])),
    ("commune-budget", "2026-Q1", None, ("tt26", date(2026, 4, 10), [])),
]


@pytest.mark.parametrize("rule_id, period, event, expected", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2] or 'ky'}" for c in CASES])
def test_version_and_deadline(rule_id: str, period: str, event: date | None, expected) -> None:
    assert chosen(rule_id, period, event) == expected


def test_the_reason_names_the_transitional_article_or_the_day_the_law_was_read_on() -> None:
    rule = RULES.get("budget-final")
    old = select(rule, parse_period("2024"), lambda name: date(2025, 8, 15))
    assert old.reason == "Thông tư 26/2026/TT-BTC, Điều 37 khoản 1 (đến năm ngân sách 2024)"
    new = select(rule, parse_period("2025"), lambda name: date(2026, 2, 20))
    assert new.reason == "Thông tư 26/2026/TT-BTC, Điều 37 khoản 3 (năm ngân sách 2025)"
    assert [why for _, why in new.argued] == [
        "văn bản này có hiệu lực vào ngày quyết toán được cấp có thẩm quyền phê duyệt, 20/02/2026"]
    estimate = select(RULES.get("budget-estimate"), parse_period("2026"), lambda name: date(2026, 1, 5))
    assert estimate.reason == "văn bản có hiệu lực vào ngày được cấp có thẩm quyền giao dự toán, 05/01/2026"
    assert [why for _, why in estimate.argued] == ["văn bản này áp dụng từ năm ngân sách 2026"]


def test_an_undeclared_event_date_is_assumed_and_said_so() -> None:
    # TT 61 Đ6 k1 from an assumed assignment on 31/12/2025: 15/01/2026, flagged as assumed
    selection = select(RULES.get("budget-estimate"), parse_period("2026"), lambda name: None)
    assert (selection.chosen.deadline, selection.chosen.assumed) == (date(2026, 1, 15), True)
    assert "(giả định)" in selection.reason


# 2. The calendar ----------------------------------------------------------------------------------------------

FIFTEEN = Deadline(DeadlineKind.AFTER_EVENT, days=15, event="assigned_date")
TEN = Deadline(DeadlineKind.AFTER_EVENT, days=10, event="assigned_date")


@pytest.mark.parametrize("event, deadline, due", [
    (date(2025, 4, 17), FIFTEEN, date(2025, 5, 5)),  # 02/05/2025: day off swapped for Sat 26/04 (Đ148 k5)
    (date(2025, 4, 11), FIFTEEN, date(2025, 4, 26)),  # Sat 26/04/2025 is a làm bù working day: no move
    (date(2026, 8, 16), FIFTEEN, date(2026, 9, 3)),  # 31/08/2026 swapped day off, 01–02/09 Quốc khánh
    (date(2026, 1, 31), FIFTEEN, date(2026, 2, 23)),  # 15/02/2026 Sun, Tết 16–20/02, weekend
    (date(2026, 4, 11), FIFTEEN, date(2026, 4, 28)),  # 26/04/2026 Giỗ Tổ (Sun), 27/04 nghỉ bù
    (date(2026, 11, 14), TEN, date(2026, 11, 25)),  # 24/11/2026: the package's Ngày Văn hóa (basis unverified)
])
def test_day_counts_end_on_a_working_day(event: date, deadline: Deadline, due: date) -> None:
    assert due_date(deadline, parse_period(str(event.year)), event) == (due, False)


def test_a_portal_corrects_the_calendar_where_the_announcement_differs() -> None:
    # without the 24/11/2026 holiday (its legal basis unverified), 10 days after 14/11 is 24/11 itself
    worked = Policy(WorkCalendar.with_changes(working_days=[date(2026, 11, 24)]))
    assert due_date(TEN, parse_period("2026"), date(2026, 11, 14), worked) == (date(2026, 11, 24), False)


@pytest.mark.parametrize("changed, due", [
    (date(2025, 4, 25), date(2025, 5, 13)),  # Sat 26/04 counts; 30/04, 01/05, 02/05 do not
    (date(2026, 2, 10), date(2026, 3, 3)),  # across Tết Bính Ngọ
    (date(2026, 8, 20), date(2026, 9, 7)),  # Sat 22/08 counts; 31/08–02/09 do not
])
def test_ten_working_days_to_update_published_information(changed: date, due: date) -> None:
    # TT 09/2024 Điều 15 k1 a: "chậm nhất sau 10 ngày làm việc kể từ ngày thay đổi thông tin"
    assert OFFICIAL.add_working_days(changed, 10) == due


def test_before_30_june_read_inclusively_when_the_portal_says_so() -> None:
    inclusive = Policy(before_inclusive=True)
    assert chosen("edu-general", "2025-2026", policy=inclusive) == ("tt09", date(2026, 6, 30), [])


# 3. Verdicts: who is bound, on time or not ---------------------------------------------------------------------

REPORTS = {"budget-estimate": "du-toan", "budget-execution": "thuc-hien-quy", "budget-final": "quyet-toan"}


def verdict(rule_id: str, period: str, posted: date | None = None, event: date | None = None, *,
            kind: UnitKind = UnitKind.THCS, ownership: str | None = None, role: str | None = None,
            today: date = TODAY) -> tuple[str, int] | None:
    """Return (status, days) of one obligation and period for a one-unit portal, or None when the unit
    is not judged on it."""
    extra = {"budget_role": role} if role else {}
    unit = Unit("don-vi", "Đơn vị thử", kind, Path("units/don-vi.yml"), ownership=ownership, extra=extra)
    docs = []
    if posted is not None:
        details = SimpleNamespace(nil=False, assigned_date=event, approved_date=event, submitted_date=event)
        docs.append(Document(unit="don-vi", kind=REGISTRY["tai-chinh"], slug="x", source=Path("x.md"), title="X",
                             rendered=None, body_line=1, date=posted, obligation=rule_id,  # type: ignore[arg-type]
                             period=parse_period(period), details=details))
    compliance = evaluate(Units({"don-vi": unit}), docs, RULES, today, date(2017, 1, 1))
    found = [c for c in compliance.of_unit("don-vi") if c.key == f"don-vi|{rule_id}|{period}"]
    return (found[0].standing.key, found[0].days) if found else None


@pytest.mark.parametrize("args, kwargs, expected", [
    # TT 61 Đ6 k1: assigned 13/01/2025, due 03/02/2025 (after Tết): posted that day, and one day later
    (("budget-estimate", "2025", date(2025, 2, 3), date(2025, 1, 13)), {}, ("dung-han", 0)),
    (("budget-estimate", "2025", date(2025, 2, 4), date(2025, 1, 13)), {}, ("muon", 1)),
    # TT 61 Đ6 k2: quarter IV of 2025 not posted, due 15/01/2026, judged on 22/11/2026
    (("budget-execution", "2025-Q4"), {}, ("qua-han", 311)),
    # TT 26 Đ27 k2 + NĐ 73 (unv.): 9 months of 2026 due 12/10/2026; posted 12/10
    (("budget-execution", "2026-9M", date(2026, 10, 12)), {}, ("dung-han", 0)),
    # Đ37 k3: 2025 accounts approved 15/08/2026, due 14/09/2026 (unv. 30 days); posted 20/09
    (("budget-final", "2025", date(2026, 9, 20), date(2026, 8, 15)), {}, ("muon", 6)),
    # Đ37 k3 even when the 2025 accounts fall due before TT 26 took effect: approved 20/02/2026, due
    # 23/03/2026 (22/03 Sun) under the new texts by the transitional clause, so judged, not dropped
    (("budget-final", "2025", date(2026, 3, 23), date(2026, 2, 20)), {}, ("dung-han", 0)),
    (("budget-final", "2025", date(2026, 3, 25), date(2026, 2, 20)), {}, ("muon", 2)),
    # TT 61 Đ1, TT 26 Đ2: a private school is no budget unit: not bound…
    (("budget-estimate", "2025"), {"ownership": "tu-thuc"}, None),
    (("budget-execution", "2025-Q1"), {"ownership": "dan-lap", "kind": UnitKind.MN}, None),
    # …unless the state budget supports it (TT 61 Điều 7, 10: tổ chức được ngân sách nhà nước hỗ trợ)
    (("budget-execution", "2025-Q1"), {"ownership": "tu-thuc", "role": "ho-tro"}, ("qua-han", 586)),
    # TT 09/2024 Điều 1 k2: every school, whatever its ownership
    (("edu-general", "2025-2026", date(2026, 6, 29)), {"ownership": "tu-thuc"}, ("dung-han", 0)),
    (("edu-general", "2025-2026", date(2026, 6, 30)), {"ownership": "tu-thuc"}, ("muon", 1)),
    # a commune's budget is a local budget (TT 26 Điều 26): not the budget-unit article (Điều 27)
    (("budget-execution", "2025-Q3"), {"kind": UnitKind.XA}, None),
    (("commune-budget", "2026-Q1"), {"kind": UnitKind.XA}, ("qua-han", 226)),
    (("edu-general", "2025-2026"), {"kind": UnitKind.XA}, None),
    # the Sở is a superior budget unit (TT 61 Điều 3 k1: mẫu biểu 01)
    (("budget-execution", "2025-Q2"), {"kind": UnitKind.SO}, ("qua-han", 495)),
])
def test_verdict(args: tuple, kwargs: dict, expected) -> None:
    assert verdict(*args, **kwargs) == expected


# 4. Standing duties and the texts in force on each date ---------------------------------------------------------


def test_procedures_rest_on_decree_63_and_its_amendments_from_their_dates() -> None:
    rule = RULES.get("procedures")
    assert rule.version_on(date(2010, 10, 13)) is None  # NĐ 63/2010 took effect on 14/10/2010
    version = rule.version_on(date(2010, 10, 14))
    names = lambda day: [t.name for t in RULES.texts_on(version, day)]  # noqa: E731
    assert names(date(2013, 6, 30)) == ["Nghị định 63/2010/NĐ-CP"]
    assert names(date(2013, 7, 1)) == ["Nghị định 63/2010/NĐ-CP", "Nghị định 48/2013/NĐ-CP"]
    assert names(date(2017, 9, 25)) == ["Nghị định 63/2010/NĐ-CP", "Nghị định 48/2013/NĐ-CP",
                                        "Nghị định 92/2017/NĐ-CP"]
    feedback = RULES.get("feedback-channel")
    assert feedback.version_on(date(2017, 12, 17)).key == "tt05"
    assert feedback.version_on(date(2017, 12, 18)).key == "tt02"
    budget = RULES.get("budget-execution").version("tt61")
    assert [t.name for t in RULES.texts_on(budget, date(2018, 12, 31))] == ["Thông tư 61/2017/TT-BTC"]
    assert [t.name for t in RULES.texts_on(budget, date(2019, 1, 1))] == ["Thông tư 61/2017/TT-BTC",
                                                                          "Thông tư 90/2018/TT-BTC"]
    assert RULES.texts_on(budget, date(2026, 3, 25)) == []  # both repealed by TT 26/2026 Điều 38 k2


def test_every_replaced_text_in_the_rules_file_has_an_end_date() -> None:
    for text in RULES.texts.values():
        if text.replaced_by:
            replacement = RULES.texts[text.replaced_by]
            assert text.effective_to is not None and text.effective_to < replacement.effective_from, text.id
    assert RULES.texts["tt-61-2017"].effective_to == date(2026, 3, 24)  # TT 26/2026 Điều 38 k2, from 25/03/2026
    assert RULES.texts["nd-63-2010"].effective_from == date(2010, 10, 14)
    assert RULES.texts["tt-16-2018"].effective_from == date(2018, 9, 18)


def test_a_replaced_text_without_an_end_date_is_an_error_of_the_rules_file() -> None:
    problems = Problems()
    read_rules_file(Path("quy-tac.yml"), """
texts:
  - id: cu
    name: Thông tư cũ
    effective_from: 2017-08-01
    replaced_by: moi
  - id: moi
    name: Thông tư mới
    effective_from: 2026-03-25
obligations: []
""", problems)
    assert [p.render() for p in problems.sorted()] == [
        "Lỗi: quy-tac.yml, dòng 6: 'texts[1].effective_to': Thông tư cũ đã bị thay thế nhưng không ghi ngày hết hiệu "
        "lực, nhận được 'moi'. Sửa: ghi 'effective_to' là ngày trước ngày văn bản thay thế có hiệu lực.",
    ]


# 5. Structure: before and after 01/07/2025, dissolved units --------------------------------------------------------

LOCAL = """
obligations:
  - id: {id}
    title: Kế hoạch cải cách hành chính năm của trường ({id})
    basis: Kế hoạch của đơn vị cấp trên
    applies_to: {{units: [thcs]}}
    fulfilled_by: {{kinds: [ke-hoach]}}
    period: year
    deadline: {{fixed: {{month: 6, day: 30}}}}
    effective_from: 2024-01-01
"""


def test_supervisors_change_on_1_july_2025_and_the_dissolved_office_is_judged_on_its_last_day(site: Site) -> None:
    site.standard_units()
    for code in ("phong-gd", "ubnd-xa"):
        site.unit(code, (site.units / f"{code}.yml").read_text(encoding="utf-8") + LOCAL.format(id=f"kh-{code}"))
    site.content.mkdir()
    result = site.validate("2026-11-22")
    assert [p.render() for p in result.problems.sorted()] == []
    found = {c.key: c for c in result.compliance.checks}
    # the Phòng's rule binds the school for 2025 (due 30/06/2025, its last day); not for 2026
    assert "thcs-a|kh-phong-gd|2025" in found and "thcs-a|kh-phong-gd|2026" not in found
    # the commune's rule binds from 01/07/2025 (Luật 72/2025/QH15; TT 15/2025): 2026 yes, 2025 no
    assert "thcs-a|kh-ubnd-xa|2026" in found and "thcs-a|kh-ubnd-xa|2025" not in found
    # the dissolved office's own duties: judged as of 30/06/2025 and routed to today's responsible unit
    office = [c for c in result.compliance.of_unit("phong-gd") if c.standing is Standing.OVERDUE]
    assert office and all(c.as_of == date(2025, 6, 30) and c.responsible == "ubnd-xa" for c in office)
    q1 = found["phong-gd|budget-execution|2025-Q1"]
    assert (q1.deadline, q1.days) == (date(2025, 4, 15), 76)  # to 30/06/2025, not to today
    assert "phong-gd|budget-execution|2025-Q2" not in found  # due 15/07/2025, after it ceased to exist
    assert "tính đến ngày ngừng hoạt động 30/06/2025" in q1.describe()
    # the oversight chain: the Sở sees the commune's school, which is not "trực thuộc" the Sở
    units = result.portal.units
    assert units.is_overseen_by("thcs-a", "so-gd", date(2025, 7, 1))
    assert units.ancestors_on("thcs-a", date(2025, 7, 1)) == ["ubnd-xa"]


def test_feeds_follow_the_oversight_chain_and_route_a_dissolved_units_duties_to_todays_unit(site: Site) -> None:
    import feedparser
    from lxml import html as lhtml

    site.standard_units()
    site.unit("ubnd-xa", (site.units / "ubnd-xa.yml").read_text(encoding="utf-8")
              + "parent:\n  - name: Ủy ban nhân dân tỉnh Thử Nghiệm\n    from: 2025-07-01\n")
    site.content.mkdir()
    assert site.run("build", "--no-search") == 0
    so = feedparser.parse((site.out / "so-gd/qua-han.xml").read_bytes())
    titles = [e.title for e in so.entries]
    # the Sở guides the commune's school without managing it: its overdue feed shows the school's items
    assert any(t.startswith("Quá hạn: Trường Trung học cơ sở Sao Mai") for t in titles)
    # the dissolved office's missed duties reach the commune that took over its tasks
    ward = feedparser.parse((site.out / "ubnd-xa/qua-han.xml").read_bytes())
    office = [e for e in ward.entries if e.title.startswith("Quá hạn: Phòng Giáo dục và Đào tạo huyện Ven Sông")]
    assert office and all("đơn vị phải xử lý hiện nay: Ủy ban nhân dân xã Bến Đò" in e.description for e in office)
    assert all("Phiên bản áp dụng vì:" in e.description for e in office)
    # "Trực thuộc" is the administrative chain: the province's People's Committee, named, not the Sở
    page = lhtml.document_fromstring((site.out / "ubnd-xa/index.html").read_text(encoding="utf-8"))
    facts = {" ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split())
             for dt in page.xpath('//dl[contains(@class, "ck-facts")]/dt')}
    assert facts["Trực thuộc"] == "Ủy ban nhân dân tỉnh Thử Nghiệm (từ 01/07/2025)"
    assert facts["Chỉ đạo, hướng dẫn chuyên môn"].startswith("Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm")


def test_fail_on_overdue_ignores_the_history_of_a_unit_that_no_longer_exists(site: Site, capsys) -> None:
    site.unit("so-gd", "name: Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm\nkind: so\nbudget_role: khong\n")
    site.unit("phong-gd", "name: Phòng Giáo dục và Đào tạo huyện Ven Sông\nkind: phong\nsector_parent: so-gd\n"
              "active_until: 2025-06-30\n")
    site.content.mkdir()
    capsys.readouterr()
    assert site.run("status", "--fail-on-overdue") == 0  # the office's missed 2025 reports: history only
    printed = capsys.readouterr().out
    assert "Phòng Giáo dục và Đào tạo huyện Ven Sông (ngừng hoạt động từ 30/06/2025, đánh giá đến ngày đó)" in printed
    assert "✗ Quá hạn 76 ngày, chưa đăng (tính đến ngày ngừng hoạt động 30/06/2025)" in printed  # Q1 2025, TT 61 Đ6 k2
