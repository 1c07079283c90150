"""Bulk seeding: sessions with their registrants, for benchmarks that need thousands to exist already.

`POST /_sandbox/seed` makes each session from a create body exactly as `POST /users/{userId}/meetings` (or
`/webinars`) does, and registers its people as a batch registration with `auto_approve` does, then answers
what those calls answer. It is history, not traffic: no request log entry, no rate limit, no host quota,
no webhook (the sessions and registrants existed before the measured run)."""

from types import SimpleNamespace

from . import errors, schemas
from .api_meetings import new_session
from .api_registrants import _batch_row, _register
from .request_schemas import request_schema
from .serialize import session_json
from .state import MEETING, WEBINAR
from .validation import validate

CREATE_OPERATION = {MEETING: "meetingCreate", WEBINAR: "webinarCreate"}


class _Silent:
    """Webhook events of seeded objects: none."""

    def __getattr__(self, _name):
        return lambda *_args, **_kwargs: None


def seed_sessions(sandbox, items):
    """items: [{"host": email or id, "kind": "meeting"|"webinar", "body": create body,
    "registrants": [{"email", "first_name", "last_name"?}]}]. Answers, in order: the create answer with
    "registrants": the batch registration's rows (email, registrant_id, join_url)."""
    seeder = SimpleNamespace(
        ids=sandbox.ids, clock=sandbox.clock, urls=sandbox.urls, state=sandbox.state, events=_Silent()
    )
    answers = []
    with sandbox.lock:
        for item in items:
            kind = item.get("kind", MEETING)
            host = sandbox.state.find_user(item["host"])
            if host is None:
                raise errors.user_not_found(item["host"])
            if kind == WEBINAR and not host.webinar:
                raise errors.webinar_plan_missing(item["host"])
            operation_id = CREATE_OPERATION[kind]
            body = validate(item.get("body") or {}, schemas.SESSION, request_schema(operation_id))
            meeting = new_session(seeder, host, kind, body, operation_id)
            people = [validate(person, schemas.REGISTRANT) for person in item.get("registrants", [])]
            rows = [
                _batch_row(seeder, meeting, _register(seeder, meeting, person, True)) for person in people
            ]
            sandbox.state.meetings[meeting.id] = meeting
            answers.append({**session_json(meeting, sandbox.urls), "registrants": rows})
    return answers
