"""A training over several days as Zoom can hold it: one daily recurring meeting with the day's hours. No ORM.

Rule (README, *Multi-day trainings*): a training whose first and last day differ, in its own time zone,
meets every day from its first to its last day, from the time of day it begins to the time of day it ends
(or the training's own daily hours). Zoom holds that as one recurring meeting (type 8, daily, `end_times`
days) with one registration for all days, so each trainee has one personal link for the whole course.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .plain import _lt
from .recurrence import MAX_OCCURRENCES, ZOOM_DAILY


class UnplannableDays(ValueError):
    """The training's days cannot be one daily Zoom series; `plain` says why and what to do."""

    def __init__(self, plain):
        super().__init__(plain)
        self.plain = plain


@dataclass(frozen=True)
class DailyPlan:
    first_start: datetime  # aware UTC: the first day's start
    minutes: int  # each day's length
    days: int

    def recurrence(self):
        return {"type": ZOOM_DAILY, "repeat_interval": 1, "end_times": self.days}


def local_zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hour(value):
    """A float hour (Odoo's float_time: 9.5 is 09:30) as a time of day."""
    minutes = int(round(value * 60))
    return time(minutes // 60 % 24, minutes % 60)


def daily_plan(begin, end, tz_name, day_from=0.0, day_to=0.0):
    """The daily series for a training from `begin` to `end` (naive UTC datetimes), or None when it fits
    in one session (it begins and ends on the same local day, or runs overnight for less than a day).

    `day_from`/`day_to`: the training's own daily hours (float hours); both 0 means "from the training's
    begin and end times of day".
    """
    zone = local_zone(tz_name)
    local_begin = begin.replace(tzinfo=timezone.utc).astimezone(zone)
    local_end = end.replace(tzinfo=timezone.utc).astimezone(zone)
    if local_end.date() <= local_begin.date():
        return None
    if day_from or day_to:
        start_of_day, end_of_day = _hour(day_from), _hour(day_to)
    else:
        if end - begin <= timedelta(days=1) and local_end.time() <= local_begin.time():
            return None  # an evening into the night, or Odoo's default new event (24 h): one session
        start_of_day, end_of_day = local_begin.time(), local_end.time()
    if end_of_day <= start_of_day:
        raise UnplannableDays(
            _lt(
                "This training runs over several days, but its day ends (%(end)s) before it starts "
                "(%(start)s): set its daily hours under Video conference, or make it end later in the day.",
                start=start_of_day.strftime("%H:%M"),
                end=end_of_day.strftime("%H:%M"),
            )
        )
    days = (local_end.date() - local_begin.date()).days + 1
    if days > MAX_OCCURRENCES:
        raise UnplannableDays(
            _lt(
                "Zoom holds at most %(most)s days in one recurring meeting; this training has %(days)s: "
                "split it into shorter trainings.",
                most=MAX_OCCURRENCES,
                days=days,
            )
        )
    first = datetime.combine(local_begin.date(), start_of_day, tzinfo=zone)
    minutes = int(
        (datetime.combine(first.date(), end_of_day) - datetime.combine(first.date(), start_of_day)).seconds
        // 60
    )
    return DailyPlan(first.astimezone(timezone.utc), minutes, days)


def local_day_bounds(day_start, day_end, tz_name):
    """The start of `day_start` and the end of `day_end` (local dates) as naive UTC datetimes."""
    zone = local_zone(tz_name)
    start = datetime.combine(day_start, time.min, tzinfo=zone).astimezone(timezone.utc)
    end = datetime.combine(day_end + timedelta(days=1), time.min, tzinfo=zone).astimezone(timezone.utc)
    return start.replace(tzinfo=None), end.replace(tzinfo=None)


def last_day_end(plan, tz_name):
    """The end of the plan's last day, naive UTC (local hours kept across a change of summer time)."""
    zone = local_zone(tz_name)
    first_local = plan.first_start.astimezone(zone)
    last_local = datetime.combine(
        first_local.date() + timedelta(days=plan.days - 1), first_local.time(), tzinfo=zone
    )
    return (last_local + timedelta(minutes=plan.minutes)).astimezone(timezone.utc).replace(tzinfo=None)
