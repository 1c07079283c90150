"""What changed in Zoom behind Odoo's back. No ORM."""

COMPARED_KEYS = ("topic", "start_time", "duration", "timezone", "agenda")


def drifted_fields(sent, held):
    """The part of `sent` (Odoo's last payload) that Zoom's answer `held` no longer matches."""
    drifted = {}
    for key in COMPARED_KEYS:
        if key == "start_time" and sent.get("recurrence"):
            continue  # a series' start is its next occurrence in Zoom's answers
        if key in sent and _normal(key, sent[key]) != _normal(key, held.get(key)):
            drifted[key] = sent[key]
    held_settings = held.get("settings") or {}
    settings = {
        key: value
        for key, value in (sent.get("settings") or {}).items()
        if key in held_settings and _normal(key, value) != _normal(key, held_settings[key])
    }
    if settings:
        drifted["settings"] = settings
    return drifted


def _normal(key, value):
    if key == "alternative_hosts":
        return frozenset(
            part.strip().lower() for part in str(value or "").replace(",", ";").split(";") if part
        )
    if key == "agenda":
        return (value or "").strip()
    return value
