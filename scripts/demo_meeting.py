"""Run by `make run` once Odoo serves: the demo training "Forklift safety" happens in the Zoom sandbox.

Usage: python scripts/demo_meeting.py ODOO_CONF DB SANDBOX_URL (with Odoo's source on sys.path).

Nothing here writes to Odoo: Odoo's queue_job runner pushes the demo meeting and its registrants to the
sandbox, the sandbox runs the meeting (participants join with their personal links, leave, the host ends
it, the cloud recording completes) and posts Zoom's webhooks to Odoo, whose jobs record the status,
attendance and recording. This script only waits for each step and prints what Odoo ends with.
The run lasts 8 minutes of the sandbox's clock, set 4 minutes back at the start, so every webhook's
timestamp stays within the 300 seconds Odoo tolerates; the clock is set right again before the recording.
"""

import sys
import time
from datetime import datetime, timedelta, timezone

import requests

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

TRAINING = "zoom_training.demo_training_finished"
ALICE = "zoom_training.demo_registration_finished_alice"
JOEL = "zoom_training.demo_registration_finished_portal"
BRUNO = "zoom_training.demo_registration_finished_bruno"
TIMEOUT = 10


class DemoError(Exception):
    pass


class Sandbox:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def post(self, path, body=None):
        answer = requests.post(f"{self.url}/_sandbox{path}", json=body or {}, timeout=TIMEOUT)
        if answer.status_code != 200:
            raise DemoError(f"the sandbox refused {path}: {answer.text}")
        return answer.json()

    def advance(self, minutes):
        self.post("/clock", {"advance": minutes * 60})

    def set_clock(self, moment):
        self.post("/clock", {"set": moment.isoformat()})

    def undelivered(self):
        hooks = requests.get(f"{self.url}/_sandbox/webhooks", timeout=TIMEOUT).json()
        delivered = sum(1 for attempt in hooks["deliveries"] if 200 <= (attempt["status"] or 0) < 300)
        return len(hooks["events"]) - delivered


def wait_for(what, check, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    raise DemoError(f"gave up waiting for {what} after {seconds} s (see .run/odoo.log)")


def read(db, function):
    """`function(env)` on a fresh cursor, so each poll sees what Odoo's workers committed since."""
    with Registry(db).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}))


def demo_state(env):
    training = env.ref(TRAINING, raise_if_not_found=False)
    if not training:
        return None
    meeting = training.zoom_meeting_id
    links = {xmlid: env.ref(xmlid).zoom_join_url for xmlid in (ALICE, JOEL, BRUNO)}
    return {"zoom_id": meeting.zoom_id, "status": meeting.zoom_status, "links": links}


def ready_to_run(db):
    state = read(db, demo_state)
    return state if state["zoom_id"] and all(state["links"].values()) else None


def run_meeting(sandbox, zoom_id, links):
    """Alice and Joel attend (Joel drops out for a minute), Bruno comes halfway, Chloé never comes,
    someone joins from a phone under a name alone; the host ends after 8 minutes."""
    path = f"/meetings/{zoom_id}"
    sandbox.set_clock(datetime.now(timezone.utc) - timedelta(minutes=4))
    sandbox.post(f"{path}/start")
    sandbox.post(f"{path}/join", {"name": "Alice Martin", "join_url": links[ALICE]})
    joel = sandbox.post(f"{path}/join", {"name": "Joel Willis", "join_url": links[JOEL]})
    sandbox.advance(2)
    sandbox.post(f"{path}/leave", {"user_id": joel["user_id"], "reason": "left the meeting"})
    sandbox.advance(1)
    sandbox.post(f"{path}/join", {"name": "Joel Willis", "join_url": links[JOEL]})
    sandbox.advance(1)
    sandbox.post(f"{path}/join", {"name": "Bruno Costa", "join_url": links[BRUNO]})
    sandbox.advance(1)
    sandbox.post(f"{path}/join", {"name": "Phone user"})
    sandbox.advance(3)
    sandbox.post(f"{path}/end")
    wait_for("Odoo to acknowledge the meeting's webhooks", lambda: sandbox.undelivered() == 0, 60)
    sandbox.set_clock(datetime.now(timezone.utc))
    sandbox.post(f"{path}/recording")


def outcome(env):
    training = env.ref(TRAINING)
    meeting = training.zoom_meeting_id
    pending = env["zoom.webhook.event"].search_count([("state", "=", "received")])
    files = meeting.zoom_recording_ids.file_ids
    if meeting.zoom_status != "ended" or pending or not files or not all(files.mapped("attachment_id")):
        return None
    people = training.registration_ids.sorted("name")
    return (
        ", ".join(
            f"{person.name} {person.zoom_attended_minutes:.0f} min ({dict(person._fields['state'].selection)[person.state]})"
            for person in people
        )
        + f"; recording: {len(files)} files"
    )


def main(conf, db, sandbox_url):
    config.parse_config(["-c", conf, "--log-level=warn", "--logfile="])
    state = read(db, demo_state)
    if state is None:
        return  # a database without demo data
    if state["status"] == "ended":
        sys.stdout.write("zoom_training: the demo training Forklift safety has already taken place.\n")
        return
    try:
        state = wait_for("the demo meeting and its registrants in the sandbox", lambda: ready_to_run(db))
        run_meeting(Sandbox(sandbox_url), state["zoom_id"], state["links"])
        summary = wait_for("Odoo to record attendance and the recording", lambda: read(db, outcome))
    except (DemoError, requests.RequestException) as error:
        sys.stdout.write(f"zoom_training: the demo meeting could not be run: {error}\n")
        return
    sys.stdout.write(
        f"zoom_training: the demo training Forklift safety took place in the sandbox: {summary}\n"
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
