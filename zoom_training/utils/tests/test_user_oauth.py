"""OAuth for user-managed apps: PKCE, the signed state and its refusals, and the token calls against the
sandbox over real HTTP."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from zoom_training.sandbox import ZoomSandbox
from zoom_training.utils import user_oauth
from zoom_training.utils.errors import ZoomAuthError
from zoom_training.utils.user_oauth import StateRefused

KEY = user_oauth.derive_state_key("a-fernet-key-would-be-here")
APP = ("sandbox_user_client_id", "sandbox_user_client_secret")
REDIRECT = "http://odoo.test/zoom/oauth/callback"


def test_code_challenge_matches_rfc_7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert user_oauth.code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifiers_are_long_random_and_unreserved():
    first, second = user_oauth.new_code_verifier(), user_oauth.new_code_verifier()
    assert first != second and 43 <= len(first) <= 128
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def test_the_state_key_is_derived_not_the_encryption_key():
    assert KEY != b"a-fernet-key-would-be-here" and len(KEY) == 32
    assert user_oauth.derive_state_key("k1,k2") == user_oauth.derive_state_key("k1")
    assert user_oauth.derive_state_key("k1") != user_oauth.derive_state_key("k2")


def test_a_state_verifies_for_its_user_database_and_session():
    state, minted = user_oauth.mint_state(KEY, 7, "db1", "nonce-1")
    claims = user_oauth.verify_state(state, KEY, 7, "db1", "nonce-1")
    assert claims == minted
    assert claims.exp - time.time() <= user_oauth.STATE_TTL_SECONDS


@pytest.mark.parametrize(
    ("uid", "db", "nonce", "reason"),
    [
        (8, "db1", "nonce-1", user_oauth.OTHER_USER),
        (7, "db2", "nonce-1", user_oauth.OTHER_DATABASE),
        (7, "db1", "nonce-2", user_oauth.OTHER_SESSION),
        (7, "db1", "", user_oauth.OTHER_SESSION),
    ],
)
def test_a_state_for_someone_else_is_refused(uid, db, nonce, reason):
    state, _claims = user_oauth.mint_state(KEY, 7, "db1", "nonce-1")
    with pytest.raises(StateRefused) as refused:
        user_oauth.verify_state(state, KEY, uid, db, nonce)
    assert refused.value.reason == reason


def test_an_expired_state_is_refused():
    state, _claims = user_oauth.mint_state(KEY, 7, "db1", "n", now=time.time() - 601)
    with pytest.raises(StateRefused) as refused:
        user_oauth.verify_state(state, KEY, 7, "db1", "n")
    assert refused.value.reason == user_oauth.EXPIRED


def _tampered(state):
    header, payload, signature = state.split(".")
    claims = jwt.decode(state, options={"verify_signature": False})
    forged = jwt.encode({**claims, "uid": 8}, "another key", algorithm="HS256").split(".")[1]
    return ".".join((header, forged, signature))


@pytest.mark.parametrize(
    "forge",
    [
        _tampered,
        lambda state: state[:-3] + ("AAA" if not state.endswith("AAA") else "BBB"),
        lambda state: jwt.encode(
            jwt.decode(state, options={"verify_signature": False}), "k", algorithm="HS256"
        ),
        lambda state: jwt.encode(
            jwt.decode(state, options={"verify_signature": False}), None, algorithm="none"
        ),
        lambda _state: "not a jwt",
    ],
)
def test_a_tampered_state_is_refused(forge):
    state, _claims = user_oauth.mint_state(KEY, 7, "db1", "n")
    with pytest.raises(StateRefused) as refused:
        user_oauth.verify_state(forge(state), KEY, 8, "db1", "n")
    assert refused.value.reason == user_oauth.TAMPERED


def test_a_missing_state_is_refused():
    with pytest.raises(StateRefused) as refused:
        user_oauth.verify_state("", KEY, 7, "db1", "n")
    assert refused.value.reason == user_oauth.MISSING


def test_the_authorize_url_carries_the_pkce_challenge():
    url = user_oauth.authorize_url("https://zoom.us/", "cid", REDIRECT, "the-state", "the-challenge")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "zoom.us", "/oauth/authorize")
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "response_type": "code",
        "client_id": "cid",
        "redirect_uri": REDIRECT,
        "state": "the-state",
        "code_challenge": "the-challenge",
        "code_challenge_method": "S256",
    }


@pytest.fixture
def sandbox():
    with ZoomSandbox(
        rate_limits=False, users=["host@example.com:licensed", "trainer@example.com:licensed"]
    ) as sbx:
        sbx.user_oauth.approve_as("trainer@example.com")
        yield sbx


def _code(sandbox, verifier):
    url = user_oauth.authorize_url(sandbox.url, APP[0], REDIRECT, "s", user_oauth.code_challenge(verifier))
    location = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]
    return parse_qs(urlsplit(location).query)["code"][0]


def test_exchange_refresh_and_revoke_against_the_sandbox(sandbox):
    verifier = user_oauth.new_code_verifier()
    token = user_oauth.exchange_code(sandbox.url, *APP, _code(sandbox, verifier), REDIRECT, verifier)
    assert token.refresh_token and token.api_url == sandbox.url and "meeting:write" in token.scopes
    assert token.refresh_token not in repr(token) and token.access_token not in repr(token)
    renewed = user_oauth.refresh_user_token(sandbox.url, *APP, token.refresh_token)
    assert renewed.refresh_token != token.refresh_token
    with pytest.raises(ZoomAuthError) as refused:
        user_oauth.refresh_user_token(sandbox.url, *APP, token.refresh_token)
    assert refused.value.plain == user_oauth.PLAIN_INVALID_GRANT
    user_oauth.revoke_token(sandbox.url, *APP, renewed.refresh_token)
    assert not sandbox.user_oauth.grants()


def test_a_replayed_code_is_refused_with_a_plain_reason(sandbox):
    verifier = user_oauth.new_code_verifier()
    code = _code(sandbox, verifier)
    user_oauth.exchange_code(sandbox.url, *APP, code, REDIRECT, verifier)
    with pytest.raises(ZoomAuthError) as refused:
        user_oauth.exchange_code(sandbox.url, *APP, code, REDIRECT, verifier)
    assert refused.value.plain == user_oauth.PLAIN_INVALID_GRANT
    assert code not in str(refused.value) and verifier not in str(refused.value)
