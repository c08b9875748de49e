"""iCalendar files of each unit's upcoming posting deadlines, for calendar reminders (RFC 5545)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..model.text import format_date, inert, midnight
from ..model.units import Unit
from ..rules.compliance import Check
from . import urls

REMIND_DAYS_BEFORE = 7


def deadline_event(check: Check, unit: Unit, stamp: datetime, site_url: str | None) -> Any:
    """Return the all-day event of one deadline, with a reminder a week before."""
    from icalendar import Alarm, Event

    assert check.deadline is not None and check.period is not None
    event = Event()
    event.add("uid", f"{check.key}@congkhai")
    event.add("dtstamp", stamp)
    event.add("dtstart", check.deadline)
    event.add("dtend", check.deadline + timedelta(days=1))
    event.add("summary", inert(f"Hạn công khai: {check.rule.title} – {check.period.label}"))
    assumed = " (hạn tính theo ngày giả định)" if check.assumed else ""
    if check.selection is not None and check.selection.arguable:
        others = sorted({o.deadline for o, _ in check.selection.argued if o.deadline and o.deadline != check.deadline})
        assumed += "; theo cách hiểu khác của quy định, hạn " + ", ".join(format_date(d) for d in others)
    event.add("description", inert(f"{unit.name} đăng văn bản đáp ứng nghĩa vụ \"{check.rule.title}\", "
                                   f"{check.period.label}, chậm nhất ngày {format_date(check.deadline)}{assumed}. "
                                   f"Căn cứ: {check.version.basis}."))
    event.add("categories", ["Công khai"])
    event.add("transp", "TRANSPARENT")
    if site_url:
        event.add("url", urls.absolute(site_url, urls.compliance_url(unit.code)) + "#" + check.rule.slug)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", inert(f"Còn {REMIND_DAYS_BEFORE} ngày đến hạn công khai: {check.rule.title}"))
    alarm.add("trigger", timedelta(days=-REMIND_DAYS_BEFORE))
    event.add_component(alarm)
    return event


def render_calendar(unit: Unit, checks: list[Check], today: date, site_url: str | None) -> bytes:
    """Return the iCalendar file of `unit`'s upcoming deadlines (soonest first)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//congkhai//Lich cong khai//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", inert(f"Hạn công khai – {unit.name}"))
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = midnight(today).astimezone(timezone.utc)
    for check in checks:
        if check.deadline is not None and check.period is not None:
            calendar.add_component(deadline_event(check, unit, stamp, site_url))
    return calendar.to_ical()
