"""Server-to-Server OAuth: the token endpoint and the tokens it has issued."""

import base64
import binascii
import secrets
import threading
from dataclasses import dataclass

from . import errors
from .operations import DEFAULT_SCOPES

QUERY_TOKEN_MESSAGE = "Invalid access token, this access token is not supported as query parameter string."


@dataclass
class Token:
    value: str
    scopes: frozenset
    expires_at: float
    revoked: bool = False
    user_id: str = ""  # a user-managed app's token acts as this user; empty: the account (S2S)


class OAuthServer:
    def __init__(self, clock, account_id, client_id, client_secret, token_ttl=3599):
        self.clock = clock
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self.granted_scopes = set(DEFAULT_SCOPES)
        self.legacy_single_token = False
        self._tokens = {}
        self._lock = threading.Lock()

    # -- issuing and revoking ---------------------------------------------------------------------
    def issue_token(self, scopes=None, user_id=""):
        value = "sbx." + secrets.token_urlsafe(48)
        token = Token(
            value,
            frozenset(scopes or self.granted_scopes),
            self.clock.time() + self.token_ttl,
            user_id=user_id,
        )
        with self._lock:
            if self.legacy_single_token and not user_id:
                self._revoke_all_locked()
            self._tokens[value] = token
        return token

    def revoke_token(self, value):
        with self._lock:
            if value in self._tokens:
                self._tokens[value].revoked = True

    def revoke_all_tokens(self):
        with self._lock:
            self._revoke_all_locked()

    def _revoke_all_locked(self):
        for token in self._tokens.values():
            token.revoked = True

    # -- the token endpoint -----------------------------------------------------------------------
    def token_response(self, request):
        """(status, body) of `POST /oauth/token`."""
        if not self._client_authenticated(request.headers.get("Authorization", "")):
            return 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        params = {**request.args.to_dict(), **request.form.to_dict()}
        if params.get("grant_type") != "account_credentials":
            return 400, {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
        if params.get("account_id") != self.account_id:
            return 400, {"reason": "Invalid account_id", "error": "invalid_request"}
        token = self.issue_token()
        return 200, {
            "access_token": token.value,
            "token_type": "bearer",
            "expires_in": self.token_ttl,
            "scope": " ".join(sorted(token.scopes)),
            "api_url": request.host_url.rstrip("/"),
        }

    def _client_authenticated(self, header):
        return self.basic_credentials_match(header, self.client_id, self.client_secret)

    @staticmethod
    def basic_credentials_match(header, expected_id, expected_secret):
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        client_id, _, client_secret = decoded.partition(":")
        return secrets.compare_digest(client_id, expected_id) and secrets.compare_digest(
            client_secret, expected_secret
        )

    # -- checking API calls -----------------------------------------------------------------------
    def authenticate(self, request):
        """The token of an API call; raises ZoomError 401 code 124."""
        if "access_token" in request.args:
            raise errors.invalid_token(QUERY_TOKEN_MESSAGE)
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value:
            raise errors.invalid_token()
        with self._lock:
            token = self._tokens.get(value.strip())
        if token is None or token.revoked:
            raise errors.invalid_token()
        if token.expires_at <= self.clock.time():
            raise errors.invalid_token("Access token has expired.")
        return token

    @staticmethod
    def check_scopes(token, operation):
        if not token.scopes.intersection(operation.scopes):
            raise errors.missing_scopes(operation.scopes[:2])
