"""Zoom's own webhook examples (its official events spec) through the addon's signature check, envelope
parser and dedupe key, byte for byte as Zoom would send them. The handlers take them in
tests/test_zoom_examples.py."""

import json

import pytest

from zoom_training.sandbox.tests.contract import require_specs, response_example, webhook_examples
from zoom_training.utils.client import ZoomClient
from zoom_training.utils.webhook import compute_signature, normalize_id, parse_envelope, verify

from .scripted_server import Reply
from .test_client_wire import FixedTokenSource

# The events the addon handles (models/zoom_webhook_event.py HANDLERS; app_deauthorized is in no spec here).
HANDLED_EVENTS = [
    f"{kind}.{action}"
    for kind in ("meeting", "webinar")
    for action in (
        "started",
        "ended",
        "participant_joined",
        "participant_left",
        "deleted",
        "updated",
        "registration_approved",
        "registration_cancelled",
        "registration_denied",
    )
] + ["recording.completed"]
# Zoom's catalogue mislabels one example: its body names another event, which is what the addon goes by.
MISNAMED_EXAMPLES = {"webinar.registration_denied": "webinar.registration_created"}
SECRET = "the app's secret token"
NOW = 1_700_000_000


@pytest.fixture(scope="module", autouse=True)
def _zoom_specs():
    require_specs()


def documented(event):
    examples = webhook_examples(event)
    assert examples, f"Zoom's spec gives no example of {event}"
    return examples


@pytest.mark.parametrize("event", HANDLED_EVENTS)
def test_zoom_s_example_is_verified_and_parsed(event):
    for raw in documented(event):
        body = raw.encode()
        verify(SECRET, NOW, body, compute_signature(SECRET, NOW, body), now=NOW)
        sent = json.loads(raw)
        envelope = parse_envelope(body)
        assert (envelope.event, envelope.event_ts) == (MISNAMED_EXAMPLES.get(event, event), sent["event_ts"])
        assert envelope.account_id == sent["payload"]["account_id"]
        assert envelope.object_id == normalize_id(sent["payload"]["object"]["id"]) == "1234567890"
        assert envelope.dedupe_key.startswith(f"{envelope.event}|")
        assert envelope.dedupe_key.endswith(f"|{sent['event_ts']}")


@pytest.mark.parametrize("event", [e for e in HANDLED_EVENTS if "participant" in e or "registration" in e])
def test_the_dedupe_key_of_zoom_s_example_names_the_person(event):
    for raw in documented(event):
        person = json.loads(raw)["payload"]["object"]
        expected = (
            person["participant"]["participant_uuid"]
            if "participant" in person
            else person["registrant"]["id"]
        )
        assert f"|{expected}|" in parse_envelope(raw.encode()).dedupe_key


def test_every_handled_event_is_documented_with_ids_as_strings_and_as_numbers():
    kinds = {
        type(json.loads(raw)["payload"]["object"]["id"]) for e in HANDLED_EVENTS for raw in documented(e)
    }
    assert kinds == {str, int}, "Zoom documents both: the parser must take both"


# Zoom's documented answers of the list endpoints the addon pages through, assembled from the REST specs'
# examples (the first page carries Zoom's example next_page_token, the second ends the list).
LISTS = [
    ("meetingRegistrants", "/meetings/1234567890/registrants", "registrants"),
    ("webinarRegistrants", "/webinars/1234567890/registrants", "registrants"),
    ("pastMeetingParticipants", "/past_meetings/1234567890/participants", "participants"),
    ("listWebinarParticipants", "/past_webinars/1234567890/participants", "participants"),
    ("reportMeetingParticipants", "/report/meetings/1234567890/participants", "participants"),
    ("reportWebinarParticipants", "/report/webinars/1234567890/participants", "participants"),
    ("meetings", "/users/me/meetings", "meetings"),
    ("webinars", "/users/me/webinars", "webinars"),
]


@pytest.mark.parametrize(("operation", "path", "items_key"), LISTS, ids=[row[0] for row in LISTS])
def test_zoom_s_documented_list_answers_are_paged_through(scripted, operation, path, items_key):
    first = response_example(operation)
    assert first["next_page_token"], "the example shows a token to follow"
    last = dict(first, next_page_token="")
    scripted.queue(Reply(200, first), Reply(200, last))
    client = ZoomClient(FixedTokenSource(scripted.url), sleep=lambda _seconds: None)
    items = list(client.paginate(path, items_key))
    assert items == first[items_key] + last[items_key]
    assert scripted.received[1].query["next_page_token"] == first["next_page_token"]
