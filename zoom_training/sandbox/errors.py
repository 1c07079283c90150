"""Zoom's error answers: an HTTP status, a Zoom code and a message."""


class ZoomError(Exception):
    def __init__(self, status, code, message, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self):
        body = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def validation_failed(errors):
    return ZoomError(400, 300, "Validation Failed.", errors=errors)


def invalid_json():
    return ZoomError(400, 300, "Request Body should be a valid JSON object.")


def user_not_found(user_ref):
    return ZoomError(404, 1001, f"User does not exist: {user_ref}.")


def meeting_not_found(kind, meeting_ref):
    noun = "Webinar" if kind == "webinar" else "Meeting"
    return ZoomError(404, 3001, f"{noun} does not exist: {meeting_ref}.")


def no_recording():
    return ZoomError(404, 3301, "There is no recording for this meeting.")


def invalid_token(message="Invalid access token."):
    return ZoomError(401, 124, message)


def missing_scopes(scopes):
    return ZoomError(400, 4711, f"Invalid access token, does not contain scopes:[{', '.join(scopes)}].")


def webinar_plan_missing(user_ref):
    return ZoomError(
        400,
        200,
        "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for user "
        f"{user_ref} in order to perform this action.",
    )


def bad_page_token():
    return ZoomError(400, 300, "The next page token is invalid or has expired.")
