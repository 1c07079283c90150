"""`reconcile10x`: the daily reconciliation at ten times the single-server scenario: 2,000 meetings, 20 hosts,
with 60,000 registrants (BENCH_RECONCILE10X_MEETINGS, _PER_MEETING, _HOSTS).

It runs on the two-server stack of bench/cluster.py, although a second server adds nothing to it: the run
is one cron call, one meeting after another in one process. The cluster's configuration is the one a
deployment of that size has, and its time limits (`limit_time_real` 1,200 s) let one process run it
through; the single server's 120 s would stop it half way (the run then resumes where it stopped, but
the figure would be two runs).

Set-up (not measured): bench/reconcile_seed.py in `odoo-bin shell` (see there why and how), then drift
made in Zoom through its API with the webhooks that would tell Odoo dropped (the drift the daily run is
for): meetings deleted, registrants deleted, topics changed, people registered in Zoom only.
Measured: `ir.cron` *Zoom: daily reconciliation of meetings* triggered on the first server; the Zoom
calls from the sandbox's request log against the read bound M + ceil(R/300), until the jobs it queued
are done; wall time; the largest rise of one Odoo worker's resident memory (cluster.MemoryWatch); 429s.
Then what it repaired is checked in the sandbox.
"""

import json
import math
import os
import subprocess
import time
from pathlib import Path

import sessions
from clients import Odoo
from helpers import Timer, load_average, wait_queue_idle
from stack import PY, env, say

MEETINGS = int(env("BENCH_RECONCILE10X_MEETINGS", "2000"))
PER_MEETING = int(env("BENCH_RECONCILE10X_PER_MEETING", "30"))
HOSTS = int(env("BENCH_RECONCILE10X_HOSTS", "20"))
PAGE = 300  # registrants per page of Zoom's list
# drift, each on meetings of its own (counted from the first seeded meeting)
DELETED, MISSING_IN, MISSING_EACH, CHANGED, STRAYS = 4, 6, 2, 4, 3
RUN_TIMEOUT = 1800


def reconcile_ten_times(odoo, sandbox, stack, memory_watch):
    say(
        f"reconciliation x10: {MEETINGS} meetings on {HOSTS} hosts, {MEETINGS * PER_MEETING} registrants "
        "(seeded in bulk), the daily run"
    )
    prefix = f"rec{int(time.time()) % 100000}"
    hosts = sessions.bench_hosts(odoo, sandbox, HOSTS, prefix=prefix)
    with Timer() as setup:
        seed(stack, sandbox, hosts, prefix)
    wait_queue_idle(odoo, timeout=600)
    drift = make_drift(odoo, sandbox, prefix)
    in_window = [
        ("zoom_id", "!=", False),
        ("sync_state", "in", ["synced", "error"]),
        ("start", ">=", _odoo_time(-7 * 86400)),
        ("start", "<=", _odoo_time(60 * 86400)),
    ]
    checked = odoo.call("zoom.meeting", "search_read", in_window, ["zoom_id"])
    state = {str(m["id"]): m for m in sandbox.admin("GET", "state")["meetings"]}
    held = sum(state[row["zoom_id"]]["registrants"] for row in checked if row["zoom_id"] in state)
    bound = len(checked) + math.ceil(held / PAGE)
    cron_id = odoo.ref("zoom_training.ir_cron_zoom_reconcile")
    time.sleep(6)  # nothing queued by the set-up is still due
    wait_queue_idle(odoo)
    sandbox.clear_log()
    load = load_average()
    direct = Odoo(stack.s.odoo_url, odoo.db)  # the first server itself: a cron is no request through nginx
    with memory_watch([stack.odoo.pid, stack.odoo2.pid]) as memory, Timer() as run:
        direct._call(
            "object",
            "execute_kw",
            direct.db,
            direct.uid,
            direct.password,
            "ir.cron",
            "method_direct_trigger",
            [[cron_id]],
            {},
            timeout=RUN_TIMEOUT,
        )
    run_log = sandbox.requests_log()
    with Timer() as after:
        time.sleep(6)  # the registrant syncs it queued wait 5 s
        wait_queue_idle(odoo, timeout=600)
    log = sandbox.requests_log()
    report = odoo.call(
        "zoom.reconciliation",
        "search_read",
        [],
        ["meeting_count", "repaired_count", "failed_count", "line_ids", "state"],
        limit=1,
        order="id desc",
    )[0]
    lines = odoo.call("zoom.reconciliation.line", "read", report["line_ids"], ["result", "detail"])
    operations = {}
    for entry in log:
        operations[entry["operation"]] = operations.get(entry["operation"], 0) + 1
    reads = sum(1 for entry in log if entry["method"] == "GET")
    return {
        "meetings": len(checked),
        "registrants": held,
        "hosts": HOSTS,
        "setup_s": setup.seconds,
        "bound": bound,
        "calls": len(log),
        "calls_in_run": len(run_log),
        "reads": reads,
        "writes": len(log) - reads,
        "ratio": len(log) / bound,
        "http_429": sum(1 for entry in log if entry["status"] == 429),
        "operations": operations,
        "wall_s": run.seconds,
        "jobs_after_s": after.seconds,
        "memory_growth_mb": memory.growth_mb,
        "checked": report["meeting_count"],
        "repaired": report["repaired_count"],
        "failed": report["failed_count"],
        "findings": [f"{line['result']}: {line['detail']}"[:160] for line in lines][:20],
        "drift": {key: len(value) for key, value in drift.items()},
        "verified": verify(odoo, sandbox, drift),
        "load": load,
        "load_end": load_average(),
    }


