"""A meeting's life, driven by tests: start, participants join and leave, end, recording completed."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from .state import Instance, Participant, Recording, RecordingFile

RECORDING_FILES = (
    ("MP4", "MP4", "shared_screen_with_speaker_view", 4096),
    ("M4A", "M4A", "audio_only", 2048),
)


class MeetingLife:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.state = sandbox.state
        self.ids = sandbox.ids
        self.clock = sandbox.clock
        self.events = sandbox.events

    def _meeting(self, meeting_id):
        meeting = self.state.find_meeting(str(meeting_id))
        if meeting is None:
            raise KeyError(f"no meeting or webinar {meeting_id}")
        return meeting

    def _now(self):
        return self.clock.now().replace(microsecond=0)

    def _live(self, meeting):
        if meeting.live_instance is None:
            raise RuntimeError(f"{meeting.kind} {meeting.id} has not started")
        return meeting.live_instance

    def start(self, meeting_id):
        with self.state.lock:
            meeting = self._meeting(meeting_id)
            if meeting.live_instance:
                return meeting.live_instance
            if meeting.instances:
                meeting.uuid = self.ids.uuid()
            instance = Instance(uuid=meeting.uuid, start_time=self._now())
            meeting.instances.append(instance)
            self.events.started(meeting, instance)
            return instance

    def join(self, meeting_id, name, email="", registrant_id=None, join_url=None):
        with self.state.lock:
            meeting = self._meeting(meeting_id)
            instance = self._live(meeting)
            registrant_id = registrant_id or self._registrant_of(meeting, join_url)
            account_user = self.state.find_user(email) if email else None
            participant = Participant(
                user_id=str(self.ids.numeric(8)),
                name=name,
                email=email,
                participant_uuid=self.ids.token(32),
                join_time=self._now(),
                id=account_user.id if account_user else "",
                registrant_id=registrant_id or "",
            )
            instance.participants.append(participant)
            self.events.participant_joined(meeting, instance, participant)
            return participant

    @staticmethod
    def _registrant_of(meeting, join_url):
        if not join_url:
            return None
        token = parse_qs(urlparse(join_url).query).get("tk", [""])[0]
        return next((r.id for r in meeting.registrants.values() if r.join_token == token), None)

    def leave(self, meeting_id, participant, reason=""):
        """`participant`: the Participant from join(), or its user_id."""
        with self.state.lock:
            meeting = self._meeting(meeting_id)
            instance = self._live(meeting)
            user_id = getattr(participant, "user_id", participant)
            present = next(p for p in instance.present() if p.user_id == user_id)
            self._leave(meeting, instance, present, reason)
            return present

    def _leave(self, meeting, instance, participant, reason):
        participant.leave_time = max(self._now(), participant.join_time)
        participant.leave_reason = reason
        self.events.participant_left(meeting, instance, participant)

    def end(self, meeting_id):
        with self.state.lock:
            meeting = self._meeting(meeting_id)
            instance = self._live(meeting)
            for participant in instance.present():
                self._leave(meeting, instance, participant, "left the meeting because the host ended it")
            instance.end_time = max(self._now(), instance.start_time)
            self.events.ended(meeting, instance)
            return instance

    def complete_recording(self, meeting_id):
        with self.state.lock:
            meeting = self._meeting(meeting_id)
            ended = meeting.ended_instances()
            if not ended:
                raise RuntimeError(f"{meeting.kind} {meeting.id} has no ended run to record")
            instance = ended[-1]
            instance.recording = self._recording(instance)
            token = self.sandbox.download_tokens.issue(instance.uuid)
            self.events.recording_completed(meeting, instance, token)
            return instance.recording

    def _recording(self, instance):
        end = (
            instance.end_time
            if instance.end_time > instance.start_time
            else instance.start_time + timedelta(minutes=1)
        )
        files = [
            RecordingFile(
                self.ids.token(36), file_type, extension, recording_type, size, instance.start_time, end
            )
            for file_type, extension, recording_type, size in RECORDING_FILES
        ]
        return Recording(password=self.ids.password(), files=files, share_token=self.ids.token(40))
