"""Scenarios 2, 4 and 5: a burst of edits, the daily reconciliation, and what saving costs the user."""

import math
import time

from helpers import (
    Timer,
    create_trainings,
    load_average,
    median,
    percentile,
    training_values,
    wait_queue_idle,
    wait_synced,
)
from stack import env, say, wait_for

BURST_EDITS = 20
RECONCILE_MEETINGS = int(env("BENCH_RECONCILE_MEETINGS", "200"))
RECONCILE_REGISTRANTS = int(env("BENCH_RECONCILE_REGISTRANTS", "6000"))
HOST_MEETINGS = 90  # meetings per host: under Zoom's 100 creates and updates a host may make a day
SAVE_SAMPLES = 15
REGISTRANTS_PAGE = 300


def edit_burst(odoo, sandbox):
    say(f"a burst of {BURST_EDITS} edits to a scheduled training")
    event_id = create_trainings(odoo, ["Burst training"])[0]
    meeting_id, zoom_id = wait_synced(odoo, [event_id])[event_id]
    wait_queue_idle(odoo)
    sandbox.clear_log()
    load = load_average()
    with Timer() as burst:
        for i in range(BURST_EDITS):
            odoo.call("event.event", "write", [event_id], _edit(i))
    time.sleep(6)  # past the 5 s coalescing window
    wait_queue_idle(odoo)
    log = sandbox.requests_log()
    updates = [entry for entry in log if entry["method"] == "PATCH" and str(zoom_id) in entry["path"]]
    return {
        "edits": BURST_EDITS,
        "burst_s": burst.seconds,
        "updates": len(updates),
        "calls": len(log),
        "load": load,
        "zoom_id": zoom_id,
        "meeting_id": meeting_id,
    }


def _edit(i):
    if i % 2:
        return {"description": f"<p>Agenda, version {i}</p>"}
    return {"name": f"Burst training (edit {i})"}


def reconciliation(odoo, sandbox):
    """M trainings with R registrants spread evenly over them, across hosts (each host may create 100
    meetings a day), then the daily run: Zoom calls against the bound M + ceil(R / 300)."""
    meetings, registrants = RECONCILE_MEETINGS, RECONCILE_REGISTRANTS
    say(f"reconciliation: {meetings} trainings with Zoom meetings, {registrants} registrants, the daily run")
    hosts = bench_hosts(odoo, sandbox, math.ceil(meetings / HOST_MEETINGS))
    values = [
        dict(
            training_values(f"Reconciled training {i}", "meeting", days_ahead=2),
            user_id=hosts[i % len(hosts)],
        )
        for i in range(meetings)
    ]
    event_ids = []
    for start in range(0, meetings, 50):
        event_ids += odoo.call("event.event", "create", values[start : start + 50])
    wait_synced(odoo, event_ids, timeout=900)
    per_training = registrants // meetings
    for n, event_id in enumerate(event_ids):
        odoo.call(
            "event.registration",
            "create",
            [
                {
                    "event_id": event_id,
                    "name": f"Trainee {k}",
                    "email": f"rec{n}.{k}@example.com",
                    "state": "open",
                }
                for k in range(per_training)
            ],
        )
    wait_registrants_synced(odoo, event_ids, per_training * meetings)
    wait_queue_idle(odoo, timeout=900)
    synced = odoo.call("zoom.meeting", "search_read", [("sync_state", "=", "synced")], ["zoom_id"])
    zoom_ids = {row["zoom_id"] for row in synced}  # the other scenarios' sessions are checked too
    state = {str(meeting["id"]): meeting for meeting in sandbox.admin("GET", "state")["meetings"]}
    held = sum(state[zoom_id]["registrants"] for zoom_id in zoom_ids if zoom_id in state)
    cron_id = odoo.ref("zoom_training.ir_cron_zoom_reconcile")
    sandbox.clear_log()
    load = load_average()
    with Timer() as run:
        odoo.call("ir.cron", "method_direct_trigger", [cron_id])
    log = sandbox.requests_log()
    bound = len(zoom_ids) + math.ceil(held / REGISTRANTS_PAGE)
    report = odoo.call(
        "zoom.reconciliation",
        "search_read",
        [],
        ["meeting_count", "repaired_count"],
        limit=1,
        order="id desc",
    )
    operations = {}
    for entry in log:
        operations[entry["operation"]] = operations.get(entry["operation"], 0) + 1
    return {
        "meetings": len(zoom_ids),
        "registrants": held,
        "hosts": len(hosts),
        "calls": len(log),
        "operations": operations,
        "bound": bound,
        "ratio": len(log) / bound,
        "wall_s": run.seconds,
        "checked": report[0]["meeting_count"] if report else 0,
        "repaired": report[0]["repaired_count"] if report else 0,
        "load": load,
    }


