"""The Zoom REST API v2 client: one pooled `requests.Session`, timeouts, typed errors, retries.

Retries, all bounded by `max_retries` (retries after the first attempt):

* 5xx answers, timeouts and dropped connections: exponential backoff with full jitter;
* per-second 429: wait `Retry-After` seconds (at most `max_retry_after`), then try again;
* 401 with code 124 (token refused): ask the token source for a new token once and replay; this replay
  does not count as a retry.

A daily-limit 429 is raised at once (`ZoomRateLimited.is_daily`, `retry_at` = when Zoom accepts calls
again). POST is not idempotent: by default it is retried like the other methods, because the calls the
addon makes are safe to replay (Zoom answers an add-registrant for a known email with the existing
registrant; avoiding duplicate meetings is the caller's job). Pass `retry_unsafe=False` to retry a POST
only when Zoom surely did not receive it (connect timeout, 429).
"""

import logging
import random
import time
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter

from .backoff import Backoff
from .breaker import BREAKING_ERRORS
from .budget import category_of
from .errors import (
    INVALID_TOKEN_CODE,
    ZoomError,
    ZoomRateLimited,
    ZoomServerError,
    ZoomUnreachable,
    error_from_response,
)
from .oauth import DEFAULT_API_URL
from .parsing import json_or_none
from .plain import _lt
from .ratelimit import DAILY, next_utc_midnight, read_rate_limit_headers, utcnow

_logger = logging.getLogger(__name__)

API_VERSION_PATH = "/v2"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
DROPPED_CONNECTION_ERRORS = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
TRANSPORT_ERRORS = (requests.Timeout, *DROPPED_CONNECTION_ERRORS)


