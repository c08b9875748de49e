"""Which rule version governs a period, and its last on-time day.

Choosing a version (`select`), in this order:

1. a transitional clause of the obligation that covers the period's budget year (e.g. Thông tư
   26/2026/TT-BTC Điều 37 k1: the 2024 final accounts stay under the old texts; k3: the 2025 final
   accounts follow the new ones) — the clause's article is the reason given;
2. else the version in force on the day the version says it is chosen on (`select_by`): the
   triggering event (the declared or assumed event date; the end of the period for a time limit
   counted from it) or the deadline itself (fixed calendar dates), within the budget years the
   version applies to;
3. else the version whose budget years cover the period (a law that applies "from budget year 2026"
   before it was in force), or the one in force when the period ended — flagged, since no version
   was in force on the triggering day.

Any other version that could be argued for the period (in force on the triggering day, applying to
its budget year, or named by the clause) is kept with its own deadline, so a verdict page can say
that two readings exist and what each gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..config import PortalSettings
from ..model.periods import Period
from ..model.text import format_date
from .calendar import OFFICIAL, WorkCalendar
from .obligations import EVENTS, Deadline, DeadlineKind, Obligation, RuleVersion, Schedule, budget_year


@dataclass(frozen=True)
class Policy:
    """How this portal reads the open points of the law (its settings, passed down)."""

    calendar: WorkCalendar = OFFICIAL
    # "trước ngày 30 tháng 6": False = literally before (29/6 is the last day), True = on 30/6 too.
    before_inclusive: bool = False


DEFAULT_POLICY = Policy()


def policy_of(settings: PortalSettings) -> Policy:
    """Return the policy a portal's settings set (reading of "trước ngày", calendar corrections)."""
    return Policy(WorkCalendar.with_changes(settings.days_off, settings.working_days), settings.before_date_inclusive)


def due_date(deadline: Deadline, period: Period, event: date | None,
             policy: Policy = DEFAULT_POLICY) -> tuple[date | None, bool]:
    """Return (the last on-time day, whether it rests on an assumed event date) for `period`.

    Counted in days: the event day is not counted (BLDS 2015 Điều 147 k3), so "15 ngày kể từ ngày X"
    ends on X + 15; a last day on a day off moves to the next working day when the rule says it moves
    (Điều 148 k5). Counted in working days: the count skips every day off, làm bù Saturdays count.
    A fixed date written "trước ngày D" ends the day before D unless the portal reads it inclusively.
    """
    if deadline.kind is DeadlineKind.CONTINUOUS:
        return None, False
    calendar = policy.calendar
    if deadline.kind is DeadlineKind.FIXED and deadline.fixed:
        day = deadline.fixed.in_year_of(period)
        if deadline.before and not policy.before_inclusive:
            day -= timedelta(days=1)
        return (calendar.next_working_day(day) if deadline.moves_on_day_off else day), False
    assumed = False
    start = period.end
    if deadline.kind is DeadlineKind.AFTER_EVENT:
        if event is None:
            if deadline.assume is None:
                return None, False
            event, assumed = deadline.assume.in_year_of(period), True
        start = event
    if deadline.working:
        return calendar.add_working_days(start, deadline.days), assumed
    day = start + timedelta(days=deadline.days)
    return (calendar.next_working_day(day) if deadline.moves_on_day_off else day), assumed


@dataclass(frozen=True)
class Option:
    """One version applied to one period: its schedule, the deadline it gives, the day it was chosen on."""

    version: RuleVersion
    schedule: Schedule
    deadline: date | None
    assumed: bool
    trigger: date


@dataclass(frozen=True)
class Selection:
    """The version chosen for a period, why, and the other versions that could be argued."""

    chosen: Option
    reason: str
    argued: tuple[tuple[Option, str], ...] = ()
    # True when a transitional clause chose the version: the clause puts the period under it even when
    # the deadline falls before the version's own start (2025 final accounts approved before 25/03/2026)
    transitional: bool = False

    @property
    def arguable(self) -> bool:
        """Return True when another version could be argued and gives another deadline."""
        return any(option.deadline != self.chosen.deadline for option, _ in self.argued)