CATCH_UP_PAST = int(env("BENCH_CATCH_UP_PAST", "100"))


def catch_up(odoo, sandbox):
    """The hourly registrant catch-up beside the reconciliation's 200 upcoming trainings and CATCH_UP_PAST
    trainings held yesterday: which sessions it looks at, and the Zoom calls it causes."""
    say(f"catch-up: the reconciliation's trainings and {CATCH_UP_PAST} held yesterday, the hourly run")
    hosts = bench_hosts(odoo, sandbox, math.ceil(CATCH_UP_PAST / HOST_MEETINGS), prefix="catchup")
    values = [
        dict(training_values(f"Held training {i}", "meeting", days_ahead=-1), user_id=hosts[i % len(hosts)])
        for i in range(CATCH_UP_PAST)
    ]
    event_ids = []
    for start in range(0, CATCH_UP_PAST, 50):
        event_ids += odoo.call("event.event", "create", values[start : start + 50])
    wait_synced(odoo, event_ids, timeout=900)
    wait_queue_idle(odoo, timeout=900)
    in_zoom = [("active", "=", True), ("zoom_id", "!=", False)]
    not_ended = [*in_zoom, ("zoom_status", "!=", "ended"), ("end", ">", odoo_now())]
    cron_id = odoo.ref("zoom_training.ir_cron_zoom_registrant_catch_up")
    sandbox.clear_log()
    load, since = load_average(), odoo_now()
    with Timer() as run:
        odoo.call("ir.cron", "method_direct_trigger", [cron_id])
    wait_queue_idle(odoo)
    return {
        "in_zoom": odoo.call("zoom.meeting", "search_count", in_zoom),
        "looked_at": odoo.call("zoom.meeting", "search_count", not_ended),
        "calls": len(sandbox.requests_log()),
        "jobs": odoo.call("queue.job", "search_count", [("date_created", ">=", since)]),
        "wall_s": run.seconds,
        "load": load,
    }


def odoo_now():
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())


def bench_hosts(odoo, sandbox, count, prefix="bench"):
    """Odoo users who are licensed hosts in the sandbox."""
    ids = []
    for k in range(count):
        email = f"{prefix}.host{k}@example.com"
        sandbox.admin("POST", "users", {"email": email, "type": "licensed"})
        found = odoo.call("res.users", "search", [("login", "=", email)])
        ids += found or [
            odoo.call("res.users", "create", {"name": f"Bench host {k}", "login": email, "email": email})
        ]
    return ids


def wait_registrants_synced(odoo, event_ids, expected, timeout=900):
    domain = [("event_id", "in", event_ids), ("zoom_sync_state", "=", "synced")]
    wait_for(
        lambda: odoo.call("event.registration", "search_count", domain) >= expected,
        timeout,
        f"{expected} registrants synced",
        interval=1,
    )


def save_cost(odoo):
    say(f"saving a training with Zoom on and off ({SAVE_SAMPLES} creates and edits each, interleaved)")
    wait_queue_idle(odoo)
    load = load_average()
    times = {"create none": [], "create meeting": [], "write none": [], "write meeting": []}
    created = {"none": [], "meeting": []}
    for i in range(SAVE_SAMPLES):
        for conference in ("none", "meeting") if i % 2 else ("meeting", "none"):
            with Timer() as save:
                created[conference] += odoo.call(
                    "event.event", "create", [training_values(f"Saved {conference} {i}", conference)]
                )
            times[f"create {conference}"].append(save.seconds)
    for i in range(SAVE_SAMPLES):
        for conference in ("none", "meeting") if i % 2 else ("meeting", "none"):
            with Timer() as save:
                odoo.call("event.event", "write", [created[conference][i]], {"name": f"Saved again {i}"})
            times[f"write {conference}"].append(save.seconds)
    rows = {
        key: {"median_ms": median(values) * 1000, "p95_ms": percentile(values, 0.95) * 1000}
        for key, values in times.items()
    }
    return {
        "samples": SAVE_SAMPLES,
        "times": rows,
        "load": load,
        "create_ratio": rows["create meeting"]["median_ms"] / rows["create none"]["median_ms"],
        "write_ratio": rows["write meeting"]["median_ms"] / rows["write none"]["median_ms"],
    }
