"""OAuth for user-managed apps: PKCE, the signed `state`, the authorize URL, and the token calls.

The `state` is a short-lived JWT (HS256) signed with a server-side key. It binds the Odoo user (`uid`),
the database (`db`) and a nonce kept in that user's session (`nonce`); `jti` lets the callback refuse
a state seen before. `verify_state` says why a state is refused with a `StateRefused.reason`.
Neither a token, a code, a verifier nor a state is ever logged or put in an error message.
"""

import base64
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import jwt
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import ZoomAuthError, ZoomUnreachable
from .oauth import DEFAULT_OAUTH_URL, S2SToken, token_endpoint, token_error
from .parsing import json_or_none
from .plain import _lt
from .ratelimit import utcnow

AUTHORIZE_PATH = "/oauth/authorize"
REVOKE_PATH = "/oauth/revoke"
STATE_TTL_SECONDS = 600
STATE_ALGORITHM = "HS256"
STATE_AUDIENCE = "zoom_training/oauth-callback"
STATE_KEY_INFO = b"zoom_training oauth state v1"

# Why a state is refused.
TAMPERED = "tampered"
EXPIRED = "expired"
OTHER_USER = "other_user"
OTHER_DATABASE = "other_database"
OTHER_SESSION = "other_session"
REPLAYED = "replayed"
MISSING = "missing"

PLAIN_INVALID_GRANT = _lt(
    "Zoom refused the authorization: it was already used, has expired, or belongs to another attempt. "
    "Start again from your preferences."
)


class StateRefused(Exception):
    """The callback's state cannot be trusted; `reason` is one of the constants above."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StateClaims:
    uid: int
    db: str
    nonce: str
    jti: str
    exp: int


@dataclass(frozen=True)
class UserToken(S2SToken):
    """A user's access token with its refresh token; `repr()` hides both."""

    refresh_token: str = field(default="", repr=False)

    @classmethod
    def from_token_answer(cls, answer, now):
        token = S2SToken.from_token_answer(answer, now)
        return cls(
            access_token=token.access_token,
            expires_at=token.expires_at,
            scopes=token.scopes,
            api_url=token.api_url,
            refresh_token=str(answer.get("refresh_token") or ""),
        )


# PKCE (RFC 7636) -------------------------------------------------------------------------------------


def new_code_verifier():
    """43 to 128 characters of [A-Za-z0-9-._~]: here 86."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# The signed state ----------------------------------------------------------------------------------


def derive_state_key(encryption_key):
    """A key for signing states derived (HKDF-SHA256) from the first configured encryption key, so that
    neither key can be computed from the other."""
    first = str(encryption_key or "").split(",")[0].strip()
    if not first:
        raise ValueError("no key to derive the state key from")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=STATE_KEY_INFO)
    return hkdf.derive(first.encode("utf-8"))


def new_nonce():
    return secrets.token_urlsafe(24)


def mint_state(key, uid, db, nonce, ttl=STATE_TTL_SECONDS, now=None):
    """(state, claims) for a flow started by `uid` on `db` in the session that keeps `nonce`."""
    issued = int(now if now is not None else time.time())
    claims = StateClaims(uid=uid, db=db, nonce=nonce, jti=uuid.uuid4().hex, exp=issued + ttl)
    payload = {**claims.__dict__, "iat": issued, "aud": STATE_AUDIENCE}
    return jwt.encode(payload, key, algorithm=STATE_ALGORITHM), claims


def verify_state(state, key, uid, db, nonce):
    """The claims of a state minted for `uid` on `db` in the session holding `nonce`; StateRefused else.

    Checks the signature and the expiry before anything else, so nothing an attacker wrote is trusted.
    Whether the `jti` was used before is the caller's store to say.
    """
    if not state:
        raise StateRefused(MISSING)
    claims = _decode(state, key)
    if claims.db != db:
        raise StateRefused(OTHER_DATABASE)
    if claims.uid != uid:
        raise StateRefused(OTHER_USER)
    if not nonce or not secrets.compare_digest(str(claims.nonce), str(nonce)):
        raise StateRefused(OTHER_SESSION)
    return claims


def _decode(state, key):
    options = {"require": ["exp", "iat", "jti", "uid", "db", "nonce", "aud"]}
    try:
        payload = jwt.decode(
            state, key, algorithms=[STATE_ALGORITHM], audience=STATE_AUDIENCE, options=options
        )
    except jwt.ExpiredSignatureError as error:
        raise StateRefused(EXPIRED) from error
    except jwt.PyJWTError as error:
        raise StateRefused(TAMPERED) from error
    try:
        return StateClaims(
            uid=int(payload["uid"]),
            db=str(payload["db"]),
            nonce=str(payload["nonce"]),
            jti=str(payload["jti"]),
            exp=int(payload["exp"]),
        )
    except (TypeError, ValueError) as error:
        raise StateRefused(TAMPERED) from error


# URLs and token calls -------------------------------------------------------------------------------


def authorize_url(oauth_url, client_id, redirect_uri, state, challenge):
    base = (oauth_url or DEFAULT_OAUTH_URL).rstrip("/")
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{base}{AUTHORIZE_PATH}?{urlencode(query)}"


def exchange_code(oauth_url, client_id, client_secret, code, redirect_uri, verifier, *, timeout=20):
    """The user's tokens for an authorization code; raises ZoomAuthError or ZoomUnreachable."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    return _token_call(token_endpoint(oauth_url), client_id, client_secret, data, timeout)


def refresh_user_token(oauth_url, client_id, client_secret, refresh_token, *, timeout=20):
    """New tokens; Zoom rotates the refresh token, so the old one must be replaced at once."""
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return _token_call(token_endpoint(oauth_url), client_id, client_secret, data, timeout)


def revoke_token(oauth_url, client_id, client_secret, token, *, timeout=20):
    """Ends the user's grant at Zoom; raises ZoomAuthError or ZoomUnreachable."""
    endpoint = (oauth_url or DEFAULT_OAUTH_URL).rstrip("/") + REVOKE_PATH
    response = _post(endpoint, client_id, client_secret, {"token": token}, timeout)
    if response.status_code != 200:
        raise _refusal(response)


def _token_call(endpoint, client_id, client_secret, data, timeout):
    requested_at = utcnow()
    response = _post(endpoint, client_id, client_secret, data, timeout)
    if response.status_code != 200:
        raise _refusal(response)
    answer = json_or_none(response)
    if not isinstance(answer, dict) or not answer.get("access_token"):
        raise ZoomAuthError("The token answer holds no access_token.", status=response.status_code)
    return UserToken.from_token_answer(answer, requested_at)


def _post(endpoint, client_id, client_secret, data, timeout):
    try:
        return requests.post(
            endpoint,
            data=data,
            auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
            timeout=timeout,
        )
    except requests.Timeout as exc:
        raise ZoomUnreachable(f"Request to {endpoint} timed out.", reason=_lt("timeout")) from exc
    except requests.ConnectionError as exc:
        raise ZoomUnreachable(f"No connection to {endpoint}.", reason=_lt("no connection")) from exc


def _refusal(response):
    body = json_or_none(response)
    if isinstance(body, dict) and body.get("error") == "invalid_grant":
        reason = body.get("reason") or "invalid grant"
        return ZoomAuthError(
            f"{reason} (invalid_grant)", status=response.status_code, plain=PLAIN_INVALID_GRANT
        )
    return token_error(response.status_code, body)
