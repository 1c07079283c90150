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
from stack import say

BURST_EDITS = 20
RECONCILE_MEETINGS = 20
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
    say(f"reconciliation: {RECONCILE_MEETINGS} more trainings with Zoom meetings, then the daily run")
    event_ids = create_trainings(odoo, [f"Reconciled training {i}" for i in range(RECONCILE_MEETINGS)])
    wait_synced(odoo, event_ids, timeout=240)
    wait_queue_idle(odoo)
    zoom_ids = [
        row["zoom_id"]
        for row in odoo.call("zoom.meeting", "search_read", [("sync_state", "=", "synced")], ["zoom_id"])
    ]
    state = {str(meeting["id"]): meeting for meeting in sandbox.admin("GET", "state")["meetings"]}
    registrants = sum(state[zoom_id]["registrants"] for zoom_id in zoom_ids if zoom_id in state)
    cron_id = odoo.ref("zoom_training.ir_cron_zoom_reconcile")
    sandbox.clear_log()
    load = load_average()
    with Timer() as run:
        odoo.call("ir.cron", "method_direct_trigger", [cron_id])
    log = sandbox.requests_log()
    reads = [entry for entry in log if entry["method"] == "GET"]
    bound = len(zoom_ids) + math.ceil(registrants / REGISTRANTS_PAGE)
    report = odoo.call("zoom.reconciliation", "search_read", [], ["meeting_count"], limit=1, order="id desc")
    return {
        "meetings": len(zoom_ids),
        "registrants": registrants,
        "calls": len(log),
        "reads": len(reads),
        "bound": bound,
        "ratio": len(log) / bound,
        "wall_s": run.seconds,
        "checked": report[0]["meeting_count"] if report else 0,
        "load": load,
    }


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
