"""Scale-out scenarios (issue 21): two Odoo servers behind nginx on one database, ten times the load.

Each runs against `Stack(settings.as_cluster())` and measures through nginx (bench/nginx.py, configured with
docs/nginx/zoom_training.conf), beside the single-server figures of the same `make bench` run.
"""

import os
import signal
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import reconcile
import registrants
import webhooks
from clients import Odoo, Sandbox
from helpers import load_average, percentile
from stack import Stack, env, say

from zoom_training.utils.budget import LIGHT, PER_SECOND

ATTACKER_SOURCE = "127.0.0.2"  # the genuine sender stays on 127.0.0.1: nginx limits per source address
CLUSTER = "sync10x,join10x,attack,attack-allowlist,webhooks10x,hammer,reconcile10x"
SYNC_N = int(env("BENCH_SYNC10X_N", "30000"))
HAMMER_SECONDS = int(env("BENCH_HAMMER_SECONDS", "60"))


def run(settings, wanted, prepare):
    cluster = settings.as_cluster()
    if "sync10x" in wanted:  # the sandbox's webinar licence holds the N registrants
        os.environ["BENCH_WEBINAR_CAPACITY"] = str(max(SYNC_N, 5000))
    results = {"load_start": load_average(), "workers": cluster.workers, "plan": cluster.plan}
    with Stack(cluster) as stack:
        odoo = Odoo(cluster.front_url, cluster.db)
        sandbox = Sandbox(cluster.sandbox_url)
        prepare(odoo, cluster.plan)
        if "sync10x" in wanted:
            results["sync10x"] = sync_ten_times(odoo, sandbox, stack)
        if "join10x" in wanted:
            results["join10x"] = join_clicks(odoo, sandbox, stack)
        burst = None
        if {"attack", "attack-allowlist", "webhooks10x"} & wanted:
            event_id = odoo.call("event.event", "create", [_training(f"Webhooks {uuid.uuid4().hex[:6]}")])
            burst = _zoom_id(odoo, event_id[0])
        webhook_url = f"{cluster.front_url}/webhook/zoom-meeting"
        if "attack" in wanted:
            say(f"under attack through nginx: the attacker sends from {ATTACKER_SOURCE}")
            results["attack"] = webhooks.under_attack(odoo, webhook_url, burst, ATTACKER_SOURCE)
        if "attack-allowlist" in wanted:
            say("under attack through nginx, its webhook allow-list on (127.0.0.1 stands for Zoom's ranges)")
            stack.nginx.reload(allow_only=["127.0.0.1"])
            results["attack-allowlist"] = webhooks.under_attack(odoo, webhook_url, burst, ATTACKER_SOURCE)
            stack.nginx.reload(allow_only=None)
        if "webhooks10x" in wanted:
            results["webhooks10x"] = webhooks.wide_burst(odoo, webhook_url, burst, cluster.run_dir)
        if "hammer" in wanted:
            results["hammer"] = hammer(odoo, sandbox, cluster)
        if "reconcile10x" in wanted:  # bench/reconcile.py
            results["reconcile10x"] = reconcile.reconcile_ten_times(odoo, sandbox, stack, MemoryWatch)
        results["nginx_statuses"] = nginx_statuses(stack)
    results["load_end"] = load_average()
    return results


def _training(name):
    from helpers import training_values

    return training_values(name, "meeting")


def _zoom_id(odoo, event_id):
    from helpers import wait_synced

    return wait_synced(odoo, [event_id])[event_id][1]


