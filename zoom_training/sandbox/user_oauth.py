"""OAuth for user-managed apps: authorization code with PKCE, refresh with rotation, revocation, and
the `app_deauthorized` notice.

`GET /oauth/authorize` stands for the Zoom user who signs in and approves: the one chosen by
`approve_as(email)` (or the `sandbox_user` query parameter) is sent straight back to `redirect_uri` with
a one-time code. `POST /oauth/token` takes `grant_type=authorization_code` (code, redirect_uri,
code_verifier checked against the S256 challenge) and `grant_type=refresh_token` (the old refresh token
dies with each refresh). `POST /oauth/revoke` ends the user's grant. Access tokens issued here act as
their user: `me` in a path is that user, not the account owner.
"""

import base64
import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from werkzeug.wrappers import Response

from .signing import sign
from .webhooks import USER_AGENT, compact_json

USER_SCOPES = frozenset(
    {"meeting:read", "meeting:write", "webinar:read", "webinar:write", "user:read", "recording:read"}
)
USER_GRANTS = ("authorization_code", "refresh_token")
CODE_TTL = 300
DEAUTHORIZATION_EVENT = "app_deauthorized"


@dataclass
class Grant:
    """What one user approved: the tokens issued under it die together."""

    user_id: str
    access_tokens: set = field(default_factory=set)
    refresh_token: str = ""
    revoked: bool = False


@dataclass
class Code:
    value: str
    grant: Grant
    redirect_uri: str
    challenge: str
    expires_at: float
    used: bool = False


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _error(reason, error="invalid_request"):
    return 400, {"reason": reason, "error": error}


