"""Scenario 1: registrant sync of N confirmed registrations on one webinar, by the addon (batches of 30) and
by a naive loop of one call per registrant straight against the sandbox (what market apps do)."""

import contextlib
import math
import time
from datetime import datetime, timedelta, timezone

from helpers import create_trainings, last_job_id, load_average, wait_queue_idle, wait_synced
from stack import say

from zoom_training.utils.budget import SAFETY

BATCH = 30
CREATE_CHUNK = 500
HEAVY = {"free": 1, "pro": 10, "business": 40}
LIGHT = {"free": 4, "pro": 30, "business": 80}
SYNC_TIMEOUT = 240


def emails(label, n):
    return [f"trainee{i}.{label}@example.com" for i in range(n)]


# The set-up is not what is measured: the drafts are created without Odoo's chatter (no "Registration
# created" message, no follower, no tracking values: one message per registration made a create of 500 take
# over 90 s on a loaded machine). The rows are otherwise the ORM's own, and the addon's create hook runs as
# ever (it schedules the meeting's registrant sync, which leaves drafts unregistered). The confirmation that
# is measured keeps Odoo's tracking.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


def create_draft_registrations(odoo, event_id, label, n):
    ids = []
    addresses = emails(label, n)
    for start in range(0, n, CREATE_CHUNK):
        chunk = addresses[start : start + CREATE_CHUNK]
        values = [
            {
                "event_id": event_id,
                "name": f"Trainee {email.split('.')[0][7:]}",
                "email": email,
                "state": "draft",
            }
            for email in chunk
        ]
        ids += odoo.call("event.registration", "create", values, context=QUIET)
    return ids


def watch_sync(odoo, sandbox, zoom_id, event_id, n):
    """Times (s, from now) of the first registrant in Zoom, of all N in Zoom, of all N synced in Odoo."""
    start = time.perf_counter()
    first = zoom_done = None
    while time.perf_counter() - start < max(SYNC_TIMEOUT, n // 60):
        count = sandbox.meeting_state(zoom_id)["registrants"]
        now = time.perf_counter() - start
        first = first if first is not None or count == 0 else now
        zoom_done = zoom_done if zoom_done is not None or count < n else now
        if zoom_done is not None and synced_count(odoo, event_id) >= n:
            return first, zoom_done, time.perf_counter() - start
        time.sleep(0.05 if zoom_done is not None else 0.1)
    return first, zoom_done, None


def synced_count(odoo, event_id):
    domain = [("event_id", "=", event_id), ("zoom_sync_state", "=", "synced")]
    return odoo.call("event.registration", "search_count", domain)


def addon_sync(odoo, sandbox, plan, n, label, watch=None):
    """`watch`: a context manager entered just before the confirmation and left once all are synced (the
    memory of Odoo's workers in the scale-out run)."""
    say(f"registrant sync by the addon: N={n}")
    event_id = create_trainings(odoo, [f"Webinar {label}"], "webinar")[0]
    meeting_id, zoom_id = wait_synced(odoo, [event_id])[event_id]
    created = time.perf_counter()
    ids = create_draft_registrations(odoo, event_id, label, n)
    setup = time.perf_counter() - created
    wait_queue_idle(odoo, timeout=max(180, n // 50))  # the drafts' own sync passes (they register no one)
    say(f"{n} drafts created in {setup:.1f} s; confirming them in one write")
    sandbox.clear_log()
    first_job = last_job_id(odoo)
    load = load_average()
    with watch if watch is not None else contextlib.nullcontext():
        confirmed = time.perf_counter()
        odoo.call("event.registration", "write", ids, {"state": "open"})
        confirm = time.perf_counter() - confirmed
        first, zoom_done, odoo_done = watch_sync(odoo, sandbox, zoom_id, event_id, n)
        end_to_end = time.perf_counter() - confirmed
    log = sandbox.requests_log()
    in_zoom = sandbox.meeting_state(zoom_id)["registrants"]
    job_rows = odoo.call(
        "queue.job",
        "search_read",
        [("id", ">", first_job), ("identity_key", "=", f"zoom-registrants-{meeting_id}")],
        ["worker_pid", "state"],
    )
    jobs = len(job_rows)
    batches = [entry for entry in log if entry["template"].endswith("/batch_registrants")]
    calls = math.ceil(n / BATCH)
    bound = calls / HEAVY[plan]
    sync_wall = (odoo_done - first) if odoo_done and first is not None else None
    return {
        "who": "addon (batches of 30)",
        "n": n,
        "plan": plan,
        "bound_s": bound,
        "batch_calls": len(batches),
        "wall_s": sync_wall,
        "end_to_end_s": end_to_end,
        "zoom_span_s": zoom_done,
        "calls": len(log),
        "calls_per_registrant": len(log) / n,
        "http_429": sum(1 for entry in log if entry["status"] == 429),
        "lost": n - in_zoom,
        "odoo_synced": synced_count(odoo, event_id),
        "jobs": jobs,
        "job_workers": sorted({row["worker_pid"] for row in job_rows if row["worker_pid"]}),
        "ratio": (sync_wall / bound) if sync_wall else None,
        "load": load,
        "setup_s": setup,
        "confirm_s": confirm,
        # The addon's own floor: batch calls spaced at SAFETY x the plan's Heavy limit (utils/budget.py).
        "pacing_bound_s": calls / (HEAVY[plan] * SAFETY),
    }


def create_webinar(sandbox, topic):
    start = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:00:00Z")
    body = {"topic": topic, "type": 5, "start_time": start, "duration": 120, "settings": {"approval_type": 0}}
    answer = sandbox.api("POST", "/users/host@example.com/webinars", body)
    answer.raise_for_status()
    return answer.json()["id"]


def register_one(sandbox, webinar_id, email, tries=3):
    """(ok, 429s): one POST per registrant; a 429 waits Retry-After and tries again, at most `tries` times."""
    throttled = 0
    for _attempt in range(tries):
        answer = sandbox.api(
            "POST", f"/webinars/{webinar_id}/registrants", {"email": email, "first_name": "Trainee"}
        )
        if answer.status_code != 429:
            return answer.status_code == 201, throttled
        throttled += 1
        retry_after = answer.headers.get("Retry-After", "1")
        time.sleep(float(retry_after) if retry_after.isdigit() else 1.0)
    return False, throttled


def naive_sync(sandbox, plan, n, label):
    say(f"registrant sync, one call per registrant (naive loop): N={n}")
    webinar_id = create_webinar(sandbox, f"Naive webinar {label}")
    sandbox.clear_log()
    load = load_average()
    start = time.perf_counter()
    results = [register_one(sandbox, webinar_id, email) for email in emails(f"naive{label}", n)]
    wall = time.perf_counter() - start
    log = sandbox.requests_log()
    in_zoom = sandbox.meeting_state(webinar_id)["registrants"]
    batch_bound = math.ceil(n / BATCH) / HEAVY[plan]
    return {
        "who": "naive (1 call each)",
        "n": n,
        "plan": plan,
        "bound_s": batch_bound,
        "batch_calls": 0,
        "wall_s": wall,
        "end_to_end_s": wall,
        "zoom_span_s": wall,
        "calls": len(log),
        "calls_per_registrant": len(log) / n,
        "http_429": sum(throttled for _ok, throttled in results),
        "lost": n - in_zoom,
        "odoo_synced": None,
        "jobs": 0,
        "ratio": wall / batch_bound,
        "load": load,
        "naive_bound_s": n / LIGHT[plan],
        "pacing_bound_s": None,
    }
