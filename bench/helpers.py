"""Odoo-side helpers shared by the scenarios: trainings, waiting for Zoom sync and for the job queue."""

import os
import statistics
import time
from datetime import datetime, timedelta, timezone

from stack import wait_for


def odoo_time(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def training_values(name, conference, days_ahead=1, hours=2):
    start = (datetime.now(timezone.utc) + timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    return {
        "name": name,
        "date_begin": odoo_time(start),
        "date_end": odoo_time(start + timedelta(hours=hours)),
        "zoom_conference": conference,
        "event_mail_ids": [(5, 0, 0)],  # no confirmation mails: they are not what is measured
    }


def create_trainings(odoo, names, conference="meeting"):
    return odoo.call("event.event", "create", [training_values(name, conference) for name in names])


def wait_synced(odoo, event_ids, timeout=180):
    """{event id: (zoom.meeting id, zoom id)} once every training's Zoom meeting is synced."""

    def synced():
        rows = odoo.call("event.event", "read", event_ids, ["zoom_sync_state"])
        return all(row["zoom_sync_state"] == "synced" for row in rows)

    wait_for(synced, timeout, f"Zoom sync of {len(event_ids)} trainings", interval=0.5)
    rows = odoo.call("event.event", "read", event_ids, ["zoom_meeting_id"])
    meeting_ids = [row["zoom_meeting_id"][0] for row in rows]
    zoom_ids = {
        row["id"]: row["zoom_id"] for row in odoo.call("zoom.meeting", "read", meeting_ids, ["zoom_id"])
    }
    return {row["id"]: (row["zoom_meeting_id"][0], zoom_ids[row["zoom_meeting_id"][0]]) for row in rows}


def active_job_count(odoo):
    """Jobs running, queued, or due within 30 s (a quota wait until midnight does not count)."""
    soon = odoo_time(datetime.now(timezone.utc) + timedelta(seconds=30))
    domain = [
        "|",
        ("state", "in", ["enqueued", "started"]),
        "&",
        ("state", "=", "pending"),
        "|",
        ("eta", "=", False),
        ("eta", "<=", soon),
    ]
    return odoo.call("queue.job", "search_count", domain)


def wait_queue_idle(odoo, timeout=180):
    wait_for(lambda: active_job_count(odoo) == 0, timeout, "queue_job idle", interval=0.5)


def last_job_id(odoo):
    rows = odoo.call("queue.job", "search_read", [], ["id"], limit=1, order="id desc")
    return rows[0]["id"] if rows else 0


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def median(values):
    return statistics.median(values) if values else float("nan")


def load_average():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class CpuUse:
    """CPU seconds spent while the block ran, per group of processes: nginx, the stack's Odoo gevent
    processes and its other Odoo processes (their command line names `run_dir`), PostgreSQL (every backend),
    this process (the sender), and the rest of the machine (other sessions' work); and the connection
    attempts the kernel dropped because a listening socket's backlog was full (TcpExt ListenOverflows)."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, run_dir):
        self.run_dir = str(run_dir)
        self.seconds = {}
        self.listen_overflows = 0

    def __enter__(self):
        self._start = (self._by_group(), self._machine_busy(), self._overflows())
        return self

    def __exit__(self, *_exc):
        groups, busy, overflows = self._by_group(), self._machine_busy(), self._overflows()
        before, busy_before, overflows_before = self._start
        self.seconds = {name: groups.get(name, 0) - before.get(name, 0) for name in groups}
        ours = sum(self.seconds.values())
        self.seconds["rest of the machine"] = max(0.0, busy - busy_before - ours)
        self.listen_overflows = overflows - overflows_before

    def _group(self, pid, command, name):
        if pid == os.getpid():
            return "sender"
        if name.startswith("nginx"):
            return "nginx"
        if name.startswith("postgres"):
            return "postgresql"
        if self.run_dir in command:
            return "odoo gevent" if " gevent " in command else "odoo other"
        return None

    def _by_group(self):
        groups = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as file:
                    command = file.read().replace(b"\0", b" ").decode(errors="replace")
                with open(f"/proc/{entry}/stat") as file:
                    stat = file.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            group = self._group(int(entry), command, name)
            if group:
                fields = stat[stat.rindex(")") + 2 :].split()
                groups[group] = groups.get(group, 0) + (int(fields[11]) + int(fields[12])) / self.TICK
        return groups

    def _machine_busy(self):
        with open("/proc/stat") as file:
            values = [int(value) for value in file.readline().split()[1:]]
        return (sum(values) - values[3] - values[4]) / self.TICK

    @staticmethod
    def _overflows():
        with open("/proc/net/netstat") as file:
            lines = file.read().splitlines()
        for names, values in zip(lines[::2], lines[1::2], strict=False):
            if names.startswith("TcpExt:"):
                return dict(zip(names.split()[1:], map(int, values.split()[1:]), strict=False)).get(
                    "ListenOverflows", 0
                )
        return 0


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *_exc):
        self.seconds = time.perf_counter() - self.start
