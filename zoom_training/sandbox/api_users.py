"""Users: the user and its settings (Zoom's Users API)."""

from .serialize import user_json, user_settings_json


def get_user(call, user_ref):
    return 200, user_json(call.user(user_ref), call.state.account_id, call.urls)


def get_settings(call, user_ref):
    return 200, user_settings_json(call.user(user_ref))


HANDLERS = {"user": get_user, "userSettings": get_settings}
