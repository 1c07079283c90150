"""The README's Troubleshooting section names every Zoom answer the addon's code maps to a plain sentence.

The codes are read from the code itself (the sets and comparisons of utils/errors.py, the token errors of
utils/oauth.py and utils/user_oauth.py, the webhook intake's answers), so a code handled tomorrow fails
this test until the README explains it.
"""

import re
from pathlib import Path

from zoom_training.utils import errors

ADDON = Path(__file__).resolve().parents[2]
README = ADDON.parent / "README.md"


def troubleshooting_section():
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Troubleshooting\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def source(relative):
    return (ADDON / relative).read_text(encoding="utf-8")


def zoom_codes():
    codes = set(errors.SCOPE_CODES | errors.NOT_FOUND_CODES | errors.PERMISSION_CODES)
    codes |= {errors.INVALID_TOKEN_CODE, errors.MEETING_GONE_CODE}
    codes |= {int(code) for code in re.findall(r"self\.code == (\d+)", source("utils/errors.py"))}
    return codes


def http_statuses():
    statuses = {int(status) for status in re.findall(r"status == (\d+)", source("utils/errors.py"))}
    intake = source("models/zoom_webhook_intake.py")
    statuses |= {int(status) for status in re.findall(r"WebhookAnswer(?:\.plain)?\((\d+)", intake)}
    return statuses


def token_errors():
    found = set()
    for module in ("utils/oauth.py", "utils/user_oauth.py"):
        found |= set(re.findall(r"""error"?\)? == "([a-z_]+)\"""", source(module)))
    return found


def named(section, term):
    return re.search(rf"(?<![\w.]){re.escape(str(term))}(?![\w.])", section) is not None


def test_the_scan_finds_what_the_addon_handles():
    assert {124, 1001, 3001, 3161, 4700, 4711, 200}.issubset(zoom_codes())
    assert {401, 429, 400, 413}.issubset(http_statuses())
    assert {"invalid_client", "unsupported_grant_type", "invalid_grant"}.issubset(token_errors())


def test_every_zoom_code_the_addon_maps_is_in_the_troubleshooting_section():
    section = troubleshooting_section()
    missing = sorted(code for code in zoom_codes() if not named(section, code))
    assert not missing, f"README Troubleshooting does not explain Zoom codes {missing}"


def test_every_http_status_and_token_error_is_in_the_troubleshooting_section():
    section = troubleshooting_section()
    missing = sorted(str(term) for term in http_statuses() | token_errors() if not named(section, term))
    assert not missing, f"README Troubleshooting does not explain {missing}"


def test_outages_rate_limits_and_webhook_signatures_are_explained():
    section = troubleshooting_section().lower()
    for topic in ("5xx", "circuit breaker", "daily limit", "per second", "url_validation", "signature"):
        assert topic in section, topic
