"""Token pagination: `page_size` (default 30, max 300) and a `next_page_token` valid for 15 minutes."""

import secrets
import threading

from . import errors

DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300
TOKEN_LIFETIME = 15 * 60


class PageTokens:
    def __init__(self, clock):
        self.clock = clock
        self._tokens = {}
        self._lock = threading.Lock()

    def page(self, request, listing_key, items):
        """(the items of this page, the pagination fields of the answer)."""
        page_size = _page_size(request.args.get("page_size"))
        offset = self._offset(request.args.get("next_page_token"), listing_key)
        chunk = items[offset : offset + page_size]
        next_offset = offset + len(chunk)
        next_token = self._issue(listing_key, next_offset) if next_offset < len(items) else ""
        meta = {
            "page_size": page_size,
            "total_records": len(items),
            "page_count": max(1, -(-len(items) // page_size)),
            "next_page_token": next_token,
        }
        return chunk, meta

    def _offset(self, token, listing_key):
        if not token:
            return 0
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None or entry[0] != listing_key or entry[2] + TOKEN_LIFETIME < self.clock.time():
            raise errors.bad_page_token()
        return entry[1]

    def _issue(self, listing_key, offset):
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = (listing_key, offset, self.clock.time())
        return token


def _page_size(value):
    try:
        size = int(value) if value else DEFAULT_PAGE_SIZE
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))
