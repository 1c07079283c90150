"""Start times and recurrences: local times in a timezone to UTC, and the occurrences of a series."""

import calendar
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .state import Occurrence

MAX_OCCURRENCES = 60
DAILY, WEEKLY, MONTHLY = 1, 2, 3


def zone(name):
    """The ZoneInfo for an IANA name; ValueError if Zoom would not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(name) from exc


def parse_start_time(text, timezone_name):
    """`yyyy-MM-ddTHH:mm:ssZ` is UTC; without `Z` (or an offset) it is local time in `timezone_name`."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(timezone_name))
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def occurrence_id(moment):
    return str(int(moment.timestamp() * 1000))


def build_occurrences(start, duration, timezone_name, recurrence):
    """The occurrences of a recurring series with a fixed time, keeping the local wall-clock time."""
    local_start = start.astimezone(zone(timezone_name))
    end_times = recurrence.get("end_times") or 1
    until = recurrence.get("end_date_time")
    until = datetime.fromisoformat(until.replace("Z", "+00:00")) if until else None
    limit = MAX_OCCURRENCES if until else min(end_times, MAX_OCCURRENCES)
    occurrences = []
    for day in _recurring_days(local_start.date(), recurrence):
        moment = datetime.combine(day, local_start.timetz()).astimezone(timezone.utc)
        if (until and moment > until) or len(occurrences) >= limit:
            break
        occurrences.append(Occurrence(occurrence_id(moment), moment, duration))
    return occurrences


def _recurring_days(first, recurrence):
    interval = recurrence.get("repeat_interval") or 1
    kind = recurrence["type"]
    if kind == DAILY:
        return (first + timedelta(days=interval * n) for n in range(MAX_OCCURRENCES * 2))
    if kind == WEEKLY:
        return _weekly_days(first, interval, recurrence.get("weekly_days") or _zoom_weekday(first))
    return _monthly_days(first, interval, recurrence)


def _zoom_weekday(day):
    """Zoom numbers days 1 (Sunday) to 7 (Saturday)."""
    return str((day.weekday() + 1) % 7 + 1)


def _weekly_days(first, interval, weekly_days):
    wanted = {part.strip() for part in str(weekly_days).split(",")}
    week_start = first - timedelta(days=(first.weekday() + 1) % 7)  # the Sunday of the first week
    for offset in range(7 * interval * MAX_OCCURRENCES):
        day = first + timedelta(days=offset)
        if ((day - week_start).days // 7) % interval == 0 and _zoom_weekday(day) in wanted:
            yield day


def _monthly_days(first, interval, recurrence):
    for n in range(MAX_OCCURRENCES * 2):
        month_index = first.month - 1 + n * interval
        year, month = first.year + month_index // 12, month_index % 12 + 1
        day = _monthly_day(year, month, recurrence, first.day)
        if day and day >= first:
            yield day


def _monthly_day(year, month, recurrence, default_day):
    days_in_month = calendar.monthrange(year, month)[1]
    if recurrence.get("monthly_week"):
        week, weekday = recurrence["monthly_week"], recurrence.get("monthly_week_day") or 1
        matching = [
            date(year, month, d)
            for d in range(1, days_in_month + 1)
            if _zoom_weekday(date(year, month, d)) == str(weekday)
        ]
        return matching[-1] if week == -1 else matching[week - 1]
    day = recurrence.get("monthly_day") or default_day
    return date(year, month, day) if day <= days_in_month else None
