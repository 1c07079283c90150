"""Odoo calendar recurrences as Zoom recurring meetings (type 8): one meeting, its occurrences. No ORM.

Zoom holds daily, weekly and monthly rules of at most 60 occurrences; anything else is refused with a
plain reason rather than spread over one meeting per occurrence (which would spend one of the host's 100
daily create calls per occurrence).
"""

from .plain import _lt

ZOOM_DAILY, ZOOM_WEEKLY, ZOOM_MONTHLY = 1, 2, 3
MAX_OCCURRENCES = 60
MAX_INTERVAL = {"daily": 99, "weekly": 50, "monthly": 10}
ZOOM_WEEKDAYS = {"sun": "1", "mon": "2", "tue": "3", "wed": "4", "thu": "5", "fri": "6", "sat": "7"}
ZOOM_WEEKDAY_NUMBER = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_KIND_WORDS = {"daily": _lt("daily"), "weekly": _lt("weekly"), "monthly": _lt("monthly")}


class UnsupportedRecurrence(ValueError):
    """The series cannot be one Zoom recurring meeting; `plain` says why and what to do."""

    def __init__(self, plain):
        super().__init__(plain)
        self.plain = plain


def zoom_recurrence(rule, occurrences):
    """Zoom's `recurrence` object for an Odoo rule (a dict of calendar.recurrence's fields).

    `occurrences` is how many events the series holds in Odoo (archived ones included).
    """
    kind = rule["rrule_type"]
    if kind not in MAX_INTERVAL:
        raise UnsupportedRecurrence(
            _lt(
                "Zoom repeats meetings daily, weekly or monthly, not yearly: schedule each yearly session "
                "apart."
            )
        )
    interval = int(rule.get("interval") or 1)
    if interval > MAX_INTERVAL[kind]:
        raise UnsupportedRecurrence(
            _lt(
                "Zoom repeats a %(kind)s meeting at most every %(most)s periods, not every %(interval)s.",
                kind=_KIND_WORDS[kind],
                most=MAX_INTERVAL[kind],
                interval=interval,
            )
        )
    if occurrences > MAX_OCCURRENCES:
        raise UnsupportedRecurrence(
            _lt(
                "Zoom holds at most %(most)s occurrences in one recurring meeting; this series has "
                "%(count)s: split it into shorter series.",
                most=MAX_OCCURRENCES,
                count=occurrences,
            )
        )
    recurrence = {"repeat_interval": interval, **_end(rule)}
    recurrence.update(_pattern(kind, rule))
    return recurrence


def _end(rule):
    """From the rule, not from the events left: deleting one occurrence must not change the series."""
    if rule.get("end_type") == "end_date" and rule.get("until"):
        return {"end_date_time": f"{rule['until']:%Y-%m-%d}T23:59:59Z"}
    if rule.get("end_type", "count") == "count":
        return {"end_times": int(rule.get("count") or 1)}
    raise UnsupportedRecurrence(
        _lt("Zoom cannot repeat a meeting forever: give the series an end date or a count.")
    )


def _pattern(kind, rule):
    if kind == "daily":
        return {"type": ZOOM_DAILY}
    if kind == "weekly":
        days = [number for day, number in ZOOM_WEEKDAYS.items() if rule.get(day)]
        return {"type": ZOOM_WEEKLY, "weekly_days": ",".join(sorted(days))} if days else {"type": ZOOM_WEEKLY}
    if rule.get("month_by") == "day":
        return {
            "type": ZOOM_MONTHLY,
            "monthly_week": int(rule["byday"]),
            "monthly_week_day": ZOOM_WEEKDAY_NUMBER[rule["weekday"]],
        }
    return {"type": ZOOM_MONTHLY, "monthly_day": int(rule.get("day") or 1)}


def pair_occurrences(odoo_starts, zoom_occurrences):
    """Zoom occurrence ids for Odoo occurrences, paired in order (both come from the same rule).

    `odoo_starts`: {key: aware datetime}; `zoom_occurrences`: Zoom's `occurrences` list.
    """
    zoom_sorted = sorted(zoom_occurrences, key=lambda occurrence: occurrence["start_time"])
    odoo_sorted = sorted(odoo_starts, key=odoo_starts.get)
    return {key: zoom["occurrence_id"] for key, zoom in zip(odoo_sorted, zoom_sorted, strict=False)}
