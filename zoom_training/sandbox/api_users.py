"""Users: the user and its settings (Zoom's Users API)."""

from . import errors
from .serialize import SETTINGS_BY_OPTION, user_json, user_settings_json


def get_user(call, user_ref):
    return 200, user_json(call.user(user_ref), call.state.account_id, call.urls)


def get_settings(call, user_ref):
    user = call.user(user_ref)
    option = call.arg("option") or None
    if option not in SETTINGS_BY_OPTION:
        raise errors.validation_failed([{"field": "option", "message": "Invalid field."}])
    return 200, user_settings_json(user, option)


HANDLERS = {"user": get_user, "userSettings": get_settings}
