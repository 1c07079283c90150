"""What an API failure leaves in the audit trail: the operation, Zoom's status, code and message. No ORM.

Paths and Zoom's messages can name a person (a host addressed by email, "User john@… does not exist"):
emails become `{email}`, so that the trail holds ids and nothing else personal.
"""

import re

from .errors import ZoomNotFound

MESSAGE_LIMIT = 300
_EMAIL = re.compile(r"[^\s/@?&=\"'<>]+@[^\s/@?&=\"'<>]+")


def without_emails(text):
    return _EMAIL.sub("{email}", text or "")


def operation_label(method, path):
    """`POST /meetings/85746065/batch_registrants`: the query string left out, emails replaced."""
    path = "/" + (path or "").split("?", 1)[0].strip("/")
    return f"{method.upper()} {without_emails(path)}"


def is_expected_outcome(method, error):
    """A DELETE of what is already gone is what the caller wanted: not a failure."""
    return method.upper() == "DELETE" and isinstance(error, ZoomNotFound)


def describe_failure(method, path, error):
    """{operation, http_status, zoom_code, zoom_message, description} for the audit trail."""
    operation = operation_label(method, path)
    message = without_emails(str(getattr(error, "message", "") or error))[:MESSAGE_LIMIT]
    status = getattr(error, "status", None)
    code = getattr(error, "code", None)
    label = "/".join(str(part) for part in (status, code) if part is not None) or "no answer"
    return {
        "operation": operation,
        "http_status": status if isinstance(status, int) else None,
        "zoom_code": code if isinstance(code, int) else None,
        "zoom_message": message,
        "description": f"{operation} failed [{label}]: {message}"[: MESSAGE_LIMIT + 120],
    }
