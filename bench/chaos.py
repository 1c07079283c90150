"""`make chaos`: infrastructure faults while 600 trainees are being registered in Zoom.

A real prefork Odoo (2 HTTP workers, a cron worker, queue_job's runner), the Zoom sandbox as its own process
and PostgreSQL, all on 127.0.0.1 (bench/stack.py). For each fault, a new webinar training gets 600 confirmed
registrations at once; once a fifth of them are in Zoom the fault strikes, signed webhooks are delivered
while it lasts (each retried until Odoo answers 200, as Zoom retries), and the run waits for Odoo to
converge. Faults: kill -9 of the whole server then a restart; kill -9 of the worker running the sync (as
limit_time_real does); every PostgreSQL connection of the database cut (pg_terminate_backend); PostgreSQL
restarted (CHAOS_PG_RESTART, a command: it cuts every database of the cluster, leave it out of CHAOS_FAULTS
where others use them); the sandbox frozen (SIGSTOP: calls hang until they time out) for 2 minutes.

Printed per fault: trainees synced / total, trainees in Zoom exactly once, Odoo's links equal to Zoom's,
jobs failed, Zoom's batch calls against the bound (ceil(600/30) = 20) and all Zoom calls, the seconds from
the fault's end to the last trainee synced, and the webhooks delivered during the fault that Odoo stored.

Environment: CHAOS_FAULTS (kill9,worker_kill,pg_terminate,pg_restart,sandbox_down), CHAOS_TRAINEES (600),
CHAOS_SANDBOX_DOWN (120 s), CHAOS_CONVERGE_TIMEOUT (600 s), and bench/stack.py's BENCH_* settings (the
database is zt_chaos, Odoo on 8669, the sandbox on 8691 unless set).
"""

import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # zoom_training, plain Python

os.environ.setdefault("BENCH_DB", "zt_chaos")
os.environ.setdefault("BENCH_ODOO_PORT", "8669")
os.environ.setdefault("BENCH_SANDBOX_PORT", "8691")
os.environ.setdefault("BENCH_WORKERS", "2")
os.environ.setdefault("BENCH_CRON_THREADS", "1")

import requests
from clients import Odoo, Sandbox, signed_delivery
from helpers import create_trainings, last_job_id, wait_synced
from registrants import create_draft_registrations
from report import fmt, table
from stack import RESULTS, Settings, Stack, env, say

BATCH = 30
BATCH_OPERATION = "addBatchWebinarRegistrants"
# Zoom answers a batch of 30 in about half a second: a sync of 600 lasts long enough to be cut in the middle
BATCH_LATENCY = 0.5
WEBHOOKS_PER_FAULT = 20
WEBHOOK_ROUTE = "/webhook/zoom-webinar"
PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect 15 main restart"


class Patient:
    """Odoo over JSON-RPC, waiting out the moments it does not answer (it is being faulted)."""

    def __init__(self, settings, timeout=180):
        self.settings, self.timeout, self.odoo = settings, timeout, None

    def call(self, *args, **kwargs):
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if self.odoo is None:
                    self.odoo = Odoo(self.settings.odoo_url, self.settings.db)
                return self.odoo.call(*args, **kwargs)
            except (requests.RequestException, RuntimeError, ValueError):
                if time.monotonic() > deadline:
                    raise
                self.odoo = None
                time.sleep(1)


class Webhooks:
    """Signed webinar.participant_joined deliveries of trainees, sent during a fault by a thread, each one
    repeated every second until Odoo answers 200 (Zoom retries a delivery that failed)."""

    def __init__(self, settings, zoom_id, emails, run):
        self.url = f"{settings.gevent_url}{WEBHOOK_ROUTE}"
        self.zoom_id, self.emails, self.run = zoom_id, emails, run
        self.answered = 0
        self.attempts = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._send_all, daemon=True)

    def start(self):
        self.thread.start()

    def finish(self, timeout=300):
        self.stop.set()
        self.thread.join(timeout)

    def _send_all(self):
        for index, email in enumerate(self.emails):
            raw, headers = signed_delivery(self._body(index, email))
            while not self._send(raw, headers):
                time.sleep(1)
                raw, headers = signed_delivery(self._body(index, email))  # a fresh timestamp, as Zoom's
            if not self.stop.is_set():
                time.sleep(0.5)  # spread over the fault

    def _send(self, raw, headers):
        self.attempts += 1
        try:
            answer = requests.post(self.url, data=raw, headers=headers, timeout=10)
        except requests.RequestException:
            return False
        if answer.status_code == 200:
            self.answered += 1
            return True
        return False

    def _body(self, index, email):
        participant = {
            "user_id": str(200000 + index),
            "participant_uuid": f"{self.run}-{index}",
            "user_name": f"Trainee {index}",
            "email": email,
            "join_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        zoom_object = {
            "id": self.zoom_id,
            "uuid": f"chaos-{self.run}==",
            "host_id": "host",
            "topic": "Chaos training",
            "type": 5,
            "participant": participant,
        }
        return {
            "event": "webinar.participant_joined",
            "event_ts": 1_000 * int(time.time()) + index,
            "payload": {"account_id": "sandbox_account", "object": zoom_object},
        }


