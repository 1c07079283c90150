"""Lenient readers of what Zoom sends: a value that is not what it should be becomes None."""


def int_or_none(value):
    """`value` as an int (`"42"` and `42` alike), or None when it is missing or not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def json_or_none(response):
    """The decoded JSON body of a `requests` response, or None when the body is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None
