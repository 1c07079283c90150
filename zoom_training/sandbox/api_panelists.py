"""Webinar panelists: list, add, delete one (by id or email), delete all."""

from . import errors, schemas
from .clock import format_utc
from .serialize import panelist_json
from .state import WEBINAR, Panelist


def list_panelists(call, meeting_ref):
    webinar = call.session(meeting_ref, WEBINAR)
    rows = [panelist_json(webinar, panelist, call.urls) for panelist in webinar.panelists.values()]
    return 200, {"panelists": rows, "total_records": len(rows)}


def add(call, meeting_ref):
    webinar = call.session(meeting_ref, WEBINAR)
    body = call.valid_body(schemas.PANELISTS)
    for person in body["panelists"]:
        _add_or_rename(call, webinar, person)
    return 201, {"id": str(webinar.id), "updated_at": format_utc(call.clock.now())}


def _add_or_rename(call, webinar, person):
    extra = {key: value for key, value in person.items() if key not in ("email", "name")}
    for panelist in webinar.panelists.values():
        if panelist.email.lower() == person["email"].lower():
            panelist.name = person["name"]
            panelist.fields.update(extra)
            return
    panelist = Panelist(call.ids.token(22), person["email"], person["name"], call.ids.token(40), extra)
    webinar.panelists[panelist.id] = panelist


def delete_all(call, meeting_ref):
    call.session(meeting_ref, WEBINAR).panelists.clear()
    return 204, None


def delete_one(call, meeting_ref, panelist_id):
    webinar = call.session(meeting_ref, WEBINAR)
    for key, panelist in list(webinar.panelists.items()):
        if panelist_id in (key, panelist.email):
            del webinar.panelists[key]
            return 204, None
    raise errors.ZoomError(400, 300, f"Panelist does not exist: {panelist_id}.")


HANDLERS = {
    "webinarPanelists": list_panelists,
    "webinarPanelistCreate": add,
    "webinarPanelistsDelete": delete_all,
    "webinarPanelistDelete": delete_one,
}
