"""Identifiers in Zoom's shapes: int64 meeting ids, base64 uuids, registrant ids, tokens."""

import base64
import random
import string

URLSAFE = string.ascii_letters + string.digits + "-_"


class IdFactory:
    """Random ids; a seed makes a run reproducible. Every other uuid carries a `/` (often `//`) so that
    clients must double-encode it in paths, as Zoom requires."""

    def __init__(self, seed=None):
        self._random = random.Random(seed)
        self._uuid_count = 0
        self._used_meeting_ids = set()

    def meeting_id(self):
        while True:
            digits = self._random.choice((10, 11))
            candidate = self._random.randrange(10 ** (digits - 1), 10**digits)
            if candidate not in self._used_meeting_ids:
                self._used_meeting_ids.add(candidate)
                return candidate

    def uuid(self):
        self._uuid_count += 1
        text = base64.b64encode(self._random.randbytes(16)).decode()
        if self._uuid_count % 2 == 0:
            slash_at = self._random.choice((0, 5))
            text = text[:slash_at] + "//" + text[slash_at + 2 :]
        return text

    def token(self, length=22):
        return "".join(self._random.choice(URLSAFE) for _ in range(length))

    def user_id(self):
        return self.token(22)

    def numeric(self, digits):
        return self._random.randrange(10 ** (digits - 1), 10**digits)

    def password(self):
        return "".join(self._random.choice(string.ascii_letters + string.digits) for _ in range(8))

    def chance(self, rate):
        return self._random.random() < rate
