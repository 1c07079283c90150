"""Exponential backoff with full jitter: wait a random time between 0 and base * 2^(retry - 1), capped."""

import random


class Backoff:
    def __init__(self, base=0.5, maximum=30.0, jitter=random.random):
        self.base = base
        self.maximum = maximum
        self._jitter = jitter  # a callable returning a float in [0, 1)

    def ceiling(self, retry):
        """The longest wait before retry number `retry` (1 for the first retry)."""
        return min(self.maximum, self.base * 2 ** (retry - 1))

    def delay(self, retry):
        return self._jitter() * self.ceiling(retry)
