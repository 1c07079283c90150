"""What the Zoom account holds: users, meetings and webinars with their registrants, runs and recordings."""

import threading
from dataclasses import dataclass, field
from datetime import datetime

MEETING = "meeting"
WEBINAR = "webinar"
BASIC = 1
LICENSED = 2
USER_TYPES = {"basic": BASIC, "licensed": LICENSED}


@dataclass
class User:
    id: str
    email: str
    type: int
    webinar: bool
    pmi: int
    created_at: datetime
    first_name: str = ""
    last_name: str = ""
    timezone: str = "UTC"
    status: str = "active"
    meeting_capacity: int = 300
    webinar_capacity: int = 500

    @property
    def licensed(self):
        return self.type == LICENSED


@dataclass
class Occurrence:
    occurrence_id: str
    start_time: datetime
    duration: int
    status: str = "available"


@dataclass
class Registrant:
    id: str
    email: str
    first_name: str
    create_time: datetime
    join_token: str
    participant_pin_code: int
    status: str = "approved"  # approved, pending, denied, cancelled
    last_name: str = ""
    fields: dict = field(default_factory=dict)
    occurrence_ids: list = field(default_factory=list)

    @property
    def listed_status(self):
        return "denied" if self.status == "cancelled" else self.status


@dataclass
class Panelist:
    id: str
    email: str
    name: str
    join_token: str
    fields: dict = field(default_factory=dict)


@dataclass
class Participant:
    user_id: str
    name: str
    email: str
    participant_uuid: str
    join_time: datetime
    id: str = ""
    registrant_id: str = ""
    leave_time: datetime | None = None
    leave_reason: str = ""


@dataclass
class RecordingFile:
    id: str
    file_type: str
    file_extension: str
    recording_type: str
    file_size: int
    recording_start: datetime
    recording_end: datetime


@dataclass
class Recording:
    password: str
    files: list
    share_token: str
    trashed: bool = False  # in the account's trash: recoverable for 30 days, listed nowhere

    @property
    def total_size(self):
        return sum(recording_file.file_size for recording_file in self.files)


@dataclass
class Instance:
    uuid: str
    start_time: datetime
    end_time: datetime | None = None
    participants: list = field(default_factory=list)
    recording: Recording | None = None

    @property
    def live(self):
        return self.end_time is None

    def present(self):
        return [participant for participant in self.participants if participant.leave_time is None]


class RegistrantBook(dict):
    """A meeting's registrants by id, with an index by lower-case email kept alongside: a batch of 30 looks
    up each email twice, and a scan of 30,000 registrants per lookup made the sandbox the bottleneck of a
    30,000-registrant sync (118 ms per batch call at the end instead of 3). A registrant's email never
    changes; only adding and deleting by id are used."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self._by_email = {}
        self.update(*args, **kwargs)

    def __setitem__(self, registrant_id, registrant):
        if registrant_id in self:
            self._unindex(registrant_id)
        self._by_email.setdefault(registrant.email.lower(), []).append(registrant_id)
        return super().__setitem__(registrant_id, registrant)

    def __delitem__(self, registrant_id):
        self._unindex(registrant_id)
        return super().__delitem__(registrant_id)

    def _unindex(self, registrant_id):
        email = self[registrant_id].email.lower()
        ids = self._by_email[email]
        ids.remove(registrant_id)
        if not ids:
            del self._by_email[email]

    def update(self, *args, **kwargs):
        for registrant_id, registrant in dict(*args, **kwargs).items():
            self[registrant_id] = registrant

    def pop(self, registrant_id, *default):
        if registrant_id not in self:
            return super().pop(registrant_id, *default)
        registrant = self[registrant_id]
        del self[registrant_id]
        return registrant

    def clear(self):
        self._by_email.clear()
        return super().clear()

    def by_email(self, email):
        """The first registrant added with this email (any case), or None."""
        ids = self._by_email.get(email.lower())
        return self[ids[0]] if ids else None


@dataclass
class Meeting:
    """A meeting or a webinar (`kind`): they share Zoom's id space and most behaviour."""

    id: int
    uuid: str
    kind: str
    host: User
    topic: str
    type: int
    start_time: datetime | None
    duration: int
    timezone: str
    created_at: datetime
    password: str
    registration_token: str
    agenda: str = ""
    settings: dict = field(default_factory=dict)
    recurrence: dict | None = None
    occurrences: list = field(default_factory=list)
    tracking_fields: list = field(default_factory=list)
    registrants: RegistrantBook = field(default_factory=RegistrantBook)
    panelists: dict = field(default_factory=dict)
    instances: list = field(default_factory=list)

    @property
    def registration_enabled(self):
        return self.settings.get("approval_type", 2) in (0, 1)

    @property
    def live_instance(self):
        if self.instances and self.instances[-1].live:
            return self.instances[-1]
        return None

    @property
    def status(self):
        return "started" if self.live_instance else "waiting"

    def ended_instances(self):
        return [instance for instance in self.instances if not instance.live]

    def registrant_by_email(self, email):
        return self.registrants.by_email(email)


@dataclass
class AccountState:
    """All of the account's objects, behind one lock."""

    account_id: str
    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    deleted_meetings: dict = field(default_factory=dict)
    max_meeting_registrants: int = 4999

    def find_user(self, user_ref):
        """By id, email, or `me` (for a Server-to-Server app: the account owner, the first user)."""
        if user_ref == "me":
            return next(iter(self.users.values()), None)
        if user_ref in self.users:
            return self.users[user_ref]
        lowered = str(user_ref).lower()
        return next((user for user in self.users.values() if user.email.lower() == lowered), None)

    def find_meeting(self, meeting_ref):
        """By numeric id, or by the uuid of the meeting or of one of its runs."""
        if str(meeting_ref).isdigit():
            return self.meetings.get(int(meeting_ref))
        for meeting in self.meetings.values():
            if meeting.uuid == meeting_ref or any(i.uuid == meeting_ref for i in meeting.instances):
                return meeting
        return None

    def find_instance(self, meeting, meeting_ref):
        """The run a reference designates: a run's uuid, else the latest ended run."""
        for instance in meeting.instances:
            if instance.uuid == meeting_ref:
                return instance
        ended = meeting.ended_instances()
        return ended[-1] if ended else None
