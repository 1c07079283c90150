from datetime import datetime, timedelta

from zoom_training.utils.attendance import attended_seconds, merged, reaches_threshold

START = datetime(2026, 12, 15, 13, 0)
END = START + timedelta(minutes=60)


def at(minute):
    return START + timedelta(minutes=minute)


def test_overlaps_and_rejoins_are_merged():
    assert merged([(at(10), at(20)), (at(0), at(15)), (at(30), at(40)), (at(40), at(45))]) == [
        (at(0), at(20)),
        (at(30), at(45)),
    ]


def test_two_devices_count_once():
    assert attended_seconds([(at(0), at(30)), (at(5), at(25))], START, END) == 30 * 60


def test_a_rejoin_adds_the_second_stay():
    assert attended_seconds([(at(0), at(10)), (at(20), at(60))], START, END) == 50 * 60


def test_time_outside_the_run_does_not_count():
    assert attended_seconds([(at(-15), at(5)), (at(55), at(75))], START, END) == 10 * 60


def test_missing_join_counts_from_the_start_and_missing_leave_to_the_end():
    assert attended_seconds([(None, at(10)), (at(50), None)], START, END) == 20 * 60


def test_an_open_segment_counts_nothing_before_the_end():
    assert attended_seconds([(at(0), None)], START, None) == 0


def test_threshold_is_a_share_of_the_actual_duration():
    assert reaches_threshold(45 * 60, START, END, 75)
    assert not reaches_threshold(45 * 60 - 1, START, END, 75)
    assert not reaches_threshold(60 * 60, START, None, 75)


def test_odoo_s_false_is_an_empty_time():
    assert attended_seconds([(False, at(10)), (at(50), False)], START, END) == 20 * 60
    assert attended_seconds([(at(0), False)], START, False) == 0
    assert not reaches_threshold(60, False, False, 75)
