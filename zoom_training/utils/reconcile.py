"""What changed in Zoom behind Odoo's back. No ORM."""

COMPARED_KEYS = ("topic", "start_time", "duration", "timezone", "agenda")
LISTED_AGENDA_LENGTH = 250  # a host's meeting list cuts each agenda there


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


def listing_differs(sent, listed):
    """Whether a row of the host's meeting list shows drift from Odoo's last payload `sent`.

    A row holds the compared fields but no settings, and the agenda cut at 250 characters: a row that
    agrees leaves only settings unchecked, which Zoom's `meeting.updated` webhook flags."""
    compared = {key: sent[key] for key in (*COMPARED_KEYS, "recurrence") if key in sent}
    if "agenda" in compared:
        compared["agenda"] = (compared["agenda"] or "")[:LISTED_AGENDA_LENGTH]
    return bool(drifted_fields(compared, listed))
