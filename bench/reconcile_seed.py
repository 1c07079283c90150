"""The set-up of `reconcile10x` (bench/reconcile.py), run inside `odoo-bin shell` on the bench's database: M
trainings with Zoom meetings and R registrations, already synced, as the addon's own jobs would have left
them, and the same sessions and registrants in the sandbox.

The set-up is not what is measured, and through Odoo's normal path it takes longer than a run may (2,000
pushes and 2,000 registrant batches behind Zoom's rate limits, 60,000 registrations each with its chatter
message). So, per chunk of trainings, in one transaction:

1. the trainings and registrations are created through the ORM, as a user saves them, with chatter
   tracking and creation messages off (`tracking_disable`, `mail_create_nolog`); the addon's create hooks
   make each training's zoom.meeting row and queue its push and registrant sync, as they always do;
2. what the push would send is the addon's own payload (`_zoom_session_spec`, `build_payload`), and what
   the registrant sync would send is its own registrant values (`_zoom_registrant_values`);
3. the sandbox creates those sessions and registers those people from exactly these bodies
   (`POST /_sandbox/seed`: a create and an approved batch registration, as history: no request log
   entry, rate limit, host quota or webhook);
4. Zoom's answers are recorded by the addon's own code (`_zoom_update_from_answer`,
   `_zoom_store_registrant`), with what the push writes around them (host, synced state);
5. the queued pushes and registrant syncs, whose work is done, are deleted; the chunk is committed.

Usage (bench/reconcile.py does it): RECONCILE_SEED='{"sandbox": URL, "hosts": [user ids], "meetings": M,
"per_meeting": N, "prefix": "rec10x"}' odoo-bin shell -c odoo.conf -d DB < bench/reconcile_seed.py
"""

import json
import os
import time
from datetime import datetime, timedelta, timezone

import requests

from odoo.addons.zoom_training.models.zoom_meeting_registrants import RegistrantPlan
from odoo.addons.zoom_training.utils.payloads import build_payload

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
CHUNK = 100  # trainings per transaction
HOST_CAPACITY = 300  # the sandbox user's meeting capacity, as the push reads it from the host's settings


def seed(env, params):
    started = time.perf_counter()
    session = requests.Session()
    hosts = env["res.users"].browse(params["hosts"])
    total, per = params["meetings"], params["per_meeting"]
    today = datetime.now(timezone.utc).replace(hour=8, minute=0, second=0, microsecond=0, tzinfo=None)
    for first in range(0, total, CHUNK):
        indexes = range(first, min(total, first + CHUNK))
        _chunk(env, session, params, hosts, indexes, per, today)
        env.cr.commit()
        print(f"seeded {indexes.stop} of {total} in {time.perf_counter() - started:.0f} s", flush=True)


def _chunk(env, session, params, hosts, indexes, per, today):
    prefix = params["prefix"]
    last_job = env["queue.job"].search([], order="id desc", limit=1).id
    events = (
        env["event.event"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "name": f"Reconciled training {prefix} {i}",
                    # spread over the next 50 days, within the reconciliation's 60, all to come
                    "date_begin": today + timedelta(days=1 + i % 50, hours=i % 8),
                    "date_end": today + timedelta(days=1 + i % 50, hours=i % 8 + 2),
                    "zoom_conference": "meeting",
                    "user_id": hosts[i % len(hosts)].id,
                    "event_mail_ids": [(5, 0, 0)],
                }
                for i in indexes
            ]
        )
    )
    env["event.registration"].with_context(**QUIET).create(
        [
            {
                "event_id": event.id,
                "name": f"Trainee {k} of {i}",
                "email": f"{prefix}.{i}.{k}@example.com",
                "state": "open",
            }
            for i, event in zip(indexes, events, strict=True)
            for k in range(per)
        ]
    )
    items = []
    for event in events:
        meeting = event.zoom_meeting_id
        spec = meeting._zoom_with_known_cohosts(event, event._zoom_session_spec())
        items.append(
            {
                "host": event._zoom_host_user()._zoom_verified_email(),
                "kind": meeting.kind,
                "body": build_payload(spec),
                "registrants": [meeting._zoom_registrant_values(p) for p in event.registration_ids],
            }
        )
    answer = session.post(f"{params['sandbox']}/_sandbox/seed", json={"sessions": items}, timeout=300)
    answer.raise_for_status()
    for event, item, created in zip(events, items, answer.json()["sessions"], strict=True):
        meeting = event.zoom_meeting_id
        host = event._zoom_host_user()
        meeting.write(
            {
                "host_user_id": host.id,
                "host_email": item["host"],
                "host_capacity": HOST_CAPACITY,
                "update_count": 1,
            }
        )
        meeting._zoom_update_from_answer(created, item["body"])
        meeting.write({"sync_state": "synced", "sync_error": False, "quota_until": False})
        plan = RegistrantPlan()
        for participant in event.registration_ids:
            plan.additions.setdefault(participant._zoom_email(), []).append(participant)
        for row in created["registrants"]:
            meeting._zoom_store_registrant(plan, row)
    env["queue.job"].search([("id", ">", last_job)]).unlink()


seed(env, json.loads(os.environ["RECONCILE_SEED"]))  # noqa: F821 (odoo-bin shell's environment)
