"""A training over several days as one daily Zoom series: its first day, each day's hours, its days."""

from datetime import date, datetime, timezone

import pytest

from zoom_training.utils.multi_day import UnplannableDays, daily_plan, last_day_end, local_day_bounds
from zoom_training.utils.payloads import SessionSpec, build_payload, changed_part

BRUSSELS = "Europe/Brussels"


def test_three_days_from_nine_to_five_in_the_training_s_time_zone():
    # Friday 09:00 CET to Sunday 17:00 CEST (Brussels moves to summer time on 31 March 2030)
    plan = daily_plan(datetime(2030, 3, 29, 8, 0), datetime(2030, 3, 31, 15, 0), BRUSSELS)
    assert plan.first_start == datetime(2030, 3, 29, 8, 0, tzinfo=timezone.utc)
    assert (plan.minutes, plan.days) == (480, 3)
    assert plan.recurrence() == {"type": 1, "repeat_interval": 1, "end_times": 3}
    assert last_day_end(plan, BRUSSELS) == datetime(2030, 3, 31, 15, 0)  # 17:00 local, summer time


def test_one_day_and_an_evening_into_the_night_are_one_session():
    assert daily_plan(datetime(2030, 3, 29, 8), datetime(2030, 3, 29, 15), BRUSSELS) is None
    assert daily_plan(datetime(2030, 3, 29, 17), datetime(2030, 3, 30, 1), BRUSSELS) is None
    # Odoo's new event lasts 24 hours, to the same time the next day: one session, as before
    assert daily_plan(datetime(2030, 7, 1, 17, 30), datetime(2030, 7, 2, 17, 30), BRUSSELS) is None


def test_the_day_is_the_local_one_not_utc():
    # 23:30 UTC is already the next day in Brussels: one local day, one session
    assert daily_plan(datetime(2030, 7, 1, 23, 30), datetime(2030, 7, 2, 8), BRUSSELS) is None


def test_the_training_s_own_daily_hours_win():
    plan = daily_plan(datetime(2030, 7, 1, 6, 0), datetime(2030, 7, 2, 20, 0), BRUSSELS, 9.5, 12.0)
    assert plan.first_start == datetime(2030, 7, 1, 7, 30, tzinfo=timezone.utc)
    assert (plan.minutes, plan.days) == (150, 2)


def test_days_that_end_before_they_start_get_a_clear_reason():
    with pytest.raises(UnplannableDays) as caught:
        daily_plan(datetime(2030, 7, 1, 12), datetime(2030, 7, 3, 7), BRUSSELS)
    assert "set its daily hours" in caught.value.plain


def test_more_than_sixty_days_is_refused():
    with pytest.raises(UnplannableDays) as caught:
        daily_plan(datetime(2030, 1, 1, 8), datetime(2030, 3, 15, 16), BRUSSELS)
    assert "at most 60 days" in caught.value.plain


def test_all_day_bounds_are_midnights_of_the_time_zone():
    assert local_day_bounds(date(2030, 7, 1), date(2030, 7, 2), BRUSSELS) == (
        datetime(2030, 6, 30, 22, 0),
        datetime(2030, 7, 2, 22, 0),
    )


def test_a_training_lengthened_to_several_days_becomes_a_series_in_one_update():
    spec = SessionSpec("meeting", "Course", datetime(2030, 7, 1, 7, tzinfo=timezone.utc), 480, BRUSSELS)
    single = build_payload(spec)
    series = build_payload(SessionSpec(**{**spec.__dict__, "recurrence": {"type": 1, "end_times": 3}}))
    changes = changed_part(single, series)
    assert changes["type"] == 8 and changes["recurrence"] == {"type": 1, "end_times": 3}
    assert changes["settings"] == {"registration_type": 1}
    assert changed_part(series, single)["type"] == 2
    webinar = build_payload(SessionSpec(**{**spec.__dict__, "kind": "webinar"}))
    assert "type" not in changed_part({**webinar, "type": 9}, webinar)
