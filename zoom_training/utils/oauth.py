"""Server-to-Server OAuth: fetching an account token from Zoom, and an in-memory token cache.

The token request is `POST {oauth_url}/oauth/token` with Basic auth (client id and secret) and the form
body `grant_type=account_credentials&account_id=...`. Neither the secret nor a token is ever logged,
put in an error message or shown by `repr()`.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests

from .errors import ZoomAuthError, ZoomServerError, ZoomUnreachable
from .parsing import json_or_none
from .plain import _lt
from .ratelimit import utcnow

_logger = logging.getLogger(__name__)

TOKEN_PATH = "/oauth/token"
DEFAULT_OAUTH_URL = "https://zoom.us"
DEFAULT_API_URL = "https://api.zoom.us"
DEFAULT_REFRESH_MARGIN = 60  # seconds before its expiry at which a token is renewed
# One number, not a (connect, read) pair: Odoo's test harness compares request timeouts with an int.
TOKEN_REQUEST_TIMEOUT = 20

PLAIN_INVALID_CLIENT = _lt(
    "Zoom refused the Client ID or Client secret: copy them again from your Server-to-Server OAuth app "
    "in the Zoom App Marketplace."
)
PLAIN_UNKNOWN_ACCOUNT = _lt(
    "Zoom does not know this Account ID: copy it again from your Server-to-Server OAuth app in the Zoom "
    "App Marketplace."
)
PLAIN_UNSUPPORTED_GRANT = _lt(
    "Zoom refused the kind of token request: the app must be a Server-to-Server OAuth app. Create one in "
    "the Zoom App Marketplace and copy its Account ID, Client ID and Client secret."
)
PLAIN_APP_DISABLED = _lt(
    "The Server-to-Server OAuth app is deactivated in Zoom: activate it in the Zoom App Marketplace, "
    "then test the connection again."
)


@dataclass(frozen=True)
class S2SToken:
    """An account access token. `repr()` hides the token itself."""

    access_token: str = field(repr=False)
    expires_at: datetime  # aware, UTC
    scopes: frozenset = frozenset()
    api_url: str = DEFAULT_API_URL

    def expires_within(self, seconds, now=None):
        """True when fewer than `seconds` remain before expiry (or it expired)."""
        return self.expires_at - (now or utcnow()) < timedelta(seconds=seconds)

    @classmethod
    def from_token_answer(cls, answer, now):
        return cls(
            access_token=answer["access_token"],
            expires_at=now + timedelta(seconds=int(answer.get("expires_in") or 3600)),
            scopes=frozenset(str(answer.get("scope") or "").split()),
            api_url=str(answer.get("api_url") or DEFAULT_API_URL).rstrip("/"),
        )


def token_endpoint(oauth_url):
    """`{oauth_url}/oauth/token`; an URL that already ends with /oauth/token is taken as it is."""
    base = (oauth_url or DEFAULT_OAUTH_URL).rstrip("/")
    return base if base.endswith(TOKEN_PATH) else base + TOKEN_PATH


def fetch_s2s_token(
    oauth_url, account_id, client_id, client_secret, *, session=None, timeout=(5, 20), now=None
) -> S2SToken:
    """A new account token from Zoom; raises ZoomAuthError, ZoomServerError or ZoomUnreachable."""
    endpoint = token_endpoint(oauth_url)
    requested_at = now or utcnow()
    response = _post_token_request(endpoint, account_id, client_id, client_secret, session, timeout)
    if response.status_code != 200:
        raise token_error(response.status_code, json_or_none(response))
    answer = json_or_none(response)
    if not isinstance(answer, dict) or not answer.get("access_token"):
        raise ZoomAuthError("The token answer holds no access_token.", status=response.status_code)
    return S2SToken.from_token_answer(answer, requested_at)


def _post_token_request(endpoint, account_id, client_id, client_secret, session, timeout):
    http = session or requests
    started = time.monotonic()
    try:
        response = http.post(
            endpoint,
            data={"grant_type": "account_credentials", "account_id": account_id},
            auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
            timeout=timeout,
        )
    except requests.Timeout as exc:
        _logger.debug("Zoom token request to %s timed out", endpoint)
        raise ZoomUnreachable(f"Token request to {endpoint} timed out.", reason=_lt("timeout")) from exc
    except requests.ConnectionError as exc:
        _logger.debug("Zoom token request to %s: no connection", endpoint)
        raise ZoomUnreachable(f"No connection to {endpoint}.", reason=_lt("no connection")) from exc
    elapsed_ms = (time.monotonic() - started) * 1000
    _logger.debug("Zoom token request to %s -> %s in %.0f ms", endpoint, response.status_code, elapsed_ms)
    return response


def token_error(status, body):
    """The error for a failed token request (bodies `{"reason": ..., "error": ...}`)."""
    body = body if isinstance(body, dict) else {}
    error = str(body.get("error") or "")
    reason = str(body.get("reason") or body.get("message") or "")
    message = f"{reason} ({error})" if error else reason or f"HTTP {status} from the token endpoint."
    if status >= 500:
        return ZoomServerError(message, status=status)
    return ZoomAuthError(message, status=status, plain=_plain_token_refusal(error, reason))


def _plain_token_refusal(error, reason):
    reason = reason.lower()
    if error == "invalid_client":
        return PLAIN_INVALID_CLIENT
    if error == "unsupported_grant_type":
        return PLAIN_UNSUPPORTED_GRANT
    if "account" in reason:
        return PLAIN_UNKNOWN_ACCOUNT
    if "disabled" in reason or "deactivated" in reason:
        return PLAIN_APP_DISABLED
    return None


def token_is_usable(token, stale, margin, now=None):
    """True when `token` has more than `margin` seconds to live and is not the one Zoom rejected."""
    if token is None or token.expires_within(margin, now):
        return False
    return stale is None or token.access_token != stale.access_token


class TokenSource:
    """The token source of `ZoomClient`: `get_token()` and `refresh_token(stale)`.

    A token is used until `refresh_margin` seconds before it expires; a token Zoom rejected (`stale`) is
    replaced once, however many callers report it at the same moment. A source is this and two policies:

    - where tokens are kept, one renewal at a time: `_at_hand()` (a token without waiting, or None),
      `_renewing()` (a context manager that holds the lock and yields what `_read` and `_keep` work on);
    - how a new token is obtained: `_obtain(handle, current)`.
    """

    refresh_margin = DEFAULT_REFRESH_MARGIN

    def get_token(self):
        token = self._at_hand()
        if token_is_usable(token, None, self.refresh_margin, self._now()):
            return token
        return self._renew(stale=None)

    def refresh_token(self, stale):
        """A token other than `stale` (rejected by Zoom); obtained unless another caller already did."""
        return self._renew(stale=stale)

    def _renew(self, stale, margin=None, force=False):
        margin = self.refresh_margin if margin is None else margin
        with self._renewing() as handle:
            token = None if force else self._read(handle)
            if not token_is_usable(token, stale, margin, self._now()):
                token = self._obtain(handle, token)
                self._keep(handle, token)
        return token

    def _now(self):
        return utcnow()

    def _at_hand(self):
        raise NotImplementedError

    def _renewing(self):
        raise NotImplementedError

    def _read(self, handle):
        raise NotImplementedError

    def _keep(self, handle, token):
        raise NotImplementedError

    def _obtain(self, handle, current):
        raise NotImplementedError


class CachedTokenSource(TokenSource):
    """A token source kept in memory, shared by threads.

    `fetch` is a callable without arguments that returns a new S2SToken (for instance
    `functools.partial(fetch_s2s_token, oauth_url, account_id, client_id, client_secret)`).
    One lock serialises renewals, so threads that need a new token at the same moment cause one token
    request.
    """

    def __init__(self, fetch, refresh_margin=DEFAULT_REFRESH_MARGIN, clock=utcnow):
        self._fetch = fetch
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._token = None
        self._lock = threading.Lock()

    @classmethod
    def for_credentials(cls, oauth_url, account_id, client_id, client_secret, **options):
        """A source fetching with `fetch_s2s_token`; `options` go to the constructor."""

        def fetch():
            return fetch_s2s_token(oauth_url, account_id, client_id, client_secret)

        return cls(fetch, **options)

    def forget(self):
        with self._lock:
            self._token = None

    def _now(self):
        return self._clock()

    def _at_hand(self):
        return self._token

    def _renewing(self):
        return self._lock

    def _read(self, handle):
        return self._token

    def _keep(self, handle, token):
        self._token = token

    def _obtain(self, handle, current):
        return self._fetch()

    def __repr__(self):
        return f"{type(self).__name__}(refresh_margin={self.refresh_margin!r})"
