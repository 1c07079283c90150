"""The webhook events of meetings and webinars, shaped as the events spec types them (CONTRACT §5.2):
object ids are integers for created/updated/deleted/registration_*/recording.completed, strings for
started/ended/participant_*."""

from .clock import format_utc
from .serialize import session_json
from .state import WEBINAR

CREATED_KEYS = (
    "uuid",
    "id",
    "host_id",
    "topic",
    "type",
    "start_time",
    "duration",
    "timezone",
    "join_url",
    "password",
    "pmi",
    "creation_source",
    "occurrences",
    "settings",
    "recurrence",
)
UPDATABLE_KEYS = (
    "topic",
    "type",
    "start_time",
    "duration",
    "timezone",
    "password",
    "agenda",
    "occurrences",
    "settings",
    "recurrence",
    "registration_url",
)


def _pick(body, keys):
    return {key: body[key] for key in keys if key in body}


def _changes(before, after):
    """(new, old) values of the fields that differ; settings compared key by key."""
    new, old = {}, {}
    for key in UPDATABLE_KEYS:
        if key == "settings":
            changed = [k for k in after.get(key, {}) if after[key].get(k) != before.get(key, {}).get(k)]
            if changed:
                new[key] = {k: after[key][k] for k in changed}
                old[key] = {k: before.get(key, {}).get(k) for k in changed if k in before.get(key, {})}
        elif before.get(key) != after.get(key):
            if key in after:
                new[key] = after[key]
            if key in before:
                old[key] = before[key]
    return new, old