class UserOAuthServer:
    def __init__(self, sandbox, client_id, client_secret, webhook_secret, code_ttl=CODE_TTL):
        self.sandbox = sandbox
        self.client_id = client_id
        self.client_secret = client_secret
        self.webhook_secret = webhook_secret  # this app's own Secret Token: it signs the deauthorization
        self.code_ttl = code_ttl
        self.redirect_uris = set()  # empty: any redirect URL is allowed
        self.deauthorization_url = None  # default: the webhook URL
        self.approver = None
        self._codes = {}
        self._grants = []
        self._lock = threading.Lock()

    # -- driving it -------------------------------------------------------------------------------
    def approve_as(self, email):
        """The Zoom user who signs in and approves at the next authorizations."""
        self.approver = email

    def reset(self):
        """Every grant revoked and forgotten, every code dropped (between tests)."""
        with self._lock:
            for grant in self._grants:
                self._revoke_locked(grant)
            self._grants.clear()
            self._codes.clear()

    def grants(self, email=None):
        user = self.sandbox.user(email) if email else None
        with self._lock:
            return [g for g in self._grants if not g.revoked and (user is None or g.user_id == user.id)]

    def deauthorize(self, email, url=None):
        """The user removes the app in Zoom: their grants die and Zoom posts `app_deauthorized`."""
        user = self.sandbox.user(email)
        with self._lock:
            for grant in self._grants:
                if grant.user_id == user.id:
                    self._revoke_locked(grant)
        body = {
            "event": DEAUTHORIZATION_EVENT,
            "event_ts": int(self.sandbox.clock.time() * 1000),
            "payload": {
                "account_id": self.sandbox.account_id,
                "user_id": user.id,
                "signature": secrets.token_hex(32),
                "deauthorization_time": self.sandbox.clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "client_id": self.client_id,
            },
        }
        target = url or self.deauthorization_url or self.sandbox.webhooks.url
        if not target:
            return None
        raw = compact_json(body)
        return requests.post(target, data=raw, headers=self._signed_headers(raw), timeout=10)

    def _signed_headers(self, raw_body):
        timestamp = str(int(self.sandbox.clock.time()))
        return {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": sign(self.webhook_secret, timestamp, raw_body),
        }

    # -- GET /oauth/authorize ---------------------------------------------------------------------
    def authorize(self, request):
        args = request.args
        problem = self._authorize_problem(args)
        if problem:
            return Response(problem, status=400, content_type="text/plain")
        email = args.get("sandbox_user") or self.approver
        user = self.sandbox.user(email) if email else None
        if user is None:
            return Response("No sandbox user approves: call approve_as(email).", 400, mimetype="text/plain")
        code = Code(
            value=secrets.token_urlsafe(24),
            grant=Grant(user.id),
            redirect_uri=args["redirect_uri"],
            challenge=args["code_challenge"],
            expires_at=self.sandbox.clock.time() + self.code_ttl,
        )
        with self._lock:
            self._codes[code.value] = code
        query = urlencode({"code": code.value, **({"state": args["state"]} if "state" in args else {})})
        separator = "&" if "?" in code.redirect_uri else "?"
        return Response(status=302, headers={"Location": f"{code.redirect_uri}{separator}{query}"})

    def _authorize_problem(self, args):
        if args.get("response_type") != "code":
            return "response_type must be code."
        if args.get("client_id") != self.client_id:
            return "Invalid client_id."
        redirect_uri = args.get("redirect_uri")
        if not redirect_uri or (self.redirect_uris and redirect_uri not in self.redirect_uris):
            return "Invalid redirect: the redirect URL is not on the app's allow list."
        if not args.get("code_challenge") or args.get("code_challenge_method") != "S256":
            return "code_challenge with code_challenge_method=S256 is required."
        return None

    # -- POST /oauth/token ------------------------------------------------------------------------
    def token_response(self, request, params):
        if not self._client_authenticated(request.headers.get("Authorization", "")):
            return 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        if params.get("grant_type") == "authorization_code":
            return self._exchange_code(request, params)
        return self._refresh(request, params)

    def _exchange_code(self, request, params):
        with self._lock:
            code = self._codes.get(params.get("code") or "")
            if code is None or code.expires_at <= self.sandbox.clock.time():
                return _error("Invalid authorization code", "invalid_grant")
            if code.used:
                # A replayed code: refused, and what it gave is revoked (RFC 6749 §10.5).
                self._revoke_locked(code.grant)
                return _error("Invalid authorization code", "invalid_grant")
            code.used = True
            if params.get("redirect_uri") != code.redirect_uri:
                return _error("Invalid redirect_uri", "invalid_grant")
            if s256(params.get("code_verifier") or "") != code.challenge:
                return _error("Invalid code_verifier", "invalid_grant")
            self._grants.append(code.grant)
            return 200, self._issue_locked(request, code.grant)

    def _refresh(self, request, params):
        with self._lock:
            value = params.get("refresh_token") or ""
            grant = next((g for g in self._grants if value and g.refresh_token == value), None)
            if grant is None or grant.revoked:
                return _error("Invalid Token!", "invalid_grant")
            return 200, self._issue_locked(request, grant)

    def _issue_locked(self, request, grant):
        access = self.sandbox.oauth.issue_token(USER_SCOPES, user_id=grant.user_id)
        grant.access_tokens.add(access.value)
        grant.refresh_token = "sbxr." + secrets.token_urlsafe(48)
        return {
            "access_token": access.value,
            "token_type": "bearer",
            "refresh_token": grant.refresh_token,
            "expires_in": self.sandbox.oauth.token_ttl,
            "scope": " ".join(sorted(USER_SCOPES)),
            "api_url": request.host_url.rstrip("/"),
        }

    # -- POST /oauth/revoke -----------------------------------------------------------------------
    def revoke_response(self, request):
        if not self._client_authenticated(request.headers.get("Authorization", "")):
            return 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        value = {**request.args.to_dict(), **request.form.to_dict()}.get("token") or ""
        with self._lock:
            grant = next(
                (g for g in self._grants if value and (value == g.refresh_token or value in g.access_tokens)),
                None,
            )
            if grant is None or grant.revoked:
                return _error("Invalid Token!", "invalid_request")
            self._revoke_locked(grant)
        return 200, {"status": "success"}

    def _revoke_locked(self, grant):
        grant.revoked = True
        grant.refresh_token = ""
        for value in grant.access_tokens:
            self.sandbox.oauth.revoke_token(value)

    def _client_authenticated(self, header):
        return self.sandbox.oauth.basic_credentials_match(header, self.client_id, self.client_secret)
