import copy
import pickle
from datetime import datetime, timezone

import pytest

from zoom_training.utils.errors import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomPermissionError,
    ZoomRateLimited,
    ZoomScopeError,
    ZoomServerError,
    ZoomUnreachable,
    ZoomValidationError,
    error_from_response,
    parse_missing_scopes,
)

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=timezone.utc)


def error(status, code=None, message="", **body):
    return error_from_response(status, {"code": code, "message": message, **body}, {}, NOW)


@pytest.mark.parametrize(
    ("status", "code", "message", "expected"),
    [
        (401, 124, "Invalid access token.", ZoomAuthError),
        (400, 4711, "Invalid access token, does not contain scopes:[meeting:write:admin].", ZoomScopeError),
        (401, 4700, "Invalid access token, does not contain scopes", ZoomScopeError),
        (400, 4700, "Token cannot be empty.", ZoomAuthError),
        (404, 1001, "User does not exist: x@example.com.", ZoomNotFound),
        (404, 3001, "Meeting does not exist: 85746065123.", ZoomNotFound),
        (404, 3301, "There is no recording for this meeting.", ZoomNotFound),
        (400, 3079, "This registrant does not exist: abc.", ZoomNotFound),
        (400, 300, "Validation Failed.", ZoomValidationError),
        (400, 3043, "Meeting has reached maximum attendee capacity.", ZoomValidationError),
        (409, None, "Conflict", ZoomValidationError),
        (400, 200, "No permission.", ZoomPermissionError),
        (400, 3161, "Meeting hosting and scheduling capabilities are not allowed", ZoomPermissionError),
        (403, 2306, "Not allowed", ZoomPermissionError),
        (429, 429, "You have reached the maximum per-second rate limit", ZoomRateLimited),
        (503, None, "", ZoomServerError),
    ],
)
def test_answers_map_to_typed_errors(status, code, message, expected):
    raised = error(status, code, message)
    assert type(raised) is expected
    assert (raised.status, raised.code, raised.message) == (status, code, message)
    assert raised.plain


def test_every_typed_error_is_a_zoom_error():
    for cls in (ZoomAuthError, ZoomScopeError, ZoomNotFound, ZoomValidationError, ZoomPermissionError):
        assert issubclass(cls, ZoomError)
    assert issubclass(ZoomServerError, ZoomError) and issubclass(ZoomUnreachable, ZoomError)


def test_scope_error_names_the_missing_scopes():
    raised = error(
        400, 4711, "Invalid access token, does not contain scopes:[meeting:write:admin, user:read:admin]."
    )
    assert raised.missing_scopes == ["meeting:write:admin", "user:read:admin"]
    assert "meeting:write:admin, user:read:admin" in raised.plain
    assert "Zoom App Marketplace" in raised.plain


def test_missing_scopes_of_other_wordings():
    assert parse_missing_scopes("does not contain scopes: [a:b]") == ["a:b"]
    assert parse_missing_scopes("Token cannot be empty.") == []


def test_deleted_meeting_is_gone():
    assert error(404, 3001, "Meeting does not exist: 1.").gone
    assert not error(404, 1001, "User does not exist: 1.").gone
    assert "deleted" in error(404, 3001, "Meeting does not exist: 1.").plain


def test_validation_error_keeps_the_field_errors():
    fields = [{"field": "user_info.email", "message": "Invalid field."}]
    raised = error(400, 300, "Validation Failed.", errors=fields)
    assert raised.errors == fields
    assert "user_info.email: Invalid field." in raised.plain


def test_webinar_plan_missing_is_explained():
    raised = error(400, 200, "Webinar plan is missing. You must subscribe to the webinar plan and enable ...")
    assert isinstance(raised, ZoomPermissionError)
    assert "Webinar licence" in raised.plain


def test_daily_rate_limit_plain_sentence():
    raised = error_from_response(
        429,
        {"code": 429, "message": "You have reached the maximum daily rate limit for this API."},
        {
            "X-RateLimit-Type": "Daily-limit",
            "Retry-After": "2026-11-24T00:00:00Z",
            "X-RateLimit-Category": "Heavy",
        },
        NOW,
    )
    assert raised.is_daily and raised.limit_type == "Daily-limit" and raised.category == "Heavy"
    assert raised.retry_at == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert raised.plain == "Zoom's daily limit is reached; deferred until 2026-11-24 00:00 UTC."


def test_answer_that_is_not_json_still_gives_a_typed_error():
    raised = error_from_response(502, None, {}, NOW)
    assert isinstance(raised, ZoomServerError) and raised.code is None
    assert "HTTP 502" in raised.plain


def test_str_and_repr_carry_status_code_and_message():
    raised = error(404, 3001, "Meeting does not exist: 1.")
    assert str(raised) == "[404/3001] Meeting does not exist: 1."
    assert repr(raised) == "ZoomNotFound(status=404, code=3001, message='Meeting does not exist: 1.')"


def test_plain_can_be_given():
    assert ZoomAuthError("x", plain="Do this.").plain == "Do this."


def test_unreachable_and_server_error_count_attempts():
    assert "after 4 attempts" in ZoomUnreachable("GET /x: timeout", reason="timeout", attempts=4).plain
    assert "after 1 attempt:" in ZoomServerError("", status=500).plain


def test_errors_survive_pickling_and_copying():
    raised = error_from_response(429, {"code": 429, "message": "daily rate limit"}, {}, NOW)
    for clone in (pickle.loads(pickle.dumps(raised)), copy.deepcopy(raised)):
        assert type(clone) is ZoomRateLimited
        assert (clone.retry_at, clone.plain, str(clone)) == (raised.retry_at, raised.plain, str(raised))
    scope = pickle.loads(pickle.dumps(error(400, 4711, "does not contain scopes:[a:b]")))
    assert scope.missing_scopes == ["a:b"]
