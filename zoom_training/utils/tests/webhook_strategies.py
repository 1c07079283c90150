"""Hypothesis strategies for what anyone may post to a webhook URL, and a raw HTTP sender for them.

Shared by the plain-Python properties (test_webhook_input.py), the intake's (tests/test_webhook_fuzz.py) and
`make fuzz`. A drawn `Attempt` is a valid envelope with one mutation, random bytes, deep or wide JSON, every
JSON type in every envelope slot; headers huge, tiny, non-ASCII or missing; signed with the real Secret
Token or not; sent with an honest length, a length that lies, or in chunks.
"""

import contextlib
import hashlib
import hmac
import json
import socket
import time
from dataclasses import dataclass, field

from hypothesis import strategies as st

ENVELOPE_EVENTS = (
    "meeting.participant_joined",
    "meeting.started",
    "endpoint.url_validation",
    "app_deauthorized",
)
BIG = 1024 * 1024


@dataclass
class Attempt:
    body: bytes
    timestamp: bytes = None  # None: the current time
    signature: bytes = None  # None: computed with the secret when `signed`, else a fake of the right shape
    signed: bool = False
    framing: str = "length"  # length, longer, shorter, chunked, broken_chunk
    extra_headers: dict = field(default_factory=dict)

    def headers(self, secret):
        timestamp = self.timestamp if self.timestamp is not None else str(int(time.time())).encode()
        if self.signature is not None:
            signature = self.signature
        elif self.signed:
            message = b"v0:" + timestamp + b":" + self.body
            signature = b"v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().encode()
        else:
            signature = b"v0=" + hashlib.sha256(self.body).hexdigest().encode()
        return {b"x-zm-request-timestamp": timestamp, b"x-zm-signature": signature, **self.extra_headers}

    @property
    def proves_the_secret(self):
        return self.signed and self.signature is None


def envelope(account_id, event="meeting.participant_joined", i=0):
    if event == "endpoint.url_validation":
        return {"event": event, "event_ts": 1_700_000_000_000 + i, "payload": {"plainToken": f"token-{i}"}}
    participant = {"user_id": str(1000 + i), "participant_uuid": f"P-{i}", "email": f"p{i}@example.com"}
    return {
        "event": event,
        "event_ts": 1_700_000_000_000 + i,
        "payload": {
            "account_id": account_id,
            "object": {"id": 85746065123, "uuid": "fuzz==", "participant": participant},
        },
    }


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10).map(lambda text: text + "\x00"),
    st.just("²"),
    st.just("x" * 5000),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
SLOTS = (
    ("event",),
    ("event_ts",),
    ("payload",),
    ("download_token",),
    ("payload", "account_id"),
    ("payload", "plainToken"),
    ("payload", "object"),
    ("payload", "object", "id"),
    ("payload", "object", "uuid"),
    ("payload", "object", "participant"),
    ("payload", "object", "participant", "participant_uuid"),
    ("payload", "object", "participant", "user_id"),
    ("payload", "object", "registrant"),
)


@st.composite
def mutated_envelopes(draw, account_id):
    """A valid envelope of the configured account with one slot replaced, removed, or left as it is."""
    body = envelope(account_id, draw(st.sampled_from(ENVELOPE_EVENTS)), draw(st.integers(0, 10**6)))
    path = draw(st.sampled_from(SLOTS))
    parent = body
    for key in path[:-1]:
        child = parent.get(key)
        if not isinstance(child, dict):
            child = parent[key] = {}
        parent = child
    action = draw(st.sampled_from(("replace", "remove", "keep")))
    if action == "replace":
        parent[path[-1]] = draw(json_values)
    elif action == "remove":
        parent.pop(path[-1], None)
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def nested(depth, opener="[", closer="]", balanced=True):
    return (opener * depth + (closer * depth if balanced else "")).encode()


deep_bodies = st.builds(
    nested,
    st.integers(1, 200_000),
    st.sampled_from("[{"),
    st.sampled_from("]}"),
    st.booleans(),
)
wide_bodies = st.integers(1, 150_000).map(lambda n: ("[" + ",".join(["0"] * n) + "]").encode())
random_bodies = st.binary(max_size=2000) | st.integers(0, BIG + 10).map(lambda n: b"\xff" * n)
escape_bodies = st.sampled_from(
    (
        b'{"a": "\\u0000"}',
        b'{"a": "\\ud800"}',
        b'{"a": "\\udfff\\ud800"}',
        b"\xef\xbb\xbf{}",
        b'{"a": 1e999999}',
    )
)

header_values = st.one_of(
    st.binary(max_size=30).filter(lambda value: b"\r" not in value and b"\n" not in value),
    st.just(b"\xb2"),
    st.just(b"9" * 5000),
    st.just(b""),
    st.just(b"v0=x"),
    st.integers(-(10**15), 10**15).map(lambda n: str(n).encode()),
    st.just("\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660".encode()),  # Arabic-Indic digits
)


@st.composite
def attempts(draw, account_id, random_account=True):
    """One request to a webhook URL."""
    account = draw(st.sampled_from((account_id, "someone-else"))) if random_account else account_id
    if random_account and draw(st.booleans()):
        account = draw(st.text(max_size=70))
    body = draw(
        st.one_of(
            mutated_envelopes(account),
            mutated_envelopes(account_id),
            deep_bodies,
            wide_bodies,
            random_bodies,
            escape_bodies,
        )
    )
    extra = {}
    if draw(st.booleans()):
        extra[b"Content-Type"] = draw(
            st.sampled_from((b"application/json", b"multipart/form-data; boundary=x", b"text/plain", b"\xff"))
        )
    return Attempt(
        body=body,
        timestamp=draw(st.none() | header_values),
        signature=draw(st.none() | st.none() | header_values),
        signed=draw(st.booleans()),
        framing=draw(st.sampled_from(("length", "length", "longer", "shorter", "chunked", "broken_chunk"))),
        extra_headers=extra,
    )


def raw_request(attempt, path, host, secret):
    """The request's bytes on the wire."""
    lines = [f"POST {path} HTTP/1.1".encode(), b"Host: " + host.encode(), b"Connection: close"]
    lines += [name + b": " + value for name, value in attempt.headers(secret).items()]
    body = attempt.body
    if attempt.framing in ("chunked", "broken_chunk"):
        lines.append(b"Transfer-Encoding: chunked")
        size = max(1, len(body) // 3)
        chunks = [body[start : start + size] for start in range(0, len(body), size)]
        wire = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
        if attempt.framing == "broken_chunk":
            wire = b"zz\r\n" + wire
        body = wire + b"0\r\n\r\n"
    else:
        declared = {"length": len(body), "longer": len(body) + 100, "shorter": max(0, len(body) - 10)}
        lines.append(b"Content-Length: %d" % declared[attempt.framing])
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def send(address, request, timeout=30):
    """The status of the answer to `request` on a new connection; 'no answer' if none came."""
    answer = bytearray()
    try:
        with socket.create_connection(address, timeout=timeout) as sock:
            with contextlib.suppress(OSError):  # the server answered and closed before reading it all (413)
                sock.sendall(request)
                sock.shutdown(socket.SHUT_WR)
            while chunk := sock.recv(65536):
                answer += chunk
    except OSError:
        if not answer:
            return "no answer"
    try:
        return int(bytes(answer).split(b" ", 2)[1])
    except (IndexError, ValueError):
        return "no answer"
