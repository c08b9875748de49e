"""Obligation rules: the shipped data, working days, and each deadline rule at its boundaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from congkhai.model.fields import Reader
from congkhai.model.periods import parse_period
from congkhai.model.problems import Problems
from congkhai.model.sources import parse_yaml
from congkhai.rules.calendar import add_working_days, is_working_day
from congkhai.rules.deadlines import due_date, select
from congkhai.rules.obligations import Deadline, DeadlineKind, YearDay, load_national, read_obligation

NATIONAL = load_national()
RULES = dict(NATIONAL.by_id)


def deadline_of(rule_id: str, period: str, event: date | None = None) -> tuple[date | None, bool]:
    selection = select(RULES[rule_id], parse_period(period), lambda name: event)
    assert selection is not None, (rule_id, period)
    return selection.chosen.deadline, selection.chosen.assumed


def basis_of(rule_id: str, period: str, event: date | None = None) -> str:
    selection = select(RULES[rule_id], parse_period(period), lambda name: event)
    assert selection is not None, (rule_id, period)
    return selection.chosen.version.basis


def test_every_national_obligation_of_the_domain_ships() -> None:
    assert list(RULES) == [
        "edu-general", "edu-finance", "edu-quality", "edu-plan-results", "edu-annual-report", "budget-estimate",
        "budget-execution", "budget-final", "commune-budget", "donations", "procedures", "feedback-channel",
    ]
    assert all(rule.sure in ("text", "secondary", "unverified") for rule in RULES.values())
    # DOMAIN.md marks these unverified: shipped switched off (a portal turns them on in its settings)
    assert [r for r, rule in RULES.items() if not rule.enabled] == ["commune-budget", "donations"]


def test_working_days_skip_weekends_and_lunar_holidays() -> None:
    assert not is_working_day(date(2026, 2, 17))  # Tết Nguyên đán (lunar)
    assert not is_working_day(date(2025, 4, 7))  # Giỗ Tổ Hùng Vương 2025 (10/3 âm lịch)
    assert not is_working_day(date(2026, 2, 21))  # Saturday
    assert is_working_day(date(2026, 2, 23))
    # 5 working days after Thursday 12/02/2026: Friday 13, then Tết (16–20/02) and weekends are skipped
    assert add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_working_days_kept_in_the_build_cache_are_the_packages_and_are_made_again_for_another_version(
        tmp_path: Path, monkeypatch) -> None:
    import importlib.machinery
    import importlib.util

    import holidays

    from congkhai.rules import calendar

    years = range(2019, 2029)
    every_day = [date.fromordinal(d) for d in range(date(years[0], 1, 1).toordinal(),
                                                    date(years[-1] + 1, 1, 1).toordinal())]
    package = {day: holidays.country_holidays("VN", years=day.year).is_working_day(day) for day in every_day}
    table = tmp_path / "cache" / "calendar.json"
    try:
        calendar.use_table_file(table)
        assert {day: is_working_day(day) for day in every_day} == package  # made from the package
        assert table.is_file()
        calendar.use_table_file(table)  # another build: read from the file, the package not asked
        monkeypatch.setattr(holidays, "country_holidays", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
        assert {day: is_working_day(day) for day in every_day} == package
        monkeypatch.undo()
        # another version of the package (its version file differs): the table is made again
        fake = tmp_path / "holidays"
        (fake / "countries").mkdir(parents=True)
        (fake / "version.py").write_text('__version__ = "999.0"\n', encoding="utf-8")
        (fake / "countries" / "vietnam.py").write_text("# another calendar\n", encoding="utf-8")
        (fake / "__init__.py").write_text("", encoding="utf-8")
        real_find = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: importlib.machinery.ModuleSpec(
            name, None, origin=str(fake / "__init__.py")) if name == "holidays" else real_find(name, *a))
        calendar.use_table_file(table)
        asked: list[int] = []
        real = holidays.country_holidays
        monkeypatch.setattr(holidays, "country_holidays", lambda code, years: (asked.append(years), real(code, years=years))[1])
        assert is_working_day(date(2026, 2, 23)) and not is_working_day(date(2026, 2, 17))
        assert asked == [2026]
    finally:
        calendar.use_table_file(None)


def test_fixed_deadline_last_on_time_day() -> None:
    # TT 09/2024 Điều 15 k1 a "trước ngày 30 tháng 6 hằng năm": read literally, 29/06 is the last day on
    # time, and a fixed date does not move off a Sunday (29/06/2025)
    assert deadline_of("edu-general", "2024-2025") == (date(2025, 6, 29), False)
    # Điều 15 k1 b: the annual report of the year before, "trước ngày 30 tháng 6"
    assert deadline_of("edu-annual-report", "2025") == (date(2026, 6, 29), False)


def test_days_after_the_period_end() -> None:
    assert deadline_of("budget-execution", "2025-Q1") == (date(2025, 4, 15), False)  # TT 61 Điều 6 k2: 15 days
    assert deadline_of("budget-execution", "2025-Q3") == (date(2025, 10, 15), False)
    assert deadline_of("budget-execution", "2026-Q1") == (date(2026, 4, 10), False)  # TT 26 + NĐ 73 (unv.): 10 days
    assert deadline_of("budget-execution", "2026-9M") == (date(2026, 10, 12), False)  # 10/10 is a Saturday


def test_the_2026_change_judges_each_period_by_the_version_chosen_for_it() -> None:
    assert basis_of("budget-execution", "2025", date(2026, 1, 22)).startswith("Thông tư 61/2017/TT-BTC")
    assert basis_of("budget-execution", "2026-Q1").startswith("Thông tư 26/2026/TT-BTC")
    # year 2025: TT 61 Điều 6 k3, 05 working days after the report went up (12/02/2026, before Tết)
    assert deadline_of("budget-execution", "2025", date(2026, 2, 12)) == (date(2026, 2, 26), False)
    # year 2026: new rule (unverified), 10 calendar days after submission
    assert deadline_of("budget-execution", "2026", date(2027, 1, 20)) == (date(2027, 2, 1), False)  # 30/01 Sat
    # 15 days after 10/01/2025 is Saturday 25/01; 27/01–31/01 is Tết Ất Tỵ: the next working day is 03/02
    assert deadline_of("budget-estimate", "2025", date(2025, 1, 10)) == (date(2025, 2, 3), False)
    # the 2026 estimate assigned on 10/01/2026, before TT 26/2026 took effect (25/03/2026): TT 61 Điều 6
    # k1 was in force on the assignment day, 15 days (25/01 is a Sunday: 26/01)
    assert deadline_of("budget-estimate", "2026", date(2026, 1, 10)) == (date(2026, 1, 26), False)


def test_a_deadline_falling_in_tet_moves_to_the_next_working_day() -> None:
    # assigned 04/02/2026 (TT 61 in force): 15 days is 19/02/2026, the third day of Tết Bính Ngọ; Tết and
    # the weekend follow, so the time limit ends on Monday 23/02 (BLDS 2015 Điều 148 k5)
    assert deadline_of("budget-estimate", "2026", date(2026, 2, 4)) == (date(2026, 2, 23), False)


def test_an_undeclared_event_uses_the_stated_assumption() -> None:
    # assumed assignment 31/12/2025 (TT 61 in force): 15 days, 15/01/2026
    assert deadline_of("budget-estimate", "2026") == (date(2026, 1, 15), True)
    # the 2025 final accounts follow the new texts (TT 26/2026 Điều 37 k3): assumed approval 30/09/2026
    # + 30 days (unverified) = 30/10/2026
    assert deadline_of("budget-final", "2025") == (date(2026, 10, 30), True)


def test_leap_years() -> None:
    feb29 = Deadline(DeadlineKind.FIXED, fixed=YearDay(2, 29))
    assert due_date(feb29, parse_period("2024"), None) == (date(2024, 2, 29), False)
    assert due_date(feb29, parse_period("2025"), None) == (date(2025, 2, 28), False)
    thirty = Deadline(DeadlineKind.AFTER_EVENT, days=30, event="assigned_date")
    assert due_date(thirty, parse_period("2024"), date(2024, 1, 31)) == (date(2024, 3, 1), False)
    assert due_date(thirty, parse_period("2025"), date(2025, 1, 31)) == (date(2025, 3, 3), False)  # 02/03 Sun


STRADDLE = """
id: quy-thu-nghiem
title: Nghĩa vụ thử nghiệm
applies_to: {units: [thcs]}
fulfilled_by: {kinds: [tai-chinh]}
versions:
  - effective_from: 2020-01-01
    effective_to: 2026-02-14
    basis: Quy định cũ
    schedules:
      - periods: [Q1]
        deadline: {after_period: {days: 15}}
  - effective_from: 2026-02-15
    basis: Quy định mới
    schedules:
      - periods: [Q1]
        deadline: {after_period: {days: 10, working: true}}
"""


def test_a_quarter_straddling_a_rule_change_follows_the_rule_on_its_last_day() -> None:
    problems = Problems()
    rule = read_obligation(Reader(Path("quy.yml"), parse_yaml(STRADDLE), problems), None)
    assert problems.sorted() == []
    q1 = parse_period("2026-Q1")  # 01/01–31/03/2026, the rule changed on 15/02/2026
    selection = select(rule, q1, lambda name: None)
    assert selection.chosen.version.basis == "Quy định mới"  # in force when the quarter ended (its trigger)
    assert selection.chosen.deadline == date(2026, 4, 14)  # 10 working days
    old = select(rule, parse_period("2025-Q1"), lambda name: None).chosen
    assert old.version.basis == "Quy định cũ" and old.deadline == date(2025, 4, 15)
    assert due_date(old.schedule.deadline, parse_period("2025-Q1"), None) == (date(2025, 4, 15), False)