class Faults:
    def __init__(self, stack, settings):
        self.stack, self.s = stack, settings

    def kill9(self):
        self.stack.kill_odoo()
        time.sleep(3)
        self.stack.restart_odoo()

    def worker_kill(self):
        """kill -9 of the HTTP worker running the sync job, as limit_time_real or limit_memory_hard do: the
        server and queue_job's runner live on. The worker is the process at the other end of the database
        connection that holds the job's lock (application_name names the master: workers inherit it)."""
        holders = (
            "SELECT DISTINCT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.relation = 'queue_job_lock'::regclass AND a.pid <> pg_backend_pid()"
        )
        for port in self.stack.psql(holders, database=self.s.db):
            pid = process_on_port(int(port))
            if pid and pid != self.stack.odoo.pid:
                os.kill(pid, signal.SIGKILL)

    def pg_terminate(self):
        sql = (
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{self.s.db}' AND pid <> pg_backend_pid()"
        )
        for _round in range(2):  # the second catches connections opened again in between
            self.stack.psql(sql)
            time.sleep(1)

    def pg_restart(self):
        subprocess.run(env("CHAOS_PG_RESTART", PG_RESTART).split(), check=True, capture_output=True)

    def sandbox_down(self):
        self.stack.sandbox.send_signal(signal.SIGSTOP)
        try:
            time.sleep(float(env("CHAOS_SANDBOX_DOWN", "120")))
        finally:
            self.stack.sandbox.send_signal(signal.SIGCONT)


def process_on_port(port):
    """The local process whose TCP socket has this local port (ss), or None."""
    listing = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    found = re.search(r"pid=(\d+)", listing)
    return int(found.group(1)) if found else None


def in_zoom(sandbox, zoom_id):
    """{email: [join_url, ...]}: Zoom's approved registrants of the webinar, read page by page."""
    held, token = {}, ""
    while True:
        path = f"/webinars/{zoom_id}/registrants?page_size=300&status=approved&next_page_token={token}"
        answer = sandbox.api("GET", path)
        if answer.status_code == 429:
            time.sleep(1)
            continue
        answer.raise_for_status()
        body = answer.json()
        for row in body["registrants"]:
            held.setdefault(row["email"].lower(), []).append(row["join_url"])
        token = body.get("next_page_token")
        if not token:
            return held


def odoo_links(odoo, event_id):
    rows = odoo.call(
        "event.registration",
        "search_read",
        [("event_id", "=", event_id)],
        ["email", "zoom_sync_state", "zoom_join_url"],
    )
    return {row["email"].lower(): row for row in rows}


def synced_count(odoo, event_id):
    domain = [("event_id", "=", event_id), ("zoom_sync_state", "=", "synced")]
    return odoo.call("event.registration", "search_count", domain)