class EventFactory:
    def __init__(self, account_id, dispatcher, urls):
        self.account_id = account_id
        self.dispatcher = dispatcher
        self.urls = urls

    def _emit(self, meeting, action, payload, **top_level):
        event = f"{meeting.kind}.{action}"
        return self.dispatcher.emit(event, {"account_id": self.account_id, **payload}, **top_level)

    @staticmethod
    def _operator(meeting):
        return {"operator": meeting.host.email, "operator_id": meeting.host.id}

    # -- API changes ------------------------------------------------------------------------------
    def snapshot(self, meeting):
        return session_json(meeting, self.urls)

    def created(self, meeting):
        body = _pick(self.snapshot(meeting), CREATED_KEYS)
        if meeting.kind == WEBINAR:
            # webinar.created's settings require `use_pmi`, which the REST webinar object does not have
            body.pop("pmi", None)
            body["settings"] = {**body["settings"], "use_pmi": False}
        self._emit(meeting, "created", {**self._operator(meeting), "object": body})

    def updated(self, meeting, before, occurrence_id=None):
        new, old = _changes(before, self.snapshot(meeting))
        if not new:
            return
        payload = {
            **self._operator(meeting),
            "object": {"id": meeting.id, "uuid": meeting.uuid, **new},
            "old_object": {"id": meeting.id, "uuid": meeting.uuid, **old},
            "time_stamp": int(self.dispatcher.clock.time() * 1000),
        }
        if meeting.recurrence:
            payload["scope"] = "single" if occurrence_id else "all"
        self._emit(meeting, "updated", payload)

    def deleted(self, meeting, occurrence=None):
        body = _pick(
            self.snapshot(meeting),
            ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone"),
        )
        if occurrence is not None:
            body["occurrences"] = [
                {"occurrence_id": occurrence.occurrence_id, "start_time": format_utc(occurrence.start_time)}
            ]
        operation = {"operation": "single" if occurrence else "all"}
        self._emit(meeting, "deleted", {**self._operator(meeting), **operation, "object": body})

    # -- registrations ----------------------------------------------------------------------------
    def _registration_object(self, meeting, registrant_body):
        body = _pick(
            self.snapshot(meeting),
            ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "occurrences"),
        )
        body.setdefault("start_time", format_utc(meeting.created_at))
        return {**body, "registrant": registrant_body}

    def _registrant_body(self, meeting, registrant, with_link):
        body = {
            "id": registrant.id,
            "first_name": registrant.first_name,
            "last_name": registrant.last_name,
            "email": registrant.email,
        }
        if with_link:
            body["join_url"] = self.urls.personal_join(meeting, registrant.join_token)
            if meeting.kind != WEBINAR:
                body["participant_pin_code"] = registrant.participant_pin_code
        return body

    def registration_created(self, meeting, registrant):
        body = self._registrant_body(meeting, registrant, with_link=True)
        body["status"] = "pending" if registrant.status == "pending" else "approved"
        self._emit(meeting, "registration_created", {"object": self._registration_object(meeting, body)})

    def registration_changed(self, meeting, registrant, action):
        """`action`: approved, denied or cancelled."""
        body = self._registrant_body(meeting, registrant, with_link=action == "approved")
        payload = {**self._operator(meeting), "object": self._registration_object(meeting, body)}
        self._emit(meeting, f"registration_{action}", payload)

    # -- a meeting's life -------------------------------------------------------------------------
    def _live_object(self, meeting, instance):
        return {
            "id": str(meeting.id),
            "uuid": instance.uuid,
            "host_id": meeting.host.id,
            "topic": meeting.topic,
            "type": meeting.type,
            "start_time": format_utc(instance.start_time),
            "timezone": meeting.timezone,
            "duration": meeting.duration,
        }

    def started(self, meeting, instance):
        body = {**self._live_object(meeting, instance), "host_email": meeting.host.email}
        self._emit(meeting, "started", {"object": body})

    def ended(self, meeting, instance):
        body = {
            **self._live_object(meeting, instance),
            "host_email": meeting.host.email,
            "end_time": format_utc(instance.end_time),
        }
        self._emit(meeting, "ended", {"object": body})

    def participant_joined(self, meeting, instance, participant):
        person = self._participant_body(participant)
        person["join_time"] = format_utc(participant.join_time)
        self._emit(
            meeting,
            "participant_joined",
            {"object": {**self._live_object(meeting, instance), "participant": person}},
        )

    def participant_left(self, meeting, instance, participant):
        person = self._participant_body(participant)
        person["leave_time"] = format_utc(participant.leave_time)
        if participant.leave_reason:
            person["leave_reason"] = participant.leave_reason
        self._emit(
            meeting,
            "participant_left",
            {"object": {**self._live_object(meeting, instance), "participant": person}},
        )

    @staticmethod
    def _participant_body(participant):
        body = {
            "user_id": participant.user_id,
            "user_name": participant.name,
            "id": participant.id,
            "participant_uuid": participant.participant_uuid,
            "email": participant.email,
            "participant_user_id": participant.id,
        }
        if participant.registrant_id:
            body["registrant_id"] = participant.registrant_id
        return body

    def recording_completed(self, meeting, instance, download_token):
        recording = instance.recording
        body = {
            "id": meeting.id,
            "uuid": instance.uuid,
            "host_id": meeting.host.id,
            "account_id": self.account_id,
            "topic": meeting.topic,
            "type": meeting.type,
            "start_time": format_utc(instance.start_time),
            "password": recording.password,
            "timezone": meeting.timezone,
            "host_email": meeting.host.email,
            "duration": meeting.duration,
            "share_url": self.urls.share(recording),
            "total_size": recording.total_size,
            "recording_count": len(recording.files),
            "recording_play_passcode": recording.password,
            "recording_files": [self.recording_file(instance, f) for f in recording.files],
        }
        self.dispatcher.emit(
            "recording.completed",
            {"account_id": self.account_id, "object": body},
            webinar=meeting.kind == WEBINAR,
            download_token=download_token,
        )

    def recording_file(self, instance, recording_file):
        return {
            "id": recording_file.id,
            "meeting_id": instance.uuid,
            "recording_start": format_utc(recording_file.recording_start),
            "recording_end": format_utc(recording_file.recording_end),
            "file_type": recording_file.file_type,
            "file_size": recording_file.file_size,
            "file_extension": recording_file.file_extension,
            "play_url": self.urls.play(recording_file),
            "download_url": self.urls.download(recording_file),
            "status": "completed",
            "recording_type": recording_file.recording_type,
        }
