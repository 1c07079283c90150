"""Every request the sandbox answered, for tests and benchmarks to count and validate."""

import threading
from dataclasses import dataclass, field


@dataclass
class LoggedRequest:
    method: str
    path: str
    template: str
    operation: str
    query: dict
    status: int
    category: str
    at: str
    duration: float
    request_json: object = None
    response_json: object = None
    headers: dict = field(default_factory=dict)
    received: float = 0.0  # epoch seconds with microseconds: Zoom-side rates in any 1 s window

    def as_dict(self):
        return {
            "method": self.method,
            "path": self.path,
            "template": self.template,
            "operation": self.operation,
            "query": self.query,
            "status": self.status,
            "category": self.category,
            "at": self.at,
            "duration": self.duration,
            "received": self.received,
            "request_json": self.request_json,
            "response_json": self.response_json,
        }


class RequestLog:
    def __init__(self):
        self._entries = []
        self._lock = threading.Lock()

    def add(self, entry):
        with self._lock:
            self._entries.append(entry)

    @property
    def entries(self):
        with self._lock:
            return list(self._entries)

    def count(self, operation=None, status=None):
        return sum(
            1
            for entry in self.entries
            if (operation is None or entry.operation == operation)
            and (status is None or entry.status == status)
        )

    def clear(self):
        with self._lock:
            self._entries.clear()