def wait_for_fifth(sandbox, zoom_id, n, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = sandbox.meeting_state(zoom_id)["registrants"]
        if count >= n // 5:
            return count
        time.sleep(0.05)
    raise TimeoutError("the sync never reached a fifth of the trainees")


def scenario(name, stack, settings, n):
    say(f"fault {name}: a new training of {n} trainees")
    odoo, sandbox = Patient(settings), Sandbox(settings.sandbox_url)
    label = f"{name}{int(time.time())}"
    event_id = create_trainings(odoo, [f"Chaos {name}"], "webinar")[0]
    _meeting_id, zoom_id = wait_synced(odoo, [event_id])[event_id]
    ids = create_draft_registrations(odoo, event_id, label, n)
    first_job = last_job_id(odoo)
    slow_batches = {"kind": "latency", "seconds": BATCH_LATENCY, "operation": BATCH_OPERATION}
    sandbox.admin("POST", "faults", slow_batches)
    sandbox.clear_log()
    odoo.call("event.registration", "write", ids, {"state": "open"})
    at_fault = wait_for_fifth(sandbox, zoom_id, n)
    emails = [f"trainee{i}.{label}@example.com" for i in range(0, n, n // WEBHOOKS_PER_FAULT)]
    hooks = Webhooks(settings, zoom_id, emails, label)
    say(f"fault {name}: strikes with {at_fault}/{n} in Zoom")
    started = time.monotonic()
    hooks.start()
    getattr(Faults(stack, settings), name)()
    ended = time.monotonic()
    say(f"fault {name}: over after {ended - started:.0f} s; waiting for Odoo to converge")
    converged = wait_converged(odoo, event_id, n, ended)
    hooks.finish()
    row = measure(odoo, sandbox, event_id, zoom_id, n, first_job, hooks, label)
    return dict(row, fault=name, fault_s=ended - started, converged_s=converged)


def wait_converged(odoo, event_id, n, since):
    deadline = since + float(env("CHAOS_CONVERGE_TIMEOUT", "600"))
    while time.monotonic() < deadline:
        if synced_count(odoo, event_id) >= n:
            return time.monotonic() - since
        time.sleep(0.5)
    return None


def measure(odoo, sandbox, event_id, zoom_id, n, first_job, hooks, label):
    sandbox.admin("DELETE", "faults")
    log = sandbox.requests_log()
    held = in_zoom(sandbox, zoom_id)
    links = odoo_links(odoo, event_id)
    batches = [entry for entry in log if entry["operation"] == BATCH_OPERATION]
    sent = Counter(
        person["email"].lower()
        for entry in batches
        if entry["status"] < 300
        for person in (entry["request_json"] or {}).get("registrants", [])
    )
    failed = odoo.call("queue.job", "search_count", [("id", ">", first_job), ("state", "=", "failed")])
    stored = odoo.call("zoom.webhook.event", "search_count", [("object_uuid", "=", f"chaos-{label}==")])
    jobs = odoo.call(
        "queue.job",
        "search_read",
        [("id", ">", first_job)],
        ["uuid", "method_name", "state", "retry", "date_created", "date_started", "date_done", "kwargs"],
        order="id",
    )
    return {
        "jobs": [dict(job, uuid=job["uuid"][:8], kwargs=str(job["kwargs"])) for job in jobs],
        "batch_log": [
            (entry["at"], entry["status"], len((entry["request_json"] or {}).get("registrants", [])))
            for entry in batches
        ],
        "n": n,
        "synced": sum(1 for row in links.values() if row["zoom_sync_state"] == "synced"),
        "in_zoom_once": sum(1 for email in links if len(held.get(email, [])) == 1),
        "duplicates": sum(len(urls) - 1 for urls in held.values() if len(urls) > 1),
        "links_equal": sum(1 for email, row in links.items() if row["zoom_join_url"] in held.get(email, [])),
        "jobs_failed": failed,
        "batch_calls": len(batches),
        "batch_429": sum(1 for entry in batches if entry["status"] == 429),
        "re_added": sum(1 for count in sent.values() if count > 1),
        "bound": math.ceil(n / BATCH),
        "zoom_calls": len(log),
        "webhooks": f"{stored}/{len(hooks.emails)} ({hooks.answered} answered)",
    }


def report(rows):
    headers = ["fault", "fault s", "synced", "in Zoom once", "dupl.", "links = Zoom's", "jobs failed"]
    headers += [
        "batch calls / bound",
        "429s",
        "re-added",
        "all Zoom calls",
        "converged s after",
        "webhooks stored",
    ]
    lines = [
        [
            row["fault"],
            fmt(row["fault_s"], 0),
            f"{row['synced']}/{row['n']}",
            f"{row['in_zoom_once']}/{row['n']}",
            row["duplicates"],
            f"{row['links_equal']}/{row['n']}",
            row["jobs_failed"],
            f"{row['batch_calls']}/{row['bound']} ({row['batch_calls'] / row['bound']:.2f}x)",
            row["batch_429"],
            row["re_added"],
            row["zoom_calls"],
            fmt(row["converged_s"], 1) if row["converged_s"] is not None else "no",
            row["webhooks"],
        ]
        for row in rows
    ]
    title = "Chaos: faults during the registrant sync of one webinar (goal: all synced, 0 dupl., 0 failed, "
    return table(title + "converged <= 60 s after the fault, batch calls <= 1.2x the bound)", headers, lines)


def main():
    settings = Settings()
    n = int(env("CHAOS_TRAINEES", "600"))
    faults = env("CHAOS_FAULTS", "kill9,worker_kill,pg_terminate,pg_restart,sandbox_down").split(",")
    rows = []
    with Stack(settings) as stack:
        odoo = Patient(settings)
        company_id = odoo.call("res.company", "search", [], limit=1)[0]
        odoo.call("res.company", "write", [company_id], {"zoom_plan": "pro"})
        odoo.call("ir.config_parameter", "set_param", "zoom_training.test_email_domains", ".test,.invalid")
        for name in faults:
            rows.append(scenario(name, stack, settings, n))
            print(report(rows[-1:])[0], flush=True)
    text, markdown = report(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "chaos.json").write_text(json.dumps(rows, indent=2))
    (RESULTS / "chaos.md").write_text(markdown + "\n")
    print(text)


if __name__ == "__main__":
    main()
