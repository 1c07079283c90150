"""One API call as handlers see it: the request, the token, the sandbox's parts, and lookups."""

import json
from dataclasses import dataclass
from urllib.parse import unquote

from . import errors
from .request_schemas import request_schema
from .validation import validate


@dataclass
class ApiCall:
    sandbox: object
    request: object
    operation: object
    token: object = None

    def __post_init__(self):
        self.state = self.sandbox.state
        self.clock = self.sandbox.clock
        self.ids = self.sandbox.ids
        self.limits = self.sandbox.limits
        self.events = self.sandbox.events
        self.urls = self.sandbox.urls

    @property
    def category(self):
        return self.operation.category

    def json(self):
        """The request body as JSON (None when empty); ZoomError 300 when it is not JSON."""
        raw = self.request.get_data(cache=True, as_text=True)
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise errors.invalid_json() from exc

    def valid_body(self, fields, default=None):
        """The JSON body, checked against the spec's schema of this operation and `fields`."""
        body = self.json()
        schema = request_schema(self.operation.operation_id)
        return validate(default if body is None else body, fields, schema)

    def arg(self, name, default=None):
        return self.request.args.get(name, default)

    def user(self, user_ref):
        if user_ref == "me" and self.token is not None and self.token.user_id:
            user_ref = self.token.user_id  # a user-managed app's token: `me` is its user
        user = self.state.find_user(user_ref)
        if user is None:
            raise errors.user_not_found(user_ref)
        return user

    def session(self, meeting_ref, kind):
        """The meeting or webinar a path designates (an id, or a possibly double-encoded uuid)."""
        meeting_ref = unquote(meeting_ref)
        meeting = self.state.find_meeting(meeting_ref)
        if meeting is None or meeting.kind != kind:
            raise errors.meeting_not_found(kind, meeting_ref)
        if kind == "webinar" and not meeting.host.webinar:
            raise errors.webinar_plan_missing(meeting.host.id)
        return meeting
