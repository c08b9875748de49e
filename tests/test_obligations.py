"""Obligation rules: the shipped data, working days, and each deadline rule at its boundaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from congkhai.model.fields import Reader
from congkhai.model.periods import parse_period
from congkhai.model.problems import Problems
from congkhai.model.sources import parse_yaml
from congkhai.rules.obligations import (
    Deadline,
    DeadlineKind,
    YearDay,
    add_working_days,
    due_date,
    is_working_day,
    load_national,
    read_obligation,
)

RULES = {rule.id: rule for rule in load_national()}


def deadline_of(rule_id: str, period: str, event: date | None = None) -> tuple[date | None, bool]:
    p = parse_period(period)
    version = RULES[rule_id].version_on(p.end)
    schedule = next(s for s in version.schedules if s.accepts(p))
    return due_date(schedule.deadline, p, event)


def test_every_national_obligation_of_the_domain_ships() -> None:
    assert list(RULES) == [
        "edu-general", "edu-finance", "edu-quality", "edu-plan-results", "edu-annual-report", "budget-estimate",
        "budget-execution", "budget-final", "donations", "procedures", "feedback-channel",
    ]
    assert all(rule.sure in ("text", "secondary", "unverified") for rule in RULES.values())


def test_working_days_skip_weekends_and_lunar_holidays() -> None:
    assert not is_working_day(date(2026, 2, 17))  # Tết Nguyên đán (lunar)
    assert not is_working_day(date(2025, 4, 7))  # Giỗ Tổ Hùng Vương 2025 (10/3 âm lịch)
    assert not is_working_day(date(2026, 2, 21))  # Saturday
    assert is_working_day(date(2026, 2, 23))
    # 5 working days after Thursday 12/02/2026: Friday 13, then Tết (16–20/02) and weekends are skipped
    assert add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_fixed_deadline_last_on_time_day() -> None:
    assert deadline_of("edu-general", "2024-2025") == (date(2025, 6, 30), False)
    assert deadline_of("edu-annual-report", "2025") == (date(2026, 6, 30), False)


def test_days_after_the_period_end() -> None:
    assert deadline_of("budget-execution", "2025-Q1") == (date(2025, 4, 15), False)  # old rule: 15 days
    assert deadline_of("budget-execution", "2025-Q3") == (date(2025, 10, 15), False)
    assert deadline_of("budget-execution", "2026-Q1") == (date(2026, 4, 10), False)  # new rule: 10 days
    assert deadline_of("budget-execution", "2026-9M") == (date(2026, 10, 12), False)  # 10/10 is a Saturday


def test_the_2026_change_judges_each_period_by_the_version_in_force_for_it() -> None:
    rule = RULES["budget-execution"]
    assert rule.version_on(parse_period("2025").end).basis == "Thông tư 61/2017/TT-BTC"
    assert rule.version_on(parse_period("2026-Q1").end).basis == "Thông tư 26/2026/TT-BTC"
    # year 2025: old rule, 5 working days after the report went up (12/02/2026, before Tết)
    assert deadline_of("budget-execution", "2025", date(2026, 2, 12)) == (date(2026, 2, 26), False)
    # year 2026: new rule, 10 calendar days after submission
    assert deadline_of("budget-execution", "2026", date(2027, 1, 20)) == (date(2027, 2, 1), False)  # 30/01 Sat
    # 15 days after 10/01/2025 is Saturday 25/01; 27/01–01/02 is Tết Ất Tỵ: the next working day is 03/02
    assert deadline_of("budget-estimate", "2025", date(2025, 1, 10)) == (date(2025, 2, 3), False)
    assert deadline_of("budget-estimate", "2026", date(2026, 1, 10)) == (date(2026, 2, 9), False)


def test_a_deadline_falling_in_tet_moves_to_the_next_working_day() -> None:
    # 30 days after 20/01/2026 is 19/02/2026, the third day of Tết Bính Ngọ; the weekend follows
    assert deadline_of("budget-estimate", "2026", date(2026, 1, 20)) == (date(2026, 2, 23), False)


def test_an_undeclared_event_uses_the_stated_assumption() -> None:
    assert deadline_of("budget-estimate", "2026") == (date(2026, 1, 30), True)  # 31/12/2025 + 30 days
    assert deadline_of("budget-final", "2025") == (date(2026, 10, 15), True)  # 30/09/2026 + 15 days


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
    version = rule.version_on(q1.end)
    assert version.basis == "Quy định mới"
    assert due_date(version.schedules[0].deadline, q1, None) == (date(2026, 4, 14), False)  # 10 working days
    old = rule.version_on(parse_period("2025-Q1").end)
    assert due_date(old.schedules[0].deadline, parse_period("2025-Q1"), None) == (date(2025, 4, 15), False)
