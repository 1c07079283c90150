"""The sandbox against Zoom's official OpenAPI specs.

One embedded sandbox is driven through real HTTP over every operation of CONTRACT §2.1 (successes and
the documented errors) and through a meeting's and a webinar's life; then every entry of its request
log and every webhook it delivered is validated against the specs (see ``contract.py``).
"""

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
import requests

from .. import ZoomSandbox
from ..clock import format_utc
from ..operations import OPERATIONS as SERVED
from .contract import (
    SECTION_2_1,
    SERVER_PREFIX,
    UnknownOperation,
    load_contract,
    raise_for,
)

pytestmark = pytest.mark.usefixtures("zoom_specs")

SECRET = "sim_webhook_secret_token"
CLIENT_ID, CLIENT_SECRET, ACCOUNT_ID = "sim_client_id", "sim_client_secret", "sim_account_id"
HOST, BASIC_USER = "host@example.com", "basic@example.com"
TIMEOUT = 10
UNKNOWN_ID = 12345678901

# CONTRACT §5.2: the type of `payload.object.id` per event.
OBJECT_ID_TYPES = {
    "meeting.created": int,
    "meeting.updated": int,
    "meeting.deleted": int,
    "meeting.started": str,
    "meeting.ended": str,
    "meeting.participant_joined": str,
    "meeting.participant_left": str,
    "meeting.registration_created": int,
    "meeting.registration_approved": int,
    "meeting.registration_cancelled": int,
    "meeting.registration_denied": int,
    "webinar.created": int,
    "webinar.updated": int,
    "webinar.deleted": int,
    "webinar.started": str,
    "webinar.ended": str,
    "webinar.participant_joined": str,
    "webinar.participant_left": str,
    "webinar.registration_created": int,
    "webinar.registration_approved": int,
    "webinar.registration_cancelled": int,
    "webinar.registration_denied": int,
    "recording.completed": int,
}
JSON_TYPES = {int: "integer", str: "string"}

# The error cases of the issue, each as (operationId, HTTP status, Zoom code); code None = any.
DOCUMENTED_ERRORS = {
    ("meeting", 404, 3001),
    ("meetingCreate", 404, 1001),
    ("user", 404, 1001),
    ("meetingCreate", 400, 300),
    ("addBatchRegistrants", 400, 303),
    ("webinarCreate", 400, 200),
    ("webinarRegistrantCreate", 400, 3027),
    ("meeting", 401, 124),
    ("meetingRegistrantCreate", 429, None),
    ("meetingUpdate", 429, None),
}


# --- a webhook receiver ----------------------------------------------------------------------------------


@dataclass
class Delivery:
    path: str
    headers: dict
    raw: bytes

    @property
    def payload(self):
        return json.loads(self.raw)


class _ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        delivery = Delivery(self.path, {name.lower(): value for name, value in self.headers.items()}, raw)
        self.server.deliveries.append(delivery)
        answer = b""
        if delivery.payload.get("event") == "endpoint.url_validation":
            plain = delivery.payload["payload"]["plainToken"]
            encrypted = hmac.new(SECRET.encode(), plain.encode(), hashlib.sha256).hexdigest()
            answer = json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ReceiverHandler)
    server.deliveries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sandbox(receiver):
    url = f"http://127.0.0.1:{receiver.server_port}"
    with ZoomSandbox(
        account_id=ACCOUNT_ID,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        webhook_secret=SECRET,
        webhook_url=url + "/meeting",
        webinar_webhook_url=url + "/webinar",
        users=[(HOST, "licensed", True), (BASIC_USER, "basic", False)],
        rate_limits=False,
        seed=20261124,
    ) as running:
        yield running


