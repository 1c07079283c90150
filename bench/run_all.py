"""`make bench`: the five benchmarks of zoom_training against the Zoom sandbox and a real Odoo server.

Environment: BENCH_PLAN (pro), BENCH_SIZES (300,3000), BENCH_SCENARIOS (registrants,burst,webhooks,
reconciliation,save on one server; then attack,webhooks10x,... on two servers behind nginx: bench/cluster.py),
BENCH_ODOO_PORT (8569), BENCH_SANDBOX_PORT (8591), BENCH_DB (zt_bench).
`BENCH_SCENARIOS=reconcile10x make bench`: the reconciliation of 2,000 meetings alone (bench/reconcile.py).
`BENCH_SCENARIOS=attack make bench` runs the webhook burst quiet and under attack alone (through nginx).
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # zoom_training, plain Python

import cluster
import registrants
import sessions
import webhooks
from clients import Odoo, Sandbox
from helpers import load_average, percentile
from report import bar_chart, fmt, table
from stack import RESULTS, Settings, Stack, env, say

SINGLE = "registrants,burst,webhooks,reconciliation,save"
ALL = f"{SINGLE},{cluster.CLUSTER}"


def run(settings, wanted):
    results = {"plan": settings.plan, "workers": settings.workers, "load_start": load_average()}
    if set(SINGLE.split(",")) & wanted:
        single_server(settings, wanted, results)
    if set(cluster.CLUSTER.split(",")) & wanted:
        results["cluster"] = cluster.run(settings, wanted, prepare)
    results["load_end"] = load_average()
    return results


def single_server(settings, wanted, results):
    with Stack(settings):
        odoo = Odoo(settings.odoo_url, settings.db)
        sandbox = Sandbox(settings.sandbox_url)
        prepare(odoo, settings.plan)
        if "registrants" in wanted:
            results["registrants"] = registrant_runs(odoo, sandbox, settings.plan)
        if {"burst", "webhooks"} & wanted:
            results["burst"] = sessions.edit_burst(odoo, sandbox)
        if "webhooks" in wanted:
            servers = {"gevent": settings.gevent_url, "workers": settings.odoo_url}
            results["webhooks"] = webhooks.ingestion(odoo, servers, results["burst"]["zoom_id"])
        if "reconciliation" in wanted:
            results["reconciliation"] = sessions.reconciliation(odoo, sandbox)
            results["catch_up"] = sessions.catch_up(odoo, sandbox)
        if "save" in wanted:
            results["save"] = sessions.save_cost(odoo)


def prepare(odoo, plan):
    """The company's Zoom plan, and the sandbox's example.com addresses accepted as real ones."""
    company_id = odoo.ref("base.main_company")
    odoo.call("res.company", "write", [company_id], {"zoom_plan": plan})
    odoo.call("ir.config_parameter", "set_param", "zoom_training.test_email_domains", ".test,.invalid")


def registrant_runs(odoo, sandbox, plan):
    sizes = [int(size) for size in env("BENCH_SIZES", "300,3000").split(",")]
    rows = []
    for n in sizes:
        rows.append(registrants.addon_sync(odoo, sandbox, plan, n, f"n{n}"))
        rows.append(registrants.naive_sync(sandbox, plan, n, f"n{n}"))
    return rows


def tables(results):
    out = []
    plan = results["plan"]
    if "registrants" in results:
        out.append(
            table(
                f"1. Registrant sync on one webinar (plan {plan}; "
                "bound = ceil(N/30) batch calls at the Heavy limit)",
                [
                    "who",
                    "N",
                    "bound s",
                    "wall s",
                    "wall/bound",
                    "addon pacing s",
                    "end-to-end s",
                    "Zoom calls",
                    "calls/registrant",
                    "429s",
                    "lost",
                    "load",
                ],
                [
                    [
                        r["who"],
                        r["n"],
                        r["bound_s"],
                        r["wall_s"],
                        r["ratio"],
                        r.get("pacing_bound_s"),
                        r["end_to_end_s"],
                        r["calls"],
                        r["calls_per_registrant"],
                        r["http_429"],
                        r["lost"],
                        r["load"],
                    ]
                    for r in results["registrants"]
                ],
            )
        )
    if "burst" in results:
        b = results["burst"]
        out.append(
            table(
                "2. Burst of edits to a scheduled training",
                ["edits", "burst s", "Zoom updates", "Zoom calls", "load"],
                [[b["edits"], b["burst_s"], b["updates"], b["calls"], b["load"]]],
            )
        )
    if "webhooks" in results:
        out.append(
            table(
                "3. Webhook ingestion (POST /webhook/zoom-meeting, signed, meeting.participant_joined; "
                "to Odoo's gevent server as the proxy routes them, and to the HTTP workers for comparison)",
                [
                    "phase",
                    "deliveries",
                    "unique",
                    "per s",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "max ms",
                    "non-200",
                    "lost",
                    "processed twice",
                    "processed",
                    "drain jobs",
                    "drain s",
                    "load",
                ],
                [
                    [
                        phase,
                        w["deliveries"],
                        w["unique"],
                        w["per_second"],
                        w["p50_ms"],
                        w["p95_ms"],
                        w["p99_ms"],
                        w["max_ms"],
                        " ".join(f"{count} {kind}" for kind, count in w["failures"].items()) or 0,
                        w["lost"],
                        w["processed_twice"],
                        w["processed"],
                        w["drain_jobs"],
                        w["drain_s"],
                        w["load"],
                    ]
                    for phase, w in results["webhooks"].items()
                ],
            )
        )
    if "reconciliation" in results:
        r = results["reconciliation"]
        out.append(
            table(
                "4. Daily reconciliation (bound = M + ceil(R/300) reads)",
                [
                    "M meetings",
                    "R registrants",
                    "hosts",
                    "Zoom calls",
                    "bound",
                    "calls/bound",
                    "wall s",
                    "load",
                ],
                [
                    [
                        r["meetings"],
                        r["registrants"],
                        r.get("hosts", 1),
                        r["calls"],
                        r["bound"],
                        r["ratio"],
                        r["wall_s"],
                        r["load"],
                    ]
                ],
            )
        )
    if "catch_up" in results:
        c = results["catch_up"]
        out.append(
            table(
                "4b. Hourly registrant catch-up (sessions not ended only)",
                ["meetings in Zoom", "looked at", "Zoom calls", "jobs", "wall s", "load"],
                [[c["in_zoom"], c["looked_at"], c["calls"], c["jobs"], c["wall_s"], c["load"]]],
            )
        )
    if "save" in results:
        s = results["save"]
        out.append(
            table(
                f"5. Saving a training over RPC, Zoom on (meeting) vs off ({s['samples']} each)",
                ["save", "median ms", "p95 ms"],
                [[key, row["median_ms"], row["p95_ms"]] for key, row in s["times"].items()]
                + [
                    ["ratio create on/off", s["create_ratio"], ""],
                    ["ratio write on/off", s["write_ratio"], ""],
                ],
            )
        )
    if (RESULTS / "run" / "odoo.log").exists() and set(SINGLE.split(",")) & set(results):
        out.append(server_table(RESULTS / "run" / "odoo.log", results["workers"]))
    out += cluster_tables(results.get("cluster", {}))
    out.append(table("Targets", ["target", "measured", "met"], target_rows(results)))
    return out


def attack_table(attack, title="6. Webhooks under attack"):
    """6. The genuine burst beside the same burst while an attacker floods the URL."""
    attacker = attack["under attack"]["attacker"]
    answers = ", ".join(f"{n} {status}" for status, n in sorted(attacker["statuses"].items()))
    return table(
        f"{title}: the burst (5 x 100 concurrent, signed, from 127.0.0.1) through nginx to "
        "both servers' gevent processes, quiet and while an attacker on 127.0.0.2 sends "
        f"{webhooks.ATTACK_RATE} unsigned requests/s (junk, 768 KB chunked "
        f"bodies, random account ids): it sent {attacker['sent']} at {attacker['per_second']:.0f}/s "
        f"({attacker['skipped']} skipped, 400 connections open); answers {answers}",
        [
            "phase",
            "deliveries",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "each burst's p99 ms",
            "non-200",
            "lost",
            "attacker rows",
            "load",
        ],
        [
            [
                phase,
                w["deliveries"],
                w["p50_ms"],
                w["p95_ms"],
                w["p99_ms"],
                w["max_ms"],
                " ".join(fmt(p99, 0) for p99 in w["burst_p99_ms"]),
                " ".join(f"{count} {kind}" for kind, count in w["failures"].items()) or 0,
                w["lost"],
                w.get("attacker_rows", ""),
                w["load"],
            ]
            for phase, w in attack.items()
        ],
    )


JOIN_BACKGROUND = cluster.JOIN_BACKGROUND_N


def cluster_target_rows(c):
    rows = []
    if "webhooks10x" in c:
        w = c["webhooks10x"]
        met = w["within_3s"] == w["deliveries"] and w["p99_ms"] < 500 and w["lost"] == 0
        rows.append(
            [
                f"{w['deliveries']} concurrent through nginx: all within 3 s, p99 < 500 ms, 0 lost, once",
                f"{w['within_3s']} within 3 s, p99 {fmt(w['p99_ms'], 0)} ms, lost {w['lost']}, "
                f"twice {w['processed_twice']}",
                met and not w["processed_twice"],
            ]
        )
    if "sync10x" in c:
        r = c["sync10x"]
        calls = r["calls"] or 1
        rows.append(
            [
                f"sync N={r['n']} (business): wall <= 1.10x bound, 0 lost, 429s <= 1%, memory <= 200 MB",
                f"{fmt(r['ratio'])}x, lost {r['lost']}, {r['http_429']} 429s of {r['calls']}, "
                f"{fmt(r['memory_growth_mb'], 0)} MB",
                r["ratio"] is not None
                and r["ratio"] <= 1.10
                and r["lost"] == 0
                and r["http_429"] <= 0.01 * calls
                and r["memory_growth_mb"] is not None
                and r["memory_growth_mb"] <= 200,
            ]
        )
    if "join10x" in c:
        j = c["join10x"]
        rows.append(
            [
                f"{j['clicks']} Join clicks in 10 s during a sync: 0 429s from Zoom, p95 < 1.5 s",
                f"{j['http_429']} 429s, p95 {fmt(j['p95_ms'], 0)} ms, {j['to_zoom']} sent to Zoom, "
                f"{j['adds_during_clicks']} registered by their click",
                j["http_429"] == 0
                and j["p95_ms"] < 1500
                and j["to_zoom"] == j["clicks"]
                and j["adds_during_clicks"] == j["clicks"],
            ]
        )
    if "reconcile10x" in c:
        r = c["reconcile10x"]
        rows.append(
            [
                f"reconciliation, {r['meetings']} meetings, {r['registrants']} registrants: "
                "<= 1.05x read bound, memory <= 300 MB",
                f"{fmt(r['ratio'])}x ({r['calls']} calls, bound {r['bound']}), "
                f"{fmt(r['memory_growth_mb'], 0)} MB, {r['http_429']} 429s",
                r["ratio"] <= 1.05 and r["memory_growth_mb"] <= 300,
            ]
        )
    if "hammer" in c:
        h = c["hammer"]
        rows.append(
            [
                "shared budget, 60 s: every 1 s window <= limit, >= 90% used",
                f"busiest {h['busiest_window']}/{h['limit']}, {h['used']:.0%} used, {h['http_429']} 429s",
                h["busiest_window"] <= h["limit"] and h["used"] >= 0.9 and not h["http_429"],
            ]
        )
    return rows


def cluster_tables(c):
    """The scale-out scenarios: two servers behind nginx (bench/cluster.py)."""
    out = []
    if "attack" in c:
        out.append(attack_table(c["attack"]))
    if "attack-allowlist" in c:
        out.append(attack_table(c["attack-allowlist"], "6b. The same with nginx's webhook allow-list on"))
    if "webhooks10x" in c:
        w = c["webhooks10x"]
        out.append(
            table(
                f"7. Webhooks, {webhooks.WIDE} concurrent deliveries through nginx to both servers' gevent "
                "processes",
                [
                    "deliveries",
                    "200 within 3 s",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "max ms",
                    "non-200",
                    "lost",
                    "processed",
                    "processed twice",
                    "drain s",
                    "load",
                ],
                [
                    [
                        w["deliveries"],
                        w["within_3s"],
                        w["p50_ms"],
                        w["p95_ms"],
                        w["p99_ms"],
                        w["max_ms"],
                        " ".join(f"{count} {kind}" for kind, count in w["failures"].items()) or 0,
                        w["lost"],
                        w["processed"],
                        w["processed_twice"],
                        w["drain_s"],
                        w["load"],
                    ]
                ],
            )
        )
        cpu = w.get("cpu_ms_per_delivery") or {}
        out.append(
            table(
                "7b. CPU while they were sent and answered, ms per delivery, by process (on 2 cores the "
                "burst lasts at least total x deliveries / 2; listen overflows: connections dropped, back 1 s "
                "later)",
                [*cpu, "total", "listen overflows"],
                [[*cpu.values(), sum(cpu.values()), w.get("listen_overflows", "-")]],
            )
        )
    if "sync10x" in c:
        r = c["sync10x"]
        out.append(
            table(
                f"9. Registrant sync, N = {r['n']} on one webinar, plan business, two servers behind nginx "
                "(bound = ceil(N/30) batch calls at 40/s)",
                [
                    "N",
                    "bound s",
                    "wall s",
                    "wall/bound",
                    "addon pacing s",
                    "batch calls",
                    "Zoom calls",
                    "429s",
                    "lost",
                    "job's memory growth MB",
                    "any worker MB",
                    "set-up s",
                    "confirm write s",
                    "end-to-end s",
                    "load",
                ],
                [
                    [
                        r["n"],
                        r["bound_s"],
                        r["wall_s"],
                        r["ratio"],
                        r["pacing_bound_s"],
                        r["batch_calls"],
                        r["calls"],
                        r["http_429"],
                        r["lost"],
                        r["memory_growth_mb"],
                        r.get("memory_growth_any_mb"),
                        r.get("setup_s"),
                        r.get("confirm_s"),
                        r["end_to_end_s"],
                        r["load"],
                    ]
                ],
            )
        )
    if "join10x" in c:
        j = c["join10x"]
        out.append(
            table(
                f"10. Join clicks: {j['trainees']} trainees click Join in each of {j['sessions']} trainings, "
                f"{j['clicks']} clicks within 10 s through nginx, each registering just in time, while a "
                f"{JOIN_BACKGROUND}-registrant sync runs",
                [
                    "clicks",
                    "sent to Zoom",
                    "other answers",
                    "p50 ms",
                    "p95 ms",
                    "max ms",
                    "registrant adds",
                    "by their click",
                    "their 429s",
                    "all 429s",
                    "batch calls meanwhile",
                    "serialization failures",
                    "load",
                ],
                [
                    [
                        j["clicks"],
                        j["to_zoom"],
                        j["other"],
                        j["p50_ms"],
                        j["p95_ms"],
                        j["max_ms"],
                        j["adds"],
                        j["adds_during_clicks"],
                        j["adds_429"],
                        j["http_429"],
                        j["batch_calls_during"],
                        j.get("serialization_failures"),
                        j["load"],
                    ]
                ],
            )
        )
    if "hammer" in c:
        h = c["hammer"]
        out.append(
            table(
                f"8. The per-second budget shared by 2 servers x {h['clients'] // 2} workers: "
                f"{h['clients']} clients asking for a start link (GET /meetings/{{id}}, Light) for "
                f"{h['seconds']:.0f} s; Zoom's side from the sandbox's log",
                [
                    "Zoom calls",
                    "busiest 1 s window",
                    "limit",
                    "calls/s",
                    "of the limit",
                    "429s",
                    "answers",
                    "errors",
                    "load",
                ],
                [
                    [
                        h["calls"],
                        h["busiest_window"],
                        h["limit"],
                        h["per_second"],
                        f"{h['used']:.0%}",
                        h["http_429"],
                        h["answered"],
                        h["errors"],
                        h["load"],
                    ]
                ],
            )
        )
    if "reconcile10x" in c:
        r = c["reconcile10x"]
        out.append(
            table(
                f"11. Daily reconciliation at ten times: {r['meetings']} meetings on {r['hosts']} hosts, "
                f"{r['registrants']} registrants held in Zoom, seeded in bulk in {r['setup_s']:.0f} s, with "
                f"drift ({', '.join(f'{n} {kind}' for kind, n in r['drift'].items())}); one cron run on the "
                "first server (bound = M + ceil(R/300) reads; calls until the jobs it queued are done)",
                [
                    "Zoom calls",
                    "reads",
                    "writes",
                    "bound",
                    "calls/bound",
                    "wall s",
                    "jobs after s",
                    "429s",
                    "memory growth MB",
                    "checked",
                    "repaired",
                    "failed",
                    "load",
                ],
                [
                    [
                        r["calls"],
                        r["reads"],
                        r["writes"],
                        r["bound"],
                        r["ratio"],
                        r["wall_s"],
                        r["jobs_after_s"],
                        r["http_429"],
                        r["memory_growth_mb"],
                        r["checked"],
                        r["repaired"],
                        r["failed"],
                        r["load"],
                    ]
                ],
            )
        )
        out.append(
            table(
                "11b. What the run repaired, checked in the sandbox; Zoom calls by operation",
                ["drift, or operation", "repaired, or calls"],
                [*r["verified"].items(), *sorted(r["operations"].items())],
            )
        )
    if c.get("nginx_statuses"):
        rows = sorted(c["nginx_statuses"].items())
        out.append(table("nginx's answers by source address and status", ["source status", "requests"], rows))
    return out


def server_table(log_path, workers):
    """Odoo's own time per request, from the last two figures of its HTTP workers' (werkzeug) log lines."""
    routes = {"/webhook/zoom-meeting": [], "/queue_job/runjob": [], "/jsonrpc": []}
    for line in log_path.read_text(errors="replace").splitlines():
        if " werkzeug: " not in line:
            continue  # the gevent server logs no SQL and Python time
        route = next((route for route in routes if f" {route}" in line), None)
        fields = line.split()
        if route and len(fields) > 3:
            try:
                routes[route].append((float(fields[-2]) + float(fields[-1])) * 1000)
            except ValueError:
                continue
    return table(
        f"Odoo's own time per request in its {workers} HTTP workers (their log: SQL + Python, ms)",
        ["route", "requests", "p50 ms", "p95 ms"],
        [[route, len(ms), percentile(ms, 0.5), percentile(ms, 0.95)] for route, ms in routes.items()],
    )


def target_rows(results):
    rows = []
    for r in results.get("registrants", []):
        if r["who"].startswith("addon"):
            ok = r["ratio"] is not None and r["ratio"] <= 1.15 and r["lost"] == 0
            rows.append(
                [f"sync N={r['n']}: wall <= 1.15x bound, 0 lost", f"{fmt(r['ratio'])}x, lost {r['lost']}", ok]
            )
    if "burst" in results:
        rows.append(
            ["<= 2 updates for 20 edits", results["burst"]["updates"], results["burst"]["updates"] <= 2]
        )
    for phase, w in results.get("webhooks", {}).items():
        if phase == "burst":
            bursts = ", ".join(fmt(p99, 1) for p99 in w.get("burst_p99_ms") or [])
            rows.append(
                [
                    "webhook p99 < 100 ms at 100 concurrent",
                    f"{fmt(w['p99_ms'], 1)} ms over {w['deliveries']} (each burst: {bursts})",
                    w["p99_ms"] < 100,
                ]
            )
        elif phase == "stream":
            rows.append([">= 200 deliveries/s sustained", fmt(w["per_second"], 1), w["per_second"] >= 200])
        rows.append(
            [
                f"webhooks ({phase}): 0 lost, 0 processed twice",
                f"lost {w['lost']}, twice {w['processed_twice']}",
                w["lost"] == 0 and not w["processed_twice"],
            ]
        )
    for name, label in (("attack", "under attack"), ("attack-allowlist", "under attack, allow-list")):
        if name not in results.get("cluster", {}):
            continue
        quiet, attacked = results["cluster"][name]["quiet"], results["cluster"][name]["under attack"]
        rows.append(
            [
                f"{label}: genuine p99 < 2x quiet",
                f"{fmt(attacked['p99_ms'], 1)} ms vs {fmt(quiet['p99_ms'], 1)} ms "
                f"({fmt(attacked['p99_ratio'])}x)",
                attacked["p99_ratio"] < 2,
            ]
        )
        rows.append(
            [
                f"{label}: 0 genuine lost, 0 attacker rows",
                f"lost {attacked['lost']}, attacker rows {attacked['attacker_rows']}",
                attacked["lost"] == 0 and attacked["attacker_rows"] == 0,
            ]
        )
    rows += cluster_target_rows(results.get("cluster", {}))
    if "reconciliation" in results:
        r = results["reconciliation"]
        rows.append(["reconciliation <= 1.05x read bound", f"{fmt(r['ratio'])}x", r["ratio"] <= 1.05])
    if "save" in results:
        s = results["save"]
        rows.append(
            ["save overhead < 1.25x (create)", f"{fmt(s['create_ratio'])}x", s["create_ratio"] < 1.25]
        )
        rows.append(["save overhead < 1.25x (edit)", f"{fmt(s['write_ratio'])}x", s["write_ratio"] < 1.25])
    return rows


def plots(results):
    if "registrants" in results:
        rows = [r for r in results["registrants"] if r["who"].startswith("addon")]
        naive = {r["n"]: r for r in results["registrants"] if r["who"].startswith("naive")}
        bar_chart(
            RESULTS / "registrant_sync.svg",
            f"Registrant sync, plan {results['plan']}",
            "s",
            [f"N = {r['n']}" for r in rows],
            [
                ("rate-limit bound", [r["bound_s"] for r in rows]),
                ("addon, batches of 30", [r["wall_s"] for r in rows]),
                ("one call per registrant", [naive[r["n"]]["wall_s"] for r in rows]),
            ],
        )
    if "webhooks" in results:
        phases = list(results["webhooks"])
        bar_chart(
            RESULTS / "webhook_latency.svg",
            "Webhook acknowledgement latency",
            "ms",
            phases,
            [
                (name, [results["webhooks"][p][f"{name}_ms"] for p in phases])
                for name in ("p50", "p95", "p99")
            ],
        )
    if "save" in results:
        times = results["save"]["times"]
        bar_chart(
            RESULTS / "save_cost.svg",
            "Saving a training over RPC (median)",
            "ms",
            ["create", "write"],
            [
                (f"Zoom {label}", [times[f"create {c}"]["median_ms"], times[f"write {c}"]["median_ms"]])
                for label, c in (("off", "none"), ("on", "meeting"))
            ],
        )


def main():
    settings = Settings()
    wanted = set(env("BENCH_SCENARIOS", ALL).split(","))
    started = time.perf_counter()
    results = run(settings, wanted)
    results["minutes"] = (time.perf_counter() - started) / 60
    rendered = tables(results)
    for text, _markdown in rendered:
        print(text)
    servers = []
    if set(SINGLE.split(",")) & wanted:
        servers.append(f"one Odoo with {results['workers']} workers")
    if "cluster" in results:
        servers.append(
            f"two behind nginx with {results['cluster']['workers']} workers each "
            f"(plan `{results['cluster']['plan']}`)"
        )
    header = (
        f"Plan `{results['plan']}`, {', then '.join(servers)}; {results['minutes']:.1f} min, "
        "load average at start "
        f"{results['load_start']}, at end {results['load_end']} (1, 5, 15 min; 2 cores)."
    )
    print(f"\n{header}")
    (RESULTS / "summary.md").write_text(header + "\n\n" + "\n\n".join(md for _text, md in rendered) + "\n")
    cluster_results = results.get("cluster", {})
    phases = [*results.get("webhooks", {}).values(), cluster_results.get("webhooks10x", {})]
    for name in ("attack", "attack-allowlist"):
        phases += cluster_results.get(name, {}).values()
    for phase in phases:
        phase.pop("latencies", None)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2, default=str))
    plots(results)
    say(f"tables in {RESULTS}/summary.md, plots *.svg, figures results.json")


if __name__ == "__main__":
    main()
