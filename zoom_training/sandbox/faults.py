"""Faults injected into API answers at run time: errors, latency, timeouts, dropped connections, 429s."""

import random
import threading
from dataclasses import dataclass

FAIL = "fail"
LATENCY = "latency"
TIMEOUT = "timeout"
DROP = "drop"
STORM_429 = "storm_429"
REVOKE_TOKENS = "revoke_tokens"  # every access token revoked just before the call: it answers 124
KINDS = (FAIL, LATENCY, TIMEOUT, DROP, STORM_429, REVOKE_TOKENS)


@dataclass
class FaultRule:
    kind: str
    operation: str | None = None  # operationId ("oauthToken" for the token endpoint); None = any API call
    status: int = 500
    seconds: float = 0.0
    count: int | None = None  # remaining firings; None = until cleared
    rate: float = 1.0
    after: int = 0  # matching calls let through untouched before the rule starts firing

    def matches(self, operation_id):
        if self.operation is None:
            return operation_id != "oauthToken"
        return self.operation == operation_id

    def as_dict(self):
        return dict(self.__dict__)


class FaultInjector:
    def __init__(self, seed=None):
        self._rules = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    @property
    def rules(self):
        with self._lock:
            return list(self._rules)

    def add(self, kind, **options):
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {KINDS}")
        rule = FaultRule(kind, **options)
        with self._lock:
            self._rules.append(rule)
        return rule

    def fail(self, status=500, operation=None, count=None, rate=1.0):
        return self.add(FAIL, status=status, operation=operation, count=count, rate=rate)

    def latency(self, seconds, operation=None, count=None, rate=1.0):
        return self.add(LATENCY, seconds=seconds, operation=operation, count=count, rate=rate)

    def timeout(self, seconds, operation=None, count=None):
        return self.add(TIMEOUT, seconds=seconds, operation=operation, count=count)

    def drop(self, operation=None, count=None, rate=1.0):
        return self.add(DROP, operation=operation, count=count, rate=rate)

    def storm_429(self, count, operation=None):
        return self.add(STORM_429, operation=operation, count=count)

    def revoke_tokens(self, operation=None, after=0, count=1):
        return self.add(REVOKE_TOKENS, operation=operation, after=after, count=count)

    def clear(self):
        with self._lock:
            self._rules.clear()

    def firing(self, operation_id):
        """The rules that fire for this call (each firing uses up one of its `count`)."""
        fired = []
        with self._lock:
            for rule in list(self._rules):
                if not rule.matches(operation_id):
                    continue
                if rule.after > 0:
                    rule.after -= 1
                elif self._random.random() < rule.rate:
                    fired.append(rule)
                    self._use_up(rule)
        return fired

    def _use_up(self, rule):
        if rule.count is not None:
            rule.count -= 1
            if rule.count <= 0:
                self._rules.remove(rule)