def nginx_statuses(stack):
    """Answers nginx gave, per status and source address (its access log)."""
    counts = {}
    log = stack.nginx.prefix / "access.log"
    if not log.exists():
        return counts
    for line in log.read_text(errors="replace").splitlines():
        fields = line.split()
        if len(fields) > 8:
            key = f"{fields[0]} {fields[8]}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def hammer(odoo, sandbox, settings):
    """Every HTTP worker of both servers calling Zoom at once for HAMMER_SECONDS: 2 x workers clients, each
    asking over and over for a meeting's start link (one Light call, `GET /meetings/{id}`) through nginx.
    Zoom's side from the sandbox's request log: the calls in the busiest 1 s window against the plan's
    limit, the share of the limit used, 429s."""
    clients = 2 * settings.workers
    say(f"the shared budget: {clients} clients on both servers' workers for {HAMMER_SECONDS} s")
    event_id = odoo.call("event.event", "create", [_training(f"Hammered {uuid.uuid4().hex[:6]}")])[0]
    meeting_id = odoo.call("event.event", "read", [event_id], ["zoom_meeting_id"])[0]["zoom_meeting_id"][0]
    _zoom_id(odoo, event_id)
    time.sleep(6)  # the queue is idle: only the hammer calls Zoom
    sandbox.clear_log()
    deadline = time.monotonic() + HAMMER_SECONDS
    answered, errors = [], []

    def client():
        own = Odoo(odoo.url, odoo.db)
        while time.monotonic() < deadline:
            try:
                own.call("zoom.meeting", "action_start_as_host", [meeting_id])
                answered.append(1)
            except Exception as error:
                errors.append(str(error)[:200])

    load = load_average()
    started = time.time()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ended = time.time()
    log = [entry for entry in sandbox.requests_log() if entry["category"] == LIGHT]
    ok = sorted(entry["received"] for entry in log if entry["status"] < 400)
    limit = PER_SECOND[settings.plan][LIGHT]
    busiest = max(
        (sum(1 for t in ok[i : i + limit + 5] if t < start + 1) for i, start in enumerate(ok)), default=0
    )
    span = (ok[-1] - ok[0]) if len(ok) > 1 else 0
    return {
        "clients": clients,
        "seconds": ended - started,
        "calls": len(log),
        "http_429": sum(1 for entry in log if entry["status"] == 429),
        "busiest_window": busiest,
        "limit": limit,
        "per_second": len(ok) / span if span else 0,
        "used": len(ok) / span / limit if span else 0,
        "answered": len(answered),
        "errors": len(errors),
        "sample_error": errors[0] if errors else "",
        "load": load,
    }


def sync_ten_times(odoo, sandbox, stack):
    """Scenario 1 at N = SYNC_N on the Business plan (the sandbox and the company switched to it), through
    nginx, with the memory of every HTTP worker of both servers sampled from just before the confirmation
    until all are synced: the job's growth is the rise of the resident memory of the worker that ran the
    sync job (queue_job's `worker_pid`) over its level before the confirmation; the largest rise of any
    worker is kept too (the confirmation's own worker: Odoo tracks 30,000 state changes)."""
    from helpers import wait_queue_idle

    company = odoo.ref("base.main_company")
    sandbox.admin("POST", "ratelimits", {"plan": "business"})
    # Zoom mails the links (the company's "Zoom emails"): the sync job is the same either way (the mails
    # are rendered by jobs of their own once it commits), but 30,000 mails rendered by Odoo afterwards take
    # minutes of both cores, over the next scenarios
    odoo.call("res.company", "write", [company], {"zoom_plan": "business", "zoom_emails_enabled": True})
    memory = MemoryWatch([stack.odoo.pid, stack.odoo2.pid])
    row = registrants.addon_sync(odoo, sandbox, "business", SYNC_N, f"x{SYNC_N}", watch=memory)
    row["memory_growth_mb"] = max((memory.growth_of(pid) for pid in row["job_workers"]), default=None)
    row["memory_growth_any_mb"] = memory.growth_mb
    wait_queue_idle(odoo, timeout=600)  # the mail jobs (nothing to mail) before the next scenario
    sandbox.admin("POST", "ratelimits", {"plan": stack.s.plan})
    odoo.call("res.company", "write", [company], {"zoom_plan": stack.s.plan, "zoom_emails_enabled": False})
    return row