def new_session(pool_maxsize=10):
    """A session keeping up to `pool_maxsize` connections per host alive; no retries below ours."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"Accept": "application/json", "User-Agent": "zoom_training (Odoo addon)"})
    return session


class ZoomClient:
    """Calls Zoom's REST API v2 with the tokens of `token_source`.

    `token_source` has `get_token() -> S2SToken` and `refresh_token(stale) -> S2SToken`.
    The API base is `api_url` when given (the sandbox, a regional cluster), else the token's `api_url`;
    `/v2` is appended.
    """

    def __init__(
        self,
        token_source,
        *,
        api_url=None,
        session=None,
        timeout=(5, 30),
        max_retries=3,
        backoff_base=0.5,
        backoff_max=30,
        max_retry_after=60,
        sleep=time.sleep,
        logger=None,
        jitter=random.random,
        clock=utcnow,
        breaker=None,
        budget=None,
        on_failure=None,
        interactive=False,
    ):
        self._token_source = token_source
        self.on_failure = on_failure  # called (method, path, error) when a call finally fails
        self._breaker = breaker
        self._budget = budget
        self.interactive = interactive  # someone is waiting for this call: it goes ahead of background sync
        self.api_url = api_url.rstrip("/") if api_url else None
        self.session = session or new_session()
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self._backoff = Backoff(backoff_base, backoff_max, jitter)
        self._sleep = sleep
        self._logger = logger or _logger
        self._clock = clock
        self.rate_limits = {}

    def __repr__(self):
        return f"{type(self).__name__}(api_url={self.api_url!r})"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.session.close()

    # -- calls ----------------------------------------------------------------------------------------

    def get(self, path, *, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, *, json=None, params=None, retry_unsafe=True):
        return self.request("POST", path, params=params, json=json, retry_unsafe=retry_unsafe)

    def patch(self, path, *, json=None, params=None):
        return self.request("PATCH", path, params=params, json=json)

    def put(self, path, *, json=None, params=None):
        return self.request("PUT", path, params=params, json=json)

    def delete(self, path, *, params=None):
        return self.request("DELETE", path, params=params)

    def request(self, method, path, *, params=None, json=None, retry_unsafe=True):
        """The decoded JSON answer (None for 204); raises a ZoomError subclass.

        With a circuit breaker, an open circuit raises ZoomCircuitOpen before anything is sent.
        """
        if self._breaker is None:
            return self._request(method, path, params, json, retry_unsafe)
        self._breaker.before_call()
        try:
            answer = self._request(method, path, params, json, retry_unsafe)
        except BREAKING_ERRORS:
            self._breaker.record_failure()
            raise
        except ZoomError:
            self._breaker.record_success()  # Zoom answered: it is up
            raise
        self._breaker.record_success()
        return answer

    def _request(self, method, path, params, json, retry_unsafe):
        method = method.upper()
        replay_safe = retry_unsafe or method in IDEMPOTENT_METHODS
        token = self._token_source.get_token()
        token_renewed = False
        retries = 0
        while True:
            try:
                response = self._send(method, path, token, params, json)
            except TRANSPORT_ERRORS as exc:
                delay = self._transport_retry_delay(exc, replay_safe, retries)
                if delay is None:
                    raise self._failed(
                        method, path, self._unreachable(exc, method, path, retries + 1)
                    ) from exc
            else:
                if response.status_code < 400:
                    return self._decode(response)
                error = self._error(response)
                if _is_refused_token(error) and not token_renewed:
                    token = self._token_source.refresh_token(token)
                    token_renewed = True
                    continue
                delay = self._answer_retry_delay(error, replay_safe, retries)
                if delay is None:
                    raise self._failed(method, path, _with_attempts(error, retries + 1))
            retries += 1
            self._logger.debug("Zoom %s %s: retry %d in %.2f s", method, path, retries, delay)
            self._sleep(delay)

    def _failed(self, method, path, error):
        """The error, after telling `on_failure`; a failing hook never hides Zoom's answer."""
        if self.on_failure is not None:
            try:
                self.on_failure(method, path, error)
            except Exception:
                self._logger.exception("Zoom %s %s: the failure could not be recorded", method, path)
        return error

    def paginate(self, path, items_key, *, params=None, page_size=300):
        """Every item of a list endpoint, following `next_page_token` until it is absent or empty."""
        query = {"page_size": page_size, **(params or {})}
        seen_tokens = set()
        while True:
            page = self.get(path, params=query) or {}
            yield from page.get(items_key) or []
            next_token = page.get("next_page_token")
            if not next_token:
                return
            if next_token in seen_tokens:
                raise ZoomError(f"Zoom sent the same next_page_token twice for {path}.")
            seen_tokens.add(next_token)
            query["next_page_token"] = next_token

    @staticmethod
    def encode_uuid(uuid):
        """A meeting UUID for a path: double-encoded when it starts with / or contains //, as Zoom asks."""
        encoded = quote(uuid, safe="")
        if uuid.startswith("/") or "//" in uuid:
            return quote(encoded, safe="")
        return encoded

    # -- one attempt --------------------------------------------------------------------------------

    def base_url(self, token):
        base = (self.api_url or token.api_url or DEFAULT_API_URL).rstrip("/")
        return base if base.endswith(API_VERSION_PATH) else base + API_VERSION_PATH

    def _send(self, method, path, token, params, json):
        if self._budget is not None:
            category = category_of(method, path)
            self._wait_for_daily_quota(category)
            self._budget.acquire(category, interactive=self.interactive)
        url = self.base_url(token) + "/" + path.lstrip("/")
        headers = {"Authorization": f"Bearer {token.access_token}"}
        started = time.monotonic()
        try:
            response = self.session.request(
                method, url, params=params, json=json, headers=headers, timeout=self.timeout
            )
        except TRANSPORT_ERRORS as exc:
            self._log_call(method, path, type(exc).__name__, started)
            raise
        self._record_rate_limits(response.headers, response.ok)
        self._log_call(method, path, response.status_code, started, response)
        return response

    def _log_call(self, method, path, outcome, started, response=None):
        elapsed_ms = (time.monotonic() - started) * 1000
        code = _zoom_code(response) if response is not None and response.status_code >= 400 else None
        tracking = response.headers.get("x-zm-trackingid") if response is not None else None
        self._logger.debug(
            "Zoom %s %s -> %s in %.0f ms%s%s",
            method,
            path,
            outcome,
            elapsed_ms,
            f" (code {code})" if code is not None else "",
            f" [{tracking}]" if tracking else "",
        )

    def _wait_for_daily_quota(self, category):
        """Zoom's answers said today's quota of this category is used up: no call until it resets."""
        until = self._budget.daily_exhausted_until(category, self._clock())
        if until is not None:
            instant = until.strftime("%Y-%m-%d %H:%M UTC")
            raise ZoomRateLimited(
                f"daily {category} quota used up (from Zoom's headers)",
                limit_type=DAILY,
                retry_at=until,
                category=category,
                plain=_lt(
                    "Zoom's daily quota of %(category)s calls is used up, as its last answers said; "
                    "waiting until %(instant)s.",
                    category=category,
                    instant=instant,
                ),
            )

    def _record_rate_limits(self, headers, success):
        reading = read_rate_limit_headers(headers)
        if reading:
            category, state = reading
            self.rate_limits[category] = state
            # Only a success speaks for the account's quota: a daily 429 may be one host's or one person's.
            if (
                success
                and self._budget is not None
                and state["type"] == DAILY
                and state["remaining"] is not None
            ):
                self._budget.note_daily(
                    category,
                    state["remaining"],
                    next_utc_midnight(self._clock()),
                    limit=state["limit"],
                    read_at=self._clock(),
                )

    def _error(self, response):
        return error_from_response(
            response.status_code, json_or_none(response), response.headers, self._clock()
        )

    @staticmethod
    def _decode(response):
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            status = response.status_code
            raise ZoomError("Zoom answered with something that is not JSON.", status=status) from exc

    # -- retry decisions (None = do not retry) -------------------------------------------------------

    def _answer_retry_delay(self, error, replay_safe, retries):
        if retries >= self.max_retries:
            return None
        if isinstance(error, ZoomRateLimited) and not error.is_daily:
            wait = error.retry_after if error.retry_after is not None else self._backoff.delay(retries + 1)
            return min(wait, self.max_retry_after)
        if isinstance(error, ZoomServerError) and replay_safe:
            return self._backoff.delay(retries + 1)
        return None

    def _transport_retry_delay(self, exc, replay_safe, retries):
        if retries >= self.max_retries:
            return None
        if replay_safe or isinstance(exc, requests.ConnectTimeout):
            return self._backoff.delay(retries + 1)
        return None

    @staticmethod
    def _unreachable(exc, method, path, attempts):
        if isinstance(exc, requests.ConnectTimeout):
            reason = _lt("connection timed out")
        elif isinstance(exc, requests.Timeout):
            reason = _lt("no answer in time")
        elif isinstance(exc, requests.exceptions.ChunkedEncodingError):
            reason = _lt("connection dropped")
        else:
            reason = _lt("connection refused or dropped")
        return ZoomUnreachable(f"{method} {path}: {reason}.", reason=reason, attempts=attempts)


def _is_refused_token(error):
    return error.status == 401 and error.code == INVALID_TOKEN_CODE


def _with_attempts(error, attempts):
    if isinstance(error, ZoomServerError):
        error.attempts = attempts
    return error


def _zoom_code(response):
    body = json_or_none(response)
    return body.get("code") if isinstance(body, dict) else None