def _odoo_time(offset_s):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + offset_s))


def seed(stack, sandbox, hosts, prefix):
    params = {
        "sandbox": sandbox.url,
        "hosts": hosts,
        "meetings": MEETINGS,
        "per_meeting": PER_MEETING,
        "prefix": prefix,
    }
    script = (Path(__file__).resolve().parent / "reconcile_seed.py").read_text()
    # the servers' configuration, without their port, workers or job runner (which stay theirs)
    conf = stack.s.run_dir / "seed.conf"
    text = stack.conf.read_text().split("[queue_job]")[0]
    conf.write_text(f"{text}[queue_job]\nchannels = root:0\n")
    conf.chmod(0o600)
    # odoo-bin's own lines, once: `odoo-bin shell` returns, and the odoo-bin of this machine runs main() twice
    main = "import os; os.environ['TZ'] = 'UTC'; import odoo.cli; odoo.cli.main()"
    command = [
        PY,
        "-c",
        main,
        "shell",
        "-c",
        str(conf),
        "-d",
        stack.s.db,
        "--no-http",
        "--workers=0",
        "--max-cron-threads=0",
        f"--logfile={stack.s.run_dir / 'seed.log'}",
    ]
    say(f"seeding {MEETINGS} synced trainings and {MEETINGS * PER_MEETING} registrations (odoo-bin shell)")
    result = subprocess.run(
        command,
        input=script,
        text=True,
        capture_output=True,
        env={**os.environ, "RECONCILE_SEED": json.dumps(params), "PYTHONPATH": stack.s.odoo_src},
        timeout=3600,
        check=False,
    )
    if result.returncode != 0 or f"seeded {MEETINGS} of {MEETINGS}" not in result.stdout:
        raise RuntimeError(f"seeding failed: {result.stdout[-2000:]} {result.stderr[-3000:]}")


def make_drift(odoo, sandbox, prefix):
    """Changes made in Zoom whose webhooks never reached Odoo (the sandbox drops them)."""
    rows = odoo.call(
        "zoom.meeting",
        "search_read",
        [("name", "like", f"Reconciled training {prefix} "), ("zoom_id", "!=", False)],
        ["zoom_id", "name"],
        order="id",
        limit=DELETED + MISSING_IN + CHANGED + STRAYS,
    )
    sandbox.admin("POST", "webhooks/faults", {"drop": 100000})
    drift = {"deleted": [], "missing": [], "changed": [], "strays": []}
    for row in rows[:DELETED]:
        _ok(sandbox.api("DELETE", f"/meetings/{row['zoom_id']}"))
        drift["deleted"].append(row)
    for row in rows[DELETED : DELETED + MISSING_IN]:
        held = sandbox.api("GET", f"/meetings/{row['zoom_id']}/registrants?status=approved").json()
        for registrant in held["registrants"][:MISSING_EACH]:
            _ok(sandbox.api("DELETE", f"/meetings/{row['zoom_id']}/registrants/{registrant['id']}"))
            drift["missing"].append((row, registrant["email"]))
    for row in rows[DELETED + MISSING_IN : DELETED + MISSING_IN + CHANGED]:
        _ok(sandbox.api("PATCH", f"/meetings/{row['zoom_id']}", {"topic": "Renamed in Zoom"}))
        drift["changed"].append(row)
    for row in rows[DELETED + MISSING_IN + CHANGED :]:
        email = f"stray.{row['zoom_id']}@example.com"
        added = {"email": email, "first_name": "Stray", "auto_approve": True}
        _ok(sandbox.api("POST", f"/meetings/{row['zoom_id']}/registrants", added))
        drift["strays"].append((row, email))
    sandbox.admin("POST", "webhooks/faults", {"drop": 0})
    return drift


def _ok(answer):
    if answer.status_code >= 300:
        raise RuntimeError(f"drift: {answer.status_code} {answer.text[:300]}")


def verify(odoo, sandbox, drift):
    """What the run left in Zoom, per kind of drift: repaired / made."""

    def registrants(zoom_id):
        answer = sandbox.api("GET", f"/meetings/{zoom_id}/registrants?status=approved&page_size=300")
        return {row["email"].lower() for row in answer.json().get("registrants", [])}

    def odoo_zoom_id(meeting_id):
        return odoo.call("zoom.meeting", "read", [meeting_id], ["zoom_id"])[0]["zoom_id"]

    recreated = 0
    for row in drift["deleted"]:
        zoom_id = odoo_zoom_id(row["id"])
        if zoom_id and zoom_id != row["zoom_id"] and len(registrants(zoom_id)) == PER_MEETING:
            recreated += 1
    back = sum(1 for row, email in drift["missing"] if email.lower() in registrants(row["zoom_id"]))
    renamed = 0
    for row in drift["changed"]:
        topic = sandbox.api("GET", f"/meetings/{row['zoom_id']}").json().get("topic")
        renamed += topic == row["name"]
    cancelled = sum(1 for row, email in drift["strays"] if email not in registrants(row["zoom_id"]))
    return {
        "deleted, recreated with their registrants": f"{recreated}/{len(drift['deleted'])}",
        "registrants missing, registered again": f"{back}/{len(drift['missing'])}",
        "topics changed, set back": f"{renamed}/{len(drift['changed'])}",
        "strays, cancelled": f"{cancelled}/{len(drift['strays'])}",
    }