class MemoryWatch:
    """Samples, every 0.5 s, the resident memory of the children of `masters` (Odoo's workers)."""

    def __init__(self, masters):
        import psutil

        self._masters = [psutil.Process(pid) for pid in masters]
        self._baseline, self._peak = {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.growth_mb = None

    def _sample(self):
        import psutil

        for master in self._masters:
            for child in master.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                self._baseline.setdefault(child.pid, rss)
                self._peak[child.pid] = max(self._peak.get(child.pid, 0), rss)

    def _watch(self):
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        rises = [self._peak[pid] - base for pid, base in self._baseline.items()]
        self.growth_mb = max(rises, default=0) / 2**20

    def growth_of(self, pid):
        """MB: the peak resident memory of that worker over its first sample (None: never sampled)."""
        if pid not in self._baseline:
            return None
        return (self._peak[pid] - self._baseline[pid]) / 2**20


JOIN_TRAINEES = int(env("BENCH_JOIN_TRAINEES", "20"))
JOIN_SESSIONS = int(env("BENCH_JOIN_SESSIONS", "10"))  # each trainee enrolled in each: 200 clicks
JOIN_SECONDS = 10
JOIN_BACKGROUND_N = 3000


def join_clicks(odoo, sandbox, stack):
    """JOIN_TRAINEES trainees, each logged in and enrolled in JOIN_SESSIONS trainings starting soon, click
    Join once per training over JOIN_SECONDS through nginx (both servers' workers). None is registered in
    Zoom yet, so that each click registers just in time, while a sync of JOIN_BACKGROUND_N registrants of
    another webinar runs. Zoom's 429s from the sandbox's log, the clicks' latency until Odoo's redirect.
    (Trainees times sessions, not one trainee per click: Odoo hashes each password with 600,000 rounds.)

    Nothing may register them before they click, and four things would: (1) the registrations' own sync
    jobs, queued by their create 5 s later: created while queue_job's runner is paused, then cancelled as an
    administrator would in Job Queue, before the runner goes on; (2) the login: the addon syncs a user's
    upcoming registrations not yet in Zoom at each login (`res.users._update_last_login`), so the trainees
    log in before they are enrolled (this is what registered every trainee in the earlier runs, after their
    jobs had been cancelled); (3) the pre-event sync (every 5 minutes, registers everyone due in sessions
    starting within the company's window, 60 minutes by default) and (4) the catch-up and stranded-work
    crons: the servers run no cron thread (`max_cron_threads = 0`) and the window is set to 0 for the
    scenario. Checked before the clicks (no link in Odoo, no registrant in Zoom) and after them: the
    registrant adds in Zoom's log during the clicks must be one per click, or the run fails."""
    import requests
    from helpers import wait_queue_idle

    settings = stack.s
    if settings.cron_threads:
        raise RuntimeError("join10x needs servers without cron threads (BENCH_CRON_THREADS=0)")
    clicks = JOIN_TRAINEES * JOIN_SESSIONS
    say(f"Join clicks: {JOIN_TRAINEES} trainees in {JOIN_SESSIONS} trainings starting soon, {clicks} clicks")
    company = odoo.ref("base.main_company")
    window = odoo.call("res.company", "read", [company], ["zoom_pre_event_sync_minutes"])[0]
    odoo.call("res.company", "write", [company], {"zoom_pre_event_sync_minutes": 0})
    try:
        return _join_clicks(odoo, sandbox, settings, clicks, requests, wait_queue_idle, stack)
    finally:
        odoo.call(
            "res.company",
            "write",
            [company],
            {"zoom_pre_event_sync_minutes": window["zoom_pre_event_sync_minutes"]},
        )


def _join_clicks(odoo, sandbox, settings, clicks, requests, wait_queue_idle, stack):
    meeting_ids, event_ids, zoom_ids = _sessions_starting_soon(odoo)
    password = "Join-" + uuid.uuid4().hex
    run = uuid.uuid4().hex[:6]
    logins = [f"join{i}.{run}@example.com" for i in range(JOIN_TRAINEES)]
    users = odoo.call(
        "res.users",
        "create",
        [
            {
                "name": f"Trainee {i}",
                "login": login,
                "email": login,
                "password": password,
                "groups_id": [(6, 0, [odoo.ref("base.group_portal")])],
            }
            for i, login in enumerate(logins)
        ],
    )
    partners = [row["partner_id"][0] for row in odoo.call("res.users", "read", users, ["partner_id"])]
    sessions = _logged_in(settings, logins, password)  # before they are enrolled: a login syncs theirs
    wait_queue_idle(odoo)  # the trainings' own first passes (no one to register) are over
    runner = _job_runner(stack)
    os.kill(runner, signal.SIGSTOP)  # the runner paused while they enrol: their syncs are cancelled below
    try:
        registrations = odoo.call(
            "event.registration",
            "create",
            [
                {"event_id": event_id, "partner_id": partner, "state": "open"}
                for event_id in event_ids
                for partner in partners
            ],
        )
        keys = [f"zoom-registrants-{meeting_id}" for meeting_id in meeting_ids]
        jobs = odoo.call(
            "queue.job", "search", [("identity_key", "in", keys), ("state", "in", ["pending", "enqueued"])]
        )
        odoo.call("queue.job", "button_cancelled", jobs)
    finally:
        os.kill(runner, signal.SIGCONT)
    say(f"{len(registrations)} registrations, their {len(jobs)} sync jobs cancelled")
    background = create_background_sync(odoo)
    wait_queue_idle(odoo)
    _check_unregistered(odoo, sandbox, registrations, zoom_ids, "before the clicks")
    sandbox.clear_log()
    load = load_average()
    odoo.call("event.registration", "write", background, {"state": "open"})  # the 3,000 sync is enqueued
    time.sleep(6)  # past its 5 s coalescing delay: the sync is running when the clicks come
    _check_unregistered(odoo, sandbox, registrations, zoom_ids, "just before the clicks")
    # click k: trainee k % T in session k // T (registrations were created session by session)
    pairs = [(sessions[k % JOIN_TRAINEES], registrations[k]) for k in range(clicks)]
    failures = _serialization_failures(settings)
    clicked = time.time()
    answers = _click(pairs, settings.front_url, requests)
    done = time.time()
    failures = _serialization_failures(settings) - failures
    log = sandbox.requests_log()
    ours = [e for e in log if e["path"].split("/")[-2] in zoom_ids]
    adds = [e for e in ours if e["method"] == "POST" and e["path"].endswith("/registrants")]
    during = [e for e in adds if clicked <= e["received"] <= done]
    batches = [e for e in log if e["template"].endswith("/batch_registrants") and e not in ours]
    first_add = min((e["received"] for e in adds), default=0)
    last_add = max((e["received"] for e in adds), default=0)
    latencies = [seconds for _status, seconds, _where in answers]
    to_zoom = sum(1 for status, _s, where in answers if status == 303 and where.startswith(sandbox.url))
    row = {
        "clicks": len(answers),
        "trainees": JOIN_TRAINEES,
        "sessions": JOIN_SESSIONS,
        "to_zoom": to_zoom,
        "other": len(answers) - to_zoom,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
        "adds": len(adds),
        "adds_during_clicks": len(during),
        "adds_429": sum(1 for e in adds if e["status"] == 429),
        "http_429": sum(1 for e in log if e["status"] == 429),
        "calls": len(log),
        "other_calls_to_sessions": len(ours) - len(adds),
        "batch_calls": len(batches),
        "batch_calls_during": sum(1 for e in batches if first_add <= e["received"] <= last_add),
        "add_operations": sorted({e["operation"] for e in adds}),
        "serialization_failures": failures,
        "other_answers": sorted({f"{status} {where.split('?')[0]}" for status, _s, where in answers})[:5],
        "load": load,
    }
    say(f"join10x: {row}")
    if len(during) != clicks or len(adds) != clicks:
        raise RuntimeError(
            f"join10x is not valid: {len(during)} registrant adds in Zoom during the {clicks} clicks "
            f"({len(adds)} in all), not one per click: {row}"
        )
    return row


def _serialization_failures(settings):
    """Transactions Odoo ran again (a request or job is retried whole) in both servers' logs so far."""
    logs = [settings.run_dir / "odoo.log", settings.run_dir / "odoo2.log"]
    return sum(
        log.read_text(errors="replace").count("could not serialize access") for log in logs if log.exists()
    )


def _check_unregistered(odoo, sandbox, registrations, zoom_ids, when):
    """Fails unless none of the registrations has a personal link in Odoo nor a registrant in Zoom."""
    linked = odoo.call(
        "event.registration",
        "search_count",
        [("id", "in", registrations), ("zoom_sync_state", "!=", "to_sync")],
    )
    with_id = odoo.call(
        "event.registration",
        "search_count",
        [("id", "in", registrations), ("zoom_registrant_id", "!=", False)],
    )
    in_zoom = sum(sandbox.meeting_state(zoom_id)["registrants"] for zoom_id in zoom_ids)
    if linked or with_id or in_zoom:
        raise RuntimeError(
            f"join10x set-up {when}: {linked} of {len(registrations)} registrations not waiting to be "
            f"registered, {with_id} with a Zoom registrant id, {in_zoom} registrants in Zoom: the clicks "
            "would not register anyone just in time"
        )


def _job_runner(stack):
    """The pid of queue_job's runner, a child of the first server."""
    import psutil

    for child in psutil.Process(stack.odoo.pid).children(recursive=True):
        if "JobRunner" in " ".join(child.cmdline()):
            return child.pid
    raise RuntimeError("queue_job's runner is not running in the first server")


def _sessions_starting_soon(odoo):
    """JOIN_SESSIONS trainings with Zoom meetings, starting in 10 minutes (their Join buttons are open)."""
    from helpers import odoo_time, training_values, wait_synced

    start = datetime.now(timezone.utc) + timedelta(minutes=10)
    values = [
        dict(
            training_values(f"Join now {uuid.uuid4().hex[:6]}", "meeting"),
            date_begin=odoo_time(start),
            date_end=odoo_time(start + timedelta(hours=1)),
        )
        for _ in range(JOIN_SESSIONS)
    ]
    event_ids = odoo.call("event.event", "create", values)
    synced = wait_synced(odoo, event_ids)
    meetings = [synced[event_id][0] for event_id in event_ids]
    return meetings, event_ids, {str(synced[event_id][1]) for event_id in event_ids}


def create_background_sync(odoo):
    """A webinar with JOIN_BACKGROUND_N draft registrations, synced once confirmed; their ids."""
    from helpers import wait_synced

    event_id = odoo.call(
        "event.event",
        "create",
        [dict(_training(f"Background {uuid.uuid4().hex[:6]}"), zoom_conference="webinar")],
    )[0]
    wait_synced(odoo, [event_id])
    return registrants.create_draft_registrations(
        odoo, event_id, f"bg{uuid.uuid4().hex[:6]}", JOIN_BACKGROUND_N
    )


def _logged_in(settings, logins, password):
    """A requests session per trainee, logged in through nginx (in parallel: Odoo hashes each password)."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def login(name):
        session = requests.Session()
        answer = session.post(
            f"{settings.front_url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": settings.db, "login": name, "password": password}},
            timeout=120,
        )
        answer.raise_for_status()
        if "error" in answer.json():
            raise RuntimeError(f"login of {name}: {answer.json()['error']}")
        return session

    with ThreadPoolExecutor(max_workers=12) as pool:
        return list(pool.map(login, logins))


def _click(pairs, front_url, requests):
    """One click per (session, registration), spread evenly over JOIN_SECONDS: (status, seconds, Location)."""
    from concurrent.futures import ThreadPoolExecutor

    gap = JOIN_SECONDS / len(pairs)
    begin = time.perf_counter()

    def click(index):
        time.sleep(max(0.0, begin + index * gap - time.perf_counter()))
        session, registration = pairs[index]
        started = time.perf_counter()
        try:
            answer = session.get(
                f"{front_url}/zoom/join/registration/{registration}", allow_redirects=False, timeout=60
            )
            return answer.status_code, time.perf_counter() - started, answer.headers.get("Location", "")
        except requests.RequestException as error:
            return type(error).__name__, time.perf_counter() - started, ""

    with ThreadPoolExecutor(max_workers=64) as pool:
        return list(pool.map(click, range(len(pairs))))
