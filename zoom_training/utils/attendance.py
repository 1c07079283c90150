"""Attendance arithmetic, without the ORM: a person's segments merged over the meeting's run."""


def clipped_intervals(segments, start, end):
    """(join, leave) pairs inside [start, end]. A missing join counts from the start (its `joined` event was
    lost); a missing leave counts to the end once the meeting has ended, and not at all before."""
    start, end = start or None, end or None  # Odoo gives False for an empty datetime
    intervals = []
    for join, leave in segments:
        join = max(join or start, start) if start else join or None
        leave = leave or end
        if join is None or leave is None:
            continue
        if end is not None:
            leave = min(leave, end)
        if leave > join:
            intervals.append((join, leave))
    return intervals


def merged(intervals):
    """Overlapping or touching intervals become one (two devices, a rejoin)."""
    result = []
    for join, leave in sorted(intervals):
        if result and join <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], leave))
        else:
            result.append((join, leave))
    return result


def attended_seconds(segments, start, end):
    return sum(
        (leave - join).total_seconds() for join, leave in merged(clipped_intervals(segments, start, end))
    )


def reaches_threshold(seconds, start, end, threshold_percent):
    """Attended at least `threshold_percent` of the meeting's actual duration."""
    start, end = start or None, end or None
    if not start or not end or end <= start:
        return False
    return seconds >= (end - start).total_seconds() * threshold_percent / 100.0
