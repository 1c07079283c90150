# ruff: noqa: I001  (order matters: the mixin is defined before the models that inherit it)
from . import res_company
from . import res_config_settings
from . import res_users
from . import zoom_audit_event
from . import zoom_token
from . import zoom_account
from . import zoom_meeting
from . import zoom_sync_mixin
from . import calendar_event
from . import calendar_recurrence
from . import event_event
from . import zoom_meeting_webhook
from . import zoom_attendance
from . import zoom_recording
from . import zoom_webhook_event
from . import event_registration
from . import calendar_attendee