EventLookup = Callable[[str | None], date | None]


def _option(version: RuleVersion, period: Period, events: EventLookup, policy: Policy) -> Option | None:
    schedule = version.schedule_for(period)
    if schedule is None:
        return None
    deadline, assumed = due_date(schedule.deadline, period, events(schedule.deadline.event), policy)
    if version.select_by == "deadline" and deadline is not None:
        trigger = deadline
    elif schedule.deadline.kind is DeadlineKind.AFTER_EVENT:
        declared = events(schedule.deadline.event)
        assumed_day = schedule.deadline.assume.in_year_of(period) if schedule.deadline.assume else None
        trigger = declared or assumed_day or period.end
    else:
        trigger = period.end
    return Option(version, schedule, deadline, assumed, trigger)


def _applies_to_year(version: RuleVersion, period: Period) -> bool:
    return version.budget_years is None or version.budget_years.contains(budget_year(period))


def select(rule: Obligation, period: Period, events: EventLookup, policy: Policy = DEFAULT_POLICY) -> Selection | None:
    """Return the version governing `period` of `rule` and the versions that could be argued, or None
    when no version has `period` in its schedule. `events(name)` returns the declared event date."""
    options = {v.key or str(i): o for i, v in enumerate(rule.versions)
               if (o := _option(v, period, events, policy)) is not None}
    if not options:
        return None
    chosen, reason, named, transitional = _choose(rule, period, options)
    if chosen is None:
        return None
    argued = []
    for key, option in options.items():
        if option is not chosen:
            why = named.get(key) or _why_arguable(option, period)
            if why:
                argued.append((option, why))
    return Selection(chosen, reason, tuple(argued), transitional)


def _trigger_words(option: Option) -> str:
    """Return what the day a version was chosen on is ("ngày được giao dự toán (05/01/2026)")."""
    deadline = option.schedule.deadline
    if option.version.select_by == "deadline":
        what = "ngày đến hạn"
    elif deadline.kind is DeadlineKind.AFTER_EVENT and deadline.event:
        what = EVENTS[deadline.event] + (" (giả định)" if option.assumed else "")
    else:
        what = "ngày kết thúc kỳ"
    return f"{what}, {format_date(option.trigger)}"


def _choose(rule: Obligation, period: Period,
            options: dict[str, Option]) -> tuple[Option | None, str, dict[str, str], bool]:
    """Return the chosen option, the reason in words, the versions a transitional clause leaves open
    (with the clause), and whether a transitional clause made the choice."""
    for transition in rule.transitions:
        if transition.covers(period) and transition.use in options:
            reason = f"{transition.basis} ({transition.budget_years.describe()})"
            if transition.also:
                reason = f"{transition.budget_years.describe()}: {transition.note or transition.basis}"
            argued = {k: f"có thể lập luận theo {transition.basis}" for k in transition.also}
            return options[transition.use], reason, argued, True
    in_force = [o for o in options.values() if o.version.in_force(o.trigger) and _applies_to_year(o.version, period)]
    if in_force:
        option = in_force[-1]
        return option, f"văn bản có hiệu lực vào {_trigger_words(option)}", {}, False
    by_year = [o for o in options.values() if o.version.budget_years and _applies_to_year(o.version, period)]
    at_end = [o for o in options.values() if o.version.select_by == "event" and o.version.in_force(period.end)]
    if by_year:
        option, reason = by_year[-1], f"áp dụng {by_year[-1].version.budget_years.describe()}"  # type: ignore[union-attr]
    elif at_end:
        option, reason = at_end[-1], f"văn bản có hiệu lực vào ngày kết thúc kỳ ({format_date(period.end)})"
    else:
        return None, "", {}, False
    return option, f"{reason}; văn bản này không còn hoặc chưa có hiệu lực vào {_trigger_words(option)}", {}, False


def _why_arguable(option: Option, period: Period) -> str | None:
    version = option.version
    if version.in_force(option.trigger) and _applies_to_year(version, period):
        return f"văn bản này có hiệu lực vào {_trigger_words(option)}"
    if version.budget_years and _applies_to_year(version, period):
        return f"văn bản này áp dụng {version.budget_years.describe()}"
    return None
