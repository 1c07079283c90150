"""Scale-out scenarios (issue 21): two Odoo servers behind nginx on one database, ten times the load.

Each runs against `Stack(settings.as_cluster())` and measures through nginx (bench/nginx.py, configured with
docs/nginx/zoom_training.conf), beside the single-server figures of the same `make bench` run.
"""

import uuid

import webhooks
from clients import Odoo, Sandbox
from helpers import load_average
from stack import Stack, say

ATTACKER_SOURCE = "127.0.0.2"  # the genuine sender stays on 127.0.0.1: nginx limits per source address
CLUSTER = "attack,attack-allowlist,webhooks10x"


def run(settings, wanted, prepare):
    cluster = settings.as_cluster()
    results = {"load_start": load_average(), "workers": cluster.workers, "plan": cluster.plan}
    with Stack(cluster) as stack:
        odoo = Odoo(cluster.front_url, cluster.db)
        sandbox = Sandbox(cluster.sandbox_url)
        prepare(odoo, cluster.plan)
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
            results["webhooks10x"] = webhooks.wide_burst(odoo, webhook_url, burst)
        results["nginx_statuses"] = nginx_statuses(stack)
        del sandbox
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
