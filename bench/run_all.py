"""`make bench`: the five benchmarks of zoom_training against the Zoom sandbox and a real Odoo server.

Environment: BENCH_PLAN (pro), BENCH_SIZES (300,3000), BENCH_SCENARIOS (registrants,burst,webhooks,
reconciliation,save,attack), BENCH_ODOO_PORT (8569), BENCH_SANDBOX_PORT (8591), BENCH_DB (zt_bench).
`BENCH_SCENARIOS=attack make bench` runs the webhook burst quiet and under attack alone.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # zoom_training, plain Python

import registrants
import sessions
import webhooks
from clients import Odoo, Sandbox
from helpers import load_average, percentile
from report import bar_chart, fmt, table
from stack import RESULTS, Settings, Stack, env, say

ALL = "registrants,burst,webhooks,reconciliation,save,attack"


def run(settings, wanted):
    results = {"plan": settings.plan, "workers": settings.workers, "load_start": load_average()}
    with Stack(settings):
        odoo = Odoo(settings.odoo_url, settings.db)
        sandbox = Sandbox(settings.sandbox_url)
        prepare(odoo, settings.plan)
        if "registrants" in wanted:
            results["registrants"] = registrant_runs(odoo, sandbox, settings.plan)
        if {"burst", "webhooks", "attack"} & wanted:
            results["burst"] = sessions.edit_burst(odoo, sandbox)
        if "webhooks" in wanted:
            servers = {"gevent": settings.gevent_url, "workers": settings.odoo_url}
            results["webhooks"] = webhooks.ingestion(odoo, servers, results["burst"]["zoom_id"])
        if "attack" in wanted:
            url = f"{settings.gevent_url}/webhook/zoom-meeting"
            results["attack"] = webhooks.under_attack(odoo, url, results["burst"]["zoom_id"])
        if "reconciliation" in wanted:
            results["reconciliation"] = sessions.reconciliation(odoo, sandbox)
            results["catch_up"] = sessions.catch_up(odoo, sandbox)
        if "save" in wanted:
            results["save"] = sessions.save_cost(odoo)
    results["load_end"] = load_average()
    return results


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
    if "attack" in results:
        out.append(attack_table(results["attack"]))
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
    out.append(server_table(RESULTS / "run" / "odoo.log", results["workers"]))
    out.append(table("Targets", ["target", "measured", "met"], target_rows(results)))
    return out


def attack_table(attack):
    """6. The genuine burst beside the same burst while an attacker floods the URL."""
    attacker = attack["under attack"]["attacker"]
    answers = ", ".join(f"{n} {status}" for status, n in sorted(attacker["statuses"].items()))
    return table(
        "6. Webhooks under attack: the burst (5 x 100 concurrent, signed) to Odoo's gevent server, quiet "
        f"and while an attacker sends {webhooks.ATTACK_RATE} unsigned requests/s (junk, 768 KB chunked "
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
    if "attack" in results:
        quiet, attacked = results["attack"]["quiet"], results["attack"]["under attack"]
        rows.append(
            [
                "under attack: genuine p99 < 2x quiet",
                f"{fmt(attacked['p99_ms'], 1)} ms vs {fmt(quiet['p99_ms'], 1)} ms "
                f"({fmt(attacked['p99_ratio'])}x)",
                attacked["p99_ratio"] < 2,
            ]
        )
        rows.append(
            [
                "under attack: 0 genuine lost, 0 attacker rows",
                f"lost {attacked['lost']}, attacker rows {attacked['attacker_rows']}",
                attacked["lost"] == 0 and attacked["attacker_rows"] == 0,
            ]
        )
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
    header = (
        f"Plan `{results['plan']}`, Odoo with {results['workers']} workers, {results['minutes']:.1f} min, "
        "load average at start "
        f"{results['load_start']}, at end {results['load_end']} (1, 5, 15 min; 2 cores)."
    )
    print(f"\n{header}")
    (RESULTS / "summary.md").write_text(header + "\n\n" + "\n\n".join(md for _text, md in rendered) + "\n")
    for phase in [*results.get("webhooks", {}).values(), *results.get("attack", {}).values()]:
        phase.pop("latencies", None)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2, default=str))
    plots(results)
    say(f"tables in {RESULTS}/summary.md, plots *.svg, figures results.json")


if __name__ == "__main__":
    main()
