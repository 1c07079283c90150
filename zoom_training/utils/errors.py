"""Typed Zoom errors: the HTTP status, Zoom's code and message, and a plain sentence for an Odoo user.

`error_from_response` turns a non-2xx answer of the REST API into the right class; the token endpoint
has its own mapping in `oauth.py`. Messages come from Zoom's answer only: never from the request, so
they cannot carry a token or a secret.
"""

import re

from .parsing import int_or_none
from .plain import _lt
from .ratelimit import DAILY, classify_rate_limit

SCOPE_CODES = frozenset({4700, 4711})
NOT_FOUND_CODES = frozenset({1001, 3001, 3079, 3301})
PERMISSION_CODES = frozenset({200, 2306, 3161})
MEETING_GONE_CODE = 3001
INVALID_TOKEN_CODE = 124
NO_ANSWER = _lt("no answer")

_SCOPES_PATTERN = re.compile(r"does not contain scopes\s*:?\s*\[([^\]]*)\]", re.IGNORECASE)


class ZoomError(Exception):
    """An answer of Zoom that is not a success, or no answer at all."""

    default_plain = _lt("Zoom refused the request.")

    def __init__(self, message="", *, status=None, code=None, plain=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message or ""
        self._plain = plain

    @property
    def plain(self):
        """A sentence for an Odoo user: what went wrong and how to fix it."""
        return self._plain or self._default_plain()

    def _default_plain(self):
        if self.message:
            return _lt(
                "%(sentence)s Zoom said: %(message)s", sentence=self.default_plain, message=self.message
            )
        return self.default_plain

    def __str__(self):
        label = "/".join(str(part) for part in (self.status, self.code) if part is not None)
        return f"[{label}] {self.message}" if label else self.message

    def __repr__(self):
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"

    def __reduce__(self):
        # the subclasses take keyword-only arguments, which Exception's own pickling cannot pass back
        return _rebuild_error, (type(self), self.args, dict(self.__dict__))


class ZoomAuthError(ZoomError):
    """Zoom refused the credentials or the access token."""

    default_plain = _lt(
        "Zoom refused the connection: check the Account ID, Client ID and Client secret of your "
        "Server-to-Server OAuth app in the Zoom App Marketplace, and that the app is activated."
    )

    def _default_plain(self):
        if self.code == INVALID_TOKEN_CODE:
            return _lt(
                "Zoom refused a freshly obtained access token: check that your Server-to-Server OAuth app "
                "is activated in the Zoom App Marketplace, then test the connection again."
            )
        return self.default_plain


class ZoomScopeError(ZoomError):
    """The access token lacks scopes the call needs (Zoom codes 4711, 4700)."""

    def __init__(self, message="", *, missing_scopes=None, **kwargs):
        super().__init__(message, **kwargs)
        self.missing_scopes = list(missing_scopes) if missing_scopes else parse_missing_scopes(message)

    def _default_plain(self):
        scopes = ", ".join(self.missing_scopes) or _lt("required by this action")
        return _lt(
            "The Zoom app lacks the scopes %(scopes)s: add them to your Server-to-Server OAuth app "
            "in the Zoom App Marketplace, then test the connection again.",
            scopes=scopes,
        )


class ZoomNotFound(ZoomError):
    """The user, meeting, webinar, registrant or recording does not exist in Zoom."""

    default_plain = _lt("Zoom does not know this object any more.")

    @property
    def gone(self):
        """True when the meeting or webinar itself no longer exists (deleted in Zoom)."""
        return self.code == MEETING_GONE_CODE

    def _default_plain(self):
        if self.gone:
            return _lt("The meeting or webinar no longer exists in Zoom: it was deleted there.")
        if self.code == 1001:
            return _lt(
                "Zoom does not know this user: the host's email must belong to a user of your Zoom "
                "account. Zoom said: %(message)s",
                message=self.message,
            )
        if self.code == 3301:
            return _lt("Zoom holds no cloud recording for this meeting.")
        return super()._default_plain()


class ZoomValidationError(ZoomError):
    """Zoom rejected the data sent (HTTP 400, code 300 and most business codes)."""

    default_plain = _lt("Zoom rejected the data sent.")

    def __init__(self, message="", *, errors=None, **kwargs):
        super().__init__(message, **kwargs)
        self.errors = list(errors or [])

    def _default_plain(self):
        details = "; ".join(_describe_field_error(error) for error in self.errors)
        said = f"{self.message} {details}".strip() if details else self.message
        if said:
            return _lt("%(sentence)s Zoom said: %(message)s", sentence=self.default_plain, message=said)
        return self.default_plain


class ZoomPermissionError(ZoomError):
    """The Zoom user or account may not do this (plan missing, no permission, not allowed to host)."""

    default_plain = _lt("Zoom does not allow this for the host or the account.")

    def _default_plain(self):
        message = self.message.lower()
        if "webinar plan" in message or "plan for webinar" in message:
            return _lt(
                "The host has no Zoom Webinar licence: assign the Webinar add-on to this user in Zoom, "
                "or schedule a meeting instead."
            )
        if self.code == 3161:
            return _lt(
                "This Zoom user may not host or schedule meetings: give the user a Licensed type in "
                "Zoom's admin portal, or pick another host."
            )
        return super()._default_plain()


class ZoomRateLimited(ZoomError):
    """Zoom's rate limit is reached (HTTP 429): per second (QPS) or for the day (Daily-limit)."""

    def __init__(self, message="", *, limit_type, retry_at, category=None, retry_after=None, **kwargs):
        kwargs.setdefault("status", 429)
        super().__init__(message, **kwargs)
        self.limit_type = limit_type
        self.category = category
        self.retry_at = retry_at
        self.retry_after = retry_after

    @property
    def is_daily(self):
        return self.limit_type == DAILY

    def _default_plain(self):
        instant = self.retry_at.strftime("%Y-%m-%d %H:%M UTC")
        if self.is_daily:
            return _lt("Zoom's daily limit is reached; deferred until %(instant)s.", instant=instant)
        return _lt(
            "Zoom received too many requests per second; try again after %(instant)s.", instant=instant
        )


class ZoomServerError(ZoomError):
    """Zoom answered 5xx, still after the retries."""

    def __init__(self, message="", *, attempts=1, **kwargs):
        super().__init__(message, **kwargs)
        self.attempts = attempts

    def _default_plain(self):
        return _lt(
            "Zoom had an internal error (HTTP %(status)s) %(attempts)s: this is on Zoom's side; the sync "
            "will try again later.",
            status=self.status,
            attempts=_times(self.attempts),
        )


class ZoomUnreachable(ZoomError):
    """No answer from Zoom: timeouts, refused or dropped connections, still after the retries."""

    def __init__(self, message="", *, reason=NO_ANSWER, attempts=1, **kwargs):
        super().__init__(message, **kwargs)
        self.reason = reason
        self.attempts = attempts

    def _default_plain(self):
        return _lt(
            "Zoom could not be reached (%(reason)s, %(attempts)s): check the server's internet access; "
            "the sync will try again later.",
            reason=self.reason,
            attempts=_times(self.attempts),
        )


# What passes by itself: the work waits and tries again instead of failing.
TRANSIENT_ERRORS = (ZoomRateLimited, ZoomServerError, ZoomUnreachable)


def _rebuild_error(cls, args, attributes):
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(attributes)
    return error


def parse_missing_scopes(message):
    """Scope names from "Invalid access token, does not contain scopes:[a, b]."."""
    found = _SCOPES_PATTERN.search(message or "")
    if not found:
        return []
    return [scope.strip() for scope in found.group(1).split(",") if scope.strip()]


def error_from_response(status, body, headers=None, now=None):
    """The typed error for a non-2xx answer of the REST API.

    `body` is the decoded JSON answer (or None when it was not JSON), `headers` any mapping.
    """
    body = body if isinstance(body, dict) else {}
    code = int_or_none(body.get("code"))
    message = str(body.get("message") or "")
    common = {"status": status, "code": code}
    if status == 429:
        return _rate_limited(message, headers or {}, now, common)
    if code in SCOPE_CODES and ("scope" in message.lower() or code == 4711):
        return ZoomScopeError(message, **common)
    if status == 401 or code == INVALID_TOKEN_CODE or code in SCOPE_CODES:
        return ZoomAuthError(message, **common)
    if status == 404 or code in NOT_FOUND_CODES:
        return ZoomNotFound(message, **common)
    if status == 403 or code in PERMISSION_CODES:
        return ZoomPermissionError(message, **common)
    if status >= 500:
        return ZoomServerError(message, **common)
    if 400 <= status < 500:
        return ZoomValidationError(message, errors=body.get("errors"), **common)
    return ZoomError(message, **common)


def _rate_limited(message, headers, now, common):
    verdict = classify_rate_limit(headers, message, now)
    return ZoomRateLimited(
        message,
        limit_type=verdict.limit_type,
        retry_at=verdict.retry_at,
        category=verdict.category,
        retry_after=verdict.retry_after,
        **common,
    )


def _describe_field_error(error):
    if isinstance(error, dict):
        field, message = error.get("field"), error.get("message")
        return f"{field}: {message}" if field else str(message or "")
    return str(error)


def _times(attempts):
    if attempts == 1:
        return _lt("after 1 attempt")
    return _lt("after %(count)s attempts", count=attempts)