# --- driving the sandbox ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    """Calls the sandbox like a client; a call answered otherwise than documented is a surprise."""

    sandbox: ZoomSandbox
    session: requests.Session = field(default_factory=requests.Session)
    surprises: list = field(default_factory=list)
    ids: dict = field(default_factory=dict)

    def authenticate(self):
        response = requests.post(
            self.sandbox.oauth_url,
            params={"grant_type": "account_credentials", "account_id": ACCOUNT_ID},
            auth=(CLIENT_ID, CLIENT_SECRET),
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        self.session.headers["Authorization"] = "Bearer " + response.json()["access_token"]

    def call(self, method, path, expect, **kwargs):
        response = self.session.request(method, self.sandbox.api_base + path, timeout=TIMEOUT, **kwargs)
        expected = expect if isinstance(expect, tuple) else (expect,)
        if response.status_code not in expected:
            self.surprises.append(
                f"{method} {path}: expected {expect}, got {response.status_code} {response.text}"
            )
        return response.json() if response.content else None

    def probe(self, method, path, **kwargs):
        """A call the spec forbids: what the sandbox answers is judged by the contract tests alone."""
        self.session.request(method, self.sandbox.api_base + path, timeout=TIMEOUT, **kwargs)

    def expect_error(self, method, path, status, code, **kwargs):
        body = self.call(method, path, status, **kwargs)
        if not isinstance(body, dict) or body.get("code") != code:
            self.surprises.append(f"{method} {path}: expected code {code}, got {body}")

    def later(self, **delta):
        return format_utc(self.sandbox.clock.now() + timedelta(**delta))

    def run(self, *steps):
        self.authenticate()
        for step in steps:
            try:
                step(self)
            except Exception as error:  # one broken step must not hide the others
                self.surprises.append(f"step {step.__name__} raised {error!r}")


def users(s):
    s.call("GET", f"/users/{HOST}", 200)
    s.call("GET", f"/users/{HOST}/settings", 200)
    s.call("GET", f"/users/{HOST}/settings", 200, params={"option": "meeting_security"})
    s.expect_error("GET", "/users/nobody@example.com", 404, 1001)


def meetings(s):
    settings = {"approval_type": 0, "registration_type": 1, "registrants_email_notification": True}
    body = {"topic": "Odoo training", "type": 2, "start_time": s.later(days=1), "duration": 60}
    created = s.call("POST", f"/users/{HOST}/meetings", 201, json={**body, "settings": settings})
    s.ids["meeting"] = meeting_id = created["id"]
    local = {**body, "start_time": s.later(days=2)[:-1], "timezone": "Europe/Brussels"}
    s.ids["local"] = s.call("POST", f"/users/{HOST}/meetings", 201, json=local)["id"]
    recurring = {**body, "type": 8, "recurrence": {"type": 1, "repeat_interval": 1, "end_times": 3}}
    s.ids["recurring"] = s.call(
        "POST", f"/users/{HOST}/meetings", 201, json={**recurring, "settings": settings}
    )["id"]
    s.call("GET", f"/meetings/{meeting_id}", 200)
    s.call("GET", f"/meetings/{s.ids['recurring']}", 200, params={"show_previous_occurrences": "true"})
    s.call("PATCH", f"/meetings/{meeting_id}", 204, json={"topic": "Odoo training (updated)", "duration": 90})
    s.expect_error("GET", f"/meetings/{UNKNOWN_ID}", 404, 3001)
    s.expect_error("POST", "/users/nobody@example.com/meetings", 404, 1001, json=body)
    s.expect_error("POST", f"/users/{HOST}/meetings", 400, 300, json={**body, "duration": "long"})


def meeting_registrants(s):
    meeting_id = s.ids["meeting"]
    base = f"/meetings/{meeting_id}/registrants"
    jill = s.call(
        "POST",
        base,
        201,
        json={"email": "jill@example.com", "first_name": "Jill", "last_name": "Chill", "language": "fr-FR"},
    )
    s.ids["jill"] = jill
    jack = s.call("POST", base, 201, json={"email": "jack@example.com", "first_name": "Jack"})
    s.call("GET", base, 200)
    s.call("GET", base, 200, params={"status": "approved", "page_size": 1})
    s.call("GET", f"{base}/{jill['registrant_id']}", 200)
    cancel = {"action": "cancel", "registrants": [{"id": jack["registrant_id"], "email": "jack@example.com"}]}
    s.call("PUT", f"{base}/status", 204, json=cancel)
    s.call("PUT", f"{base}/status", 204, json={**cancel, "action": "approve"})
    joe = s.call("POST", base, 201, json={"email": "joe@example.com", "first_name": "Joe"})
    deny = {"action": "deny", "registrants": [{"id": joe["registrant_id"], "email": "joe@example.com"}]}
    s.call("PUT", f"{base}/status", 204, json=deny)
    s.call("DELETE", f"{base}/{jack['registrant_id']}", 204)
    s.expect_error("GET", f"/meetings/{UNKNOWN_ID}/registrants", 404, 3001)


def batch_registrants(s):
    people = [{"email": f"batch{n}@example.com", "first_name": f"Batch {n}"} for n in range(3)]
    body = {"auto_approve": True, "registrants_confirmation_email": False, "registrants": people}
    s.call("POST", f"/meetings/{s.ids['meeting']}/batch_registrants", (200, 201), json=body)
    s.expect_error("POST", f"/meetings/{s.ids['recurring']}/batch_registrants", 400, 303, json=body)


def rate_limits_and_tokens(s):
    base = f"/meetings/{s.ids['meeting']}/registrants"
    person = {"email": "eager@example.com", "first_name": "Eager"}
    s.sandbox.limits.enabled = True
    try:
        for _attempt in range(s.sandbox.limits.registrant_add_daily_limit):
            s.call("POST", base, 201, json=person)
        body = s.call("POST", base, 429, json=person)
    finally:
        s.sandbox.limits.enabled = False
    if not isinstance(body, dict) or not isinstance(body.get("code"), int):
        s.surprises.append(f"429 without a Zoom error body: {body}")
    s.sandbox.faults.storm_429(1, operation="meetingUpdate")
    s.call("PATCH", f"/meetings/{s.ids['meeting']}", 429, json={"agenda": "Too fast"})
    response = requests.get(
        f"{s.sandbox.api_base}/meetings/{s.ids['meeting']}",
        headers={"Authorization": "Bearer not-a-token"},
        timeout=TIMEOUT,
    )
    if (response.status_code, response.json().get("code")) != (401, 124):
        s.surprises.append(f"a bad token got {response.status_code} {response.text}")


def multi_day_course(s):
    """A three-day course: a daily series registered once for all days, each day its own run."""
    settings = {"approval_type": 0, "registration_type": 1}
    body = {
        "topic": "Three-day course",
        "type": 8,
        "start_time": s.later(days=3)[:-1],
        "timezone": "Europe/Brussels",
        "duration": 480,
        "recurrence": {"type": 1, "repeat_interval": 1, "end_times": 3},
        "settings": settings,
    }
    course = s.call("POST", f"/users/{HOST}/meetings", 201, json=body)
    until = {"type": 1, "repeat_interval": 1, "end_date_time": s.later(days=5)}
    s.call("POST", f"/users/{HOST}/meetings", 201, json={**body, "recurrence": until})
    trainee = s.call(
        "POST",
        f"/meetings/{course['id']}/registrants",
        201,
        json={"email": "day@example.com", "first_name": "Day"},
    )
    for _day in range(2):
        s.sandbox.start_meeting(course["id"])
        s.sandbox.join(course["id"], "Day", "day@example.com", join_url=trainee["join_url"])
        s.sandbox.end_meeting(course["id"])
    s.call("GET", f"/meetings/{course['id']}", 200)
    s.call("GET", f"/past_meetings/{course['id']}", 200)


def double_encoded(uuid):
    """CONTRACT §2: a uuid that starts with `/` or holds `//` is encoded twice in a path."""
    return quote(quote(uuid, safe=""), safe="")


def meeting_life(s):
    meeting_id, jill = s.ids["meeting"], s.ids["jill"]
    s.sandbox.start_meeting(meeting_id)
    attendee = s.sandbox.join(
        meeting_id,
        "Jill Chill",
        "jill@example.com",
        registrant_id=jill["registrant_id"],
        join_url=jill["join_url"],
    )
    s.sandbox.join(meeting_id, "Walk-in", "walkin@example.com")
    s.sandbox.leave(meeting_id, attendee)
    s.sandbox.end_meeting(meeting_id)
    s.sandbox.complete_recording(meeting_id)
    s.call("GET", f"/past_meetings/{meeting_id}", 200)
    s.call("GET", f"/past_meetings/{meeting_id}/participants", 200, params={"page_size": 300})
    s.call(
        "GET", f"/report/meetings/{meeting_id}/participants", 200, params={"include_fields": "registrant_id"}
    )
    s.call(
        "GET", f"/meetings/{meeting_id}/recordings", 200, params={"include_fields": "download_access_token"}
    )
    s.call("DELETE", f"/meetings/{meeting_id}/recordings", 204, params={"action": "trash"})
    s.expect_error("GET", f"/meetings/{meeting_id}/recordings", 404, 3301)


def slashed_instance(s):
    """A past run whose uuid holds a `/`, addressed double-encoded (runs alternate such uuids)."""
    meeting_id = s.ids["meeting"]
    for _run in range(4):
        uuid = s.call("GET", f"/past_meetings/{meeting_id}", 200)["uuid"]
        if "/" in uuid:
            break
        s.sandbox.start_meeting(meeting_id)
        s.sandbox.join(meeting_id, "Solo", "solo@example.com")
        s.sandbox.end_meeting(meeting_id)
    else:
        raise AssertionError("no run of the meeting got a uuid with a slash")
    s.call("GET", f"/past_meetings/{double_encoded(uuid)}", 200)
    s.call("GET", f"/past_meetings/{double_encoded(uuid)}/participants", 200)


def meeting_status_and_delete(s):
    local = s.ids["local"]
    s.sandbox.start_meeting(local)
    s.call("PUT", f"/meetings/{local}/status", 204, json={"action": "end"})
    s.call("DELETE", f"/meetings/{local}", 204)
    s.expect_error("GET", f"/meetings/{local}", 404, 3001)
    s.call("DELETE", f"/meetings/{s.ids['recurring']}", 204, params={"cancel_meeting_reminder": "true"})


def webinars(s):
    settings = {"approval_type": 0, "registrants_email_notification": True, "practice_session": False}
    body = {"topic": "Odoo webinar", "type": 5, "start_time": s.later(days=3), "duration": 60}
    created = s.call("POST", f"/users/{HOST}/webinars", 201, json={**body, "settings": settings})
    s.ids["webinar"] = webinar_id = created["id"]
    s.ids["webinar_host_id"] = created.get("host_id")
    s.ids["doomed"] = s.call("POST", f"/users/{HOST}/webinars", 201, json=body)["id"]
    s.call("GET", f"/webinars/{webinar_id}", 200)
    s.call("PATCH", f"/webinars/{webinar_id}", 204, json={"agenda": "What is new", "duration": 75})
    s.expect_error("POST", f"/users/{BASIC_USER}/webinars", 400, 200, json=body)
    s.expect_error("GET", f"/webinars/{UNKNOWN_ID}", 404, 3001)


def webinar_registrants(s):
    base = f"/webinars/{s.ids['webinar']}/registrants"
    anna = s.call(
        "POST", base, 201, json={"email": "anna@example.com", "first_name": "Anna", "last_name": "Lyst"}
    )
    s.ids["anna"] = anna
    bob = s.call("POST", base, 201, json={"email": "bob@example.com", "first_name": "Bob"})
    s.call("GET", base, 200, params={"page_size": 300})
    s.call("GET", f"{base}/{anna['registrant_id']}", 200)
    deny = {"action": "deny", "registrants": [{"id": bob["registrant_id"], "email": "bob@example.com"}]}
    s.call("PUT", f"{base}/status", 204, json=deny)
    s.call("PUT", f"{base}/status", 204, json={**deny, "action": "approve"})
    s.call("PUT", f"{base}/status", 204, json={**deny, "action": "cancel"})
    s.call("DELETE", f"{base}/{bob['registrant_id']}", 204)
    s.expect_error("POST", base, 400, 3027, json={"email": HOST, "first_name": "Host"})
    people = [{"email": f"wbatch{n}@example.com", "first_name": f"Batch {n}"} for n in range(2)]
    s.call(
        "POST", f"/webinars/{s.ids['webinar']}/batch_registrants", (200, 201), json={"registrants": people}
    )


def panelists(s):
    base = f"/webinars/{s.ids['webinar']}/panelists"
    panel = [
        {"email": "pat@example.com", "name": "Pat Panel"},
        {"email": "sam@example.com", "name": "Sam Panel"},
    ]
    s.call("POST", base, 201, json={"panelists": panel})
    listed = s.call("GET", base, 200)
    s.call("DELETE", f"{base}/{listed['panelists'][0]['id']}", 204)
    s.call("DELETE", f"{base}/sam@example.com", 204)
    s.call("POST", base, 201, json={"panelists": panel[:1]})
    s.call("DELETE", base, 204)


def webinar_life(s):
    webinar_id, anna = s.ids["webinar"], s.ids["anna"]
    s.sandbox.start_meeting(webinar_id)
    attendee = s.sandbox.join(
        webinar_id,
        "Anna Lyst",
        "anna@example.com",
        registrant_id=anna["registrant_id"],
        join_url=anna["join_url"],
    )
    s.sandbox.join(webinar_id, "Guest", "guest@example.com")
    s.sandbox.leave(webinar_id, attendee)
    s.call("PUT", f"/webinars/{webinar_id}/status", 204, json={"action": "end"})
    s.call("GET", f"/past_webinars/{webinar_id}/participants", 200)
    s.call("GET", f"/report/webinars/{webinar_id}/participants", 200, params={"page_size": 30})
    s.call("DELETE", f"/webinars/{s.ids['doomed']}", 204)


def spec_edges(s):
    """Bodies that break the spec's request schemas (Zoom: 400 code 300), one per schema part."""
    meeting, webinar = f"/meetings/{s.ids['meeting']}", f"/webinars/{s.ids['webinar']}"
    session = {"topic": "Edge", "start_time": s.later(days=5), "duration": 30}
    person = {"email": "edge@example.com", "first_name": "Edge"}
    probes = (
        ("POST", f"/users/{HOST}/meetings", {**session, "settings": {"show_share_button": "yes"}}),
        (
            "POST",
            f"/users/{HOST}/meetings",
            {**session, "settings": {"waiting_room_options": {"mode": "maybe"}}},
        ),
        ("PATCH", meeting, {"settings": {"email_notification": "yes"}}),
        ("POST", f"{meeting}/registrants", {**person, "language": "xx-XX"}),
        ("POST", f"{meeting}/registrants", {**person, "no_of_employees": "lots"}),
        (
            "POST",
            f"/users/{HOST}/webinars",
            {**session, "settings": {"question_and_answer": {"enable": "yes"}}},
        ),
        ("PATCH", webinar, {"settings": {"hd_video": "yes"}}),
        ("POST", f"{webinar}/registrants", {**person, "purchasing_time_frame": "someday"}),
    )
    for method, path, body in probes:
        s.probe(method, path, json=body)


GHOST = {"email": "ghost@example.com", "first_name": "Ghost"}
# A valid body per operation, so that the unknown id is the only thing wrong with the call.
VALID_BODIES = {
    "meetingCreate": {"topic": "Ghost", "type": 2},
    "meetingUpdate": {"topic": "Ghost"},
    "meetingStatus": {"action": "end"},
    "meetingRegistrantCreate": GHOST,
    "meetingRegistrantStatus": {"action": "approve", "registrants": [{"id": "nobody"}]},
    "addBatchRegistrants": {"registrants": [GHOST]},
    "webinarCreate": {"topic": "Ghost", "type": 5},
    "webinarUpdate": {"topic": "Ghost"},
    "webinarStatus": {"action": "end"},
    "webinarRegistrantCreate": GHOST,
    "webinarRegistrantStatus": {"action": "approve", "registrants": [{"id": "nobody"}]},
    "addBatchWebinarRegistrants": {"registrants": [GHOST]},
    "webinarPanelistCreate": {"panelists": [{"email": "ghost@example.com", "name": "Ghost"}]},
}


def unknown_ids(s):
    """Every §2.1 operation on a user, meeting or webinar that does not exist, and every registrant or
    panelist operation on an unknown registrant or panelist of an existing one."""
    unknown = {"userId": "nobody@example.com", "registrantId": "nobody", "panelistId": "nobody"}
    for method, template, operation_id in SECTION_2_1:
        body = VALID_BODIES.get(operation_id)
        s.probe(method, template.format(**unknown, meetingId=UNKNOWN_ID, webinarId=UNKNOWN_ID), json=body)
        if "{registrantId}" in template or "{panelistId}" in template:
            known = template.format(**unknown, meetingId=s.ids["meeting"], webinarId=s.ids["webinar"])
            s.probe(method, known, json=body)


def edge_answers(s):
    """Answers CONTRACT and the sandbox README document for the edges: paging, limits, plans."""
    meeting, local = f"/meetings/{s.ids['meeting']}", f"/meetings/{s.ids['local']}"
    first = s.call("GET", f"{meeting}/registrants", 200, params={"page_size": 2})
    s.call("GET", f"{meeting}/registrants", 200, params={"next_page_token": first["next_page_token"]})
    s.probe("GET", f"{meeting}/registrants", params={"next_page_token": "not-a-token"})
    crowd = [{"email": f"crowd{n}@example.com", "first_name": "Crowd"} for n in range(31)]
    s.probe("POST", f"{meeting}/batch_registrants", json={"registrants": crowd})
    s.probe("POST", f"{local}/registrants", json={"email": "closed@example.com", "first_name": "Closed"})
    basic = s.call(
        "POST",
        f"/users/{BASIC_USER}/meetings",
        201,
        json={"topic": "Basic", "settings": {"approval_type": 0}},
    )
    s.probe(
        "POST",
        f"/meetings/{basic['id']}/registrants",
        json={"email": "paid@example.com", "first_name": "Paid"},
    )
    s.sandbox.batch_success_status = 200
    try:
        people = {"registrants": [{"email": "late@example.com", "first_name": "Late"}]}
        s.call("POST", f"/webinars/{s.ids['webinar']}/batch_registrants", 200, json=people)
    finally:
        s.sandbox.batch_success_status = 201


def listings(s):
    """The host's lists (served beyond §2.1): held to the specs like every other answer."""
    s.call("GET", f"/users/{HOST}/meetings", 200, params={"type": "upcoming", "page_size": 2})
    s.call("GET", f"/users/{HOST}/meetings", 200, params={"type": "scheduled", "from": s.later(days=-1)[:10]})
    s.call("GET", f"/users/{HOST}/webinars", 200)
    s.expect_error("GET", "/users/nobody@example.com/meetings", 404, 1001)
    s.expect_error("GET", f"/users/{BASIC_USER}/webinars", 400, 200)


def url_validation(s):
    result = s.sandbox.webhooks.validate_url()
    if not result.ok:
        s.surprises.append(f"the receiver's URL validation failed: {result}")


@dataclass
class Run:
    entries: list
    deliveries: list
    emitted: list
    surprises: list


@pytest.fixture(scope="module")
def run(sandbox, receiver):
    scenario = Scenario(sandbox)
    scenario.run(
        users,
        meetings,
        meeting_registrants,
        batch_registrants,
        rate_limits_and_tokens,
        meeting_life,
        multi_day_course,
        slashed_instance,
        meeting_status_and_delete,
        webinars,
        webinar_registrants,
        panelists,
        spec_edges,
        unknown_ids,
        edge_answers,
        listings,
        webinar_life,
        url_validation,
    )
    sandbox.webhooks.wait_idle(timeout=10)
    api_entries = [entry for entry in sandbox.requests.entries if entry.path.startswith(SERVER_PREFIX + "/")]
    return Run(api_entries, list(receiver.deliveries), list(sandbox.webhooks.events), scenario.surprises)


@pytest.fixture(scope="module")
def contract():
    return load_contract()


# --- the sandbox behaved as documented -------------------------------------------------------------------


def test_the_scenario_ran_as_documented(run):
    assert not run.surprises, "\n".join(run.surprises)


def operation_id(contract, entry):
    try:
        return contract.match(entry.method, entry.path)[0].operation_id
    except UnknownOperation:
        return None


def test_every_operation_was_validated(run, contract):
    """Each operation of §2.1 and each one the sandbox serves answered at least once with success and
    once with an error, all validated below."""
    answered = {(operation_id(contract, entry), entry.status < 400) for entry in run.entries}
    required = [name for _method, _template, name in SECTION_2_1]
    required += [served.operation_id for served in SERVED if served.operation_id not in required]
    missing = [
        f"{name} ({'success' if success else 'error'})"
        for name in required
        for success in (True, False)
        if (name, success) not in answered
    ]
    assert not missing, f"answers that escaped the contract: {missing}"


def test_the_documented_error_cases_were_exercised(run):
    seen = {
        (entry.operation, entry.status, (entry.response_json or {}).get("code"))
        for entry in run.entries
        if entry.status >= 400
    }
    seen_any_code = {(operation, status, None) for operation, status, _code in seen}
    assert not DOCUMENTED_ERRORS - seen - seen_any_code


# --- requests and responses ------------------------------------------------------------------------------


def test_the_log_names_the_spec_operation(run, contract):
    wrong = []
    for entry in run.entries:
        try:
            operation, _params = contract.match(entry.method, entry.path)
        except UnknownOperation as error:
            wrong.append(str(error))
            continue
        if (entry.operation, entry.template) != (operation.operation_id, operation.template):
            wrong.append(f"{entry.method} {entry.path}: logged {entry.operation} {entry.template}")
    assert not wrong, "\n".join(wrong)


def test_accepted_requests_match_the_spec(run, contract):
    violations = []
    for entry in run.entries:
        if 200 <= entry.status < 300:
            violations += contract.request_violations(
                entry.method, entry.path, entry.query, entry.request_json
            )
    raise_for(violations)


def test_responses_match_the_spec(run, contract):
    violations = []
    for entry in run.entries:
        violations += contract.response_violations(
            entry.method, entry.path, entry.status, entry.response_json, query=entry.query
        )
    raise_for(violations)


# --- webhooks --------------------------------------------------------------------------------------------


def test_webhook_payloads_match_the_catalogue(run, contract):
    assert run.deliveries, "the sandbox delivered no webhook"
    violations = []
    for delivery in run.deliveries:
        violations += contract.webhook_violations(delivery.payload)
    raise_for(violations)


def test_every_emitted_event_was_received_and_validated(run):
    received = sorted(json.dumps(d.payload, sort_keys=True) for d in run.deliveries)
    emitted = sorted(json.dumps(event, sort_keys=True) for event in run.emitted)
    assert len(received) == len(emitted) + 1  # + the URL validation, which is not an event
    assert set(emitted) <= set(received)


def test_the_meeting_life_emitted_its_events(run):
    emitted = {delivery.payload["event"] for delivery in run.deliveries}
    missing = sorted({*OBJECT_ID_TYPES, "endpoint.url_validation"} - emitted)
    assert not missing, f"events never delivered: {missing}"


def test_object_id_types_follow_the_catalogue(run, contract):
    wrong = []
    for delivery in run.deliveries:
        payload = delivery.payload
        expected = OBJECT_ID_TYPES.get(payload["event"])
        if expected and type(payload["payload"]["object"]["id"]) is not expected:
            wrong.append(f"{payload['event']}: object.id {payload['payload']['object']['id']!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("event", sorted(OBJECT_ID_TYPES))
def test_section_5_2_id_types_are_the_catalogue_s(contract, event):
    schema = contract.webhook_schema(event)
    assert (
        schema["properties"]["payload"]["properties"]["object"]["properties"]["id"]["type"]
        == (JSON_TYPES[OBJECT_ID_TYPES[event]])
    )


def test_deliveries_are_signed_over_their_raw_body(run):
    unsigned = []
    for delivery in run.deliveries:
        message = f"v0:{delivery.headers['x-zm-request-timestamp']}:".encode() + delivery.raw
        expected = "v0=" + hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, delivery.headers.get("x-zm-signature", "")):
            unsigned.append(delivery.payload["event"])
    assert not unsigned
