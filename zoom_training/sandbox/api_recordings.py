"""Cloud recordings: the recording listing, its `download_access_token`, and the bytes behind it."""

import hashlib
import secrets
from urllib.parse import unquote

import jwt

from . import errors
from .clock import format_utc

DEFAULT_TTL = 24 * 3600
MAX_TTL = 604800


class DownloadTokens:
    """JWTs that open recording downloads; they expire on the sandbox clock."""

    def __init__(self, clock):
        self.clock = clock
        self._key = secrets.token_hex(32)

    def issue(self, instance_uuid, ttl=DEFAULT_TTL):
        now = int(self.clock.time())
        claims = {
            "iss": "zoom-sandbox",
            "aud": "recording-download",
            "sub": instance_uuid,
            "iat": now,
            "exp": now + ttl,
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def opens(self, token, instance_uuid):
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                audience="recording-download",
                options={"verify_exp": False, "verify_iat": False},
            )
        except jwt.InvalidTokenError:
            return False
        return claims.get("sub") == instance_uuid and claims.get("exp", 0) > self.clock.time()


def file_bytes(recording_file):
    """Deterministic content of `file_size` bytes."""
    seed = hashlib.sha256(recording_file.id.encode()).digest()
    return (seed * (recording_file.file_size // len(seed) + 1))[: recording_file.file_size]


def get_recordings(call, meeting_ref):
    meeting = call.state.find_meeting(unquote(meeting_ref))
    if meeting is None:
        raise errors.no_recording()
    instance = _recorded_instance(meeting, unquote(meeting_ref))
    recording = instance.recording
    body = {
        "uuid": instance.uuid,
        "id": meeting.id,
        "account_id": call.state.account_id,
        "host_id": meeting.host.id,
        "topic": meeting.topic,
        "type": str(meeting.type),
        "start_time": format_utc(instance.start_time),
        "duration": meeting.duration,
        "total_size": recording.total_size,
        "recording_count": len(recording.files),
        "share_url": call.urls.share(recording),
        "password": recording.password,
        "recording_play_passcode": recording.password,
        "recording_files": [call.events.recording_file(instance, f) for f in recording.files],
    }
    if "download_access_token" in (call.arg("include_fields") or "").split(","):
        ttl = min(int(call.arg("ttl") or DEFAULT_TTL), MAX_TTL)
        body["download_access_token"] = call.sandbox.download_tokens.issue(instance.uuid, ttl)
    return 200, body


def delete_recordings(call, meeting_ref):
    """`action=trash` (the default) moves the run's recording to the trash; `delete` removes it for good."""
    action = call.arg("action") or "trash"
    if action not in ("trash", "delete"):
        raise errors.validation_failed([{"field": "action", "message": "Invalid field."}])
    meeting = call.state.find_meeting(unquote(meeting_ref))
    if meeting is None:
        raise errors.no_recording()
    instance = _recorded_instance(meeting, unquote(meeting_ref))
    if action == "delete":
        instance.recording = None
    else:
        instance.recording.trashed = True
    return 204, None


def _recorded_instance(meeting, meeting_ref):
    recorded = [
        instance for instance in meeting.instances if instance.recording and not instance.recording.trashed
    ]
    chosen = next((i for i in recorded if i.uuid == meeting_ref), recorded[-1] if recorded else None)
    if chosen is None:
        raise errors.no_recording()
    return chosen


def find_file(state, file_id):
    """(instance, file) of a recording file id, or (None, None)."""
    for meeting in state.meetings.values():
        for instance in meeting.instances:
            for recording_file in instance.recording.files if instance.recording else ():
                if recording_file.id == file_id:
                    return instance, recording_file
    return None, None


HANDLERS = {"recordingGet": get_recordings, "recordingDelete": delete_recordings}
