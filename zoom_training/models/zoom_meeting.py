import json
import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.breaker import ZoomCircuitOpen
from ..utils.errors import (
    TRANSIENT_ERRORS,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
)
from ..utils.payloads import build_payload, changed_part, payload_hash, zoom_datetime
from ..utils.ratelimit import next_utc_midnight
from .zoom_audit_event import api_failure_recorder
from .zoom_participant_mixin import PARTICIPANT_MODELS
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 60
PUSH_DELAY_SECONDS = 5  # edits within this window become one update
CLOCK_SKEW = timedelta(minutes=1)  # between Odoo's clock and Zoom's when comparing creation times
LICENSED = 2
SYNC_STATES = [
    ("pending", "Being synced"),
    ("synced", "Synced"),
    ("error", "Error"),
    ("quota", "Waiting for Zoom quota"),
    ("deleted", "Deleted in Zoom"),
]


class ZoomMeeting(models.Model):
    """A Zoom meeting or webinar held for a calendar event or a training. Odoo is the source of truth."""

    _name = "zoom.meeting"
    _inherit = ["mail.thread"]
    _description = "Zoom meeting or webinar"
    _order = "start desc, id desc"

    name = fields.Char("Topic", required=True)
    kind = fields.Selection(
        [("meeting", "Meeting"), ("webinar", "Webinar")], required=True, default="meeting"
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    res_model = fields.Char("Source model", required=True, index=True)
    res_id = fields.Many2oneReference("Source record", model_field="res_model", required=True, index=True)
    event_id = fields.Many2one(
        "event.event", string="Training", compute="_compute_owner", store=True, index="btree_not_null"
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
        string="Calendar event",
        compute="_compute_owner",
        store=True,
        index="btree_not_null",
    )
    host_user_id = fields.Many2one("res.users", string="Host")
    host_email = fields.Char()
    zoom_id = fields.Char("Zoom ID", index=True, copy=False, readonly=True)
    zoom_uuid = fields.Char("Zoom UUID", copy=False, readonly=True)
    start = fields.Datetime()
    duration = fields.Integer("Duration (minutes)")
    end = fields.Datetime(
        compute="_compute_end", store=True, index=True, help="When the session ends (start + duration)."
    )
    host_capacity = fields.Integer(
        copy=False,
        readonly=True,
        help="Participants the host's Zoom licence admits (webinar or meeting capacity), as Zoom said.",
    )
    sync_warning = fields.Text(
        copy=False, readonly=True, help="What Zoom was not sent (an instructor unknown to Zoom...)."
    )
    timezone = fields.Char()
    # What Zoom gave: read by the sync flows (sudo) and served by `host_join_url` / `passcode` to the people
    # they belong to.
    join_url = fields.Char("Join link (raw)", copy=False, readonly=True, groups="base.group_system")
    registration_url = fields.Char(copy=False, readonly=True, groups="base.group_system")
    password = fields.Char("Passcode (raw)", copy=False, readonly=True, groups="base.group_system")
    host_join_url = fields.Char(
        "Join link",
        compute="_compute_for_current_user",
        help="The meeting's own link: hosts and co-hosts only.",
    )
    passcode = fields.Char(
        compute="_compute_for_current_user", help="Hosts, co-hosts, organisers and participants only."
    )
    zoom_visible_to_me = fields.Boolean(
        compute="_compute_zoom_visible_to_me",
        search="_search_zoom_visible_to_me",
        help="The current user may see this meeting: attendance and recordings follow it.",
    )
    sync_state = fields.Selection(SYNC_STATES, default="pending", required=True, tracking=True)
    sync_error = fields.Text(copy=False)
    quota_until = fields.Datetime(copy=False)
    last_payload = fields.Text(
        copy=False, groups="zoom_training.group_zoom_manager", help="What Zoom holds, as last sent by Odoo."
    )
    last_payload_hash = fields.Char(copy=False)
    zoom_status = fields.Selection(
        [("waiting", "Not started"), ("started", "In progress"), ("ended", "Ended")],
        default="waiting",
        copy=False,
    )
    actual_start = fields.Datetime(copy=False)
    actual_end = fields.Datetime(copy=False)
    update_count = fields.Integer(copy=False, help="Create and update calls sent to Zoom.")
    last_reconciled_at = fields.Datetime(copy=False)
    requested_at = fields.Datetime(
        default=fields.Datetime.now, copy=False, help="When Odoo first asked for this meeting (wall clock)."
    )
    occurrence_state = fields.Text(
        copy=False,
        groups="zoom_training.group_zoom_manager",
        help="Occurrences of a recurring meeting as Zoom holds them: {occurrence_id: {...}}.",
    )

    _sql_constraints = [
        ("zoom_id_unique", "unique(zoom_id, company_id)", "A Zoom meeting is linked to one Odoo record only.")
    ]

    # Source ----------------------------------------------------------------------------------------

    def _source(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    @api.depends("res_model", "res_id")
    def _compute_owner(self):
        """The training or calendar event behind the meeting (a series: its first event), for access rules."""
        for meeting in self:
            source = meeting.sudo()._source() if meeting.res_model and meeting.res_id else None
            meeting.event_id = source if source and source._name == "event.event" else False
            if source and source._name == "calendar.recurrence":
                source = source._zoom_base()
            meeting.calendar_event_id = source if source and source._name == "calendar.event" else False

    @api.depends("start", "duration")
    def _compute_end(self):
        for meeting in self:
            meeting.end = meeting.start and meeting.start + timedelta(minutes=meeting.duration or 0)

    # Who may see what ------------------------------------------------------------------------------

    def _zoom_host_users(self):
        """The host and co-hosts (alternative hosts, panelists), as Odoo users."""
        self.ensure_one()
        source = self.sudo()._source()
        cohosts = source._zoom_cohost_users() if source else self.env["res.users"]
        return (self.sudo().host_user_id | cohosts).with_env(self.env)

    def _zoom_is_host(self, user):
        return user in self._zoom_host_users()

    def _zoom_is_organiser_or_participant(self, user):
        """Organisers (the source's responsible user) and invited participants."""
        self.ensure_one()
        source = self.sudo()._source()
        if not source:
            return False
        if source._zoom_host_user() == user:
            return True
        for model in PARTICIPANT_MODELS:
            Participant = self.env[model].sudo()
            domain = [*Participant._zoom_participant_domain(self), ("partner_id", "=", user.partner_id.id)]
            if Participant.search_count(domain, limit=1):
                return True
        return False

    def _as_current_user(self):
        """This model in the current user's own rights (inside a record rule, the ORM runs as superuser)."""
        return self.with_env(self.env(su=False)).with_context(active_test=False)

    @api.depends_context("uid")
    def _compute_zoom_visible_to_me(self):
        visible = self._as_current_user().search([("id", "in", self.ids)]) if self.ids else self.browse()
        for meeting in self:
            meeting.zoom_visible_to_me = meeting.id in visible.ids

    def _search_zoom_visible_to_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search Zoom meetings seen by the current user with = True or = False only."))
        as_user = self._as_current_user()
        query = as_user._search([]) if as_user.has_access("read") else []
        return [("id", "in" if (operator == "=") == value else "not in", query)]

    @api.depends_context("uid")
    def _compute_for_current_user(self):
        user = self.env.user
        for meeting in self:
            raw = meeting.sudo()
            # superuser mode is the system's own code (jobs, crons), not someone's request
            is_host = bool(meeting.id) and (self.env.su or meeting._zoom_is_host(user))
            meeting.host_join_url = raw.join_url if is_host else False
            shown = is_host or (bool(meeting.id) and meeting._zoom_is_organiser_or_participant(user))
            meeting.passcode = raw.password if shown else False

    def _zoom_account(self):
        return self.env["zoom.account"]._for_company(self.company_id)

    def _client(self):
        return self._zoom_host_client()[0]

    def _zoom_host_client(self, host=None):
        """(client, user_ref) to act as the host in Zoom: their own connected account as `me`, else the
        company's Server-to-Server app with user_ref None (the host is then addressed by email)."""
        user_client = self.env["zoom.user.token"]._client_for_user(host or self.host_user_id)
        client, user_ref = (user_client, "me") if user_client else (self._zoom_account()._zoom_client(), None)
        client.on_failure = api_failure_recorder(
            self.env.registry, self.company_id.id, self.env.uid, self[:1]
        )
        return client, user_ref

    # Queueing --------------------------------------------------------------------------------------

    def _enqueue_push(self, eta=PUSH_DELAY_SECONDS):
        self._enqueue("_zoom_push", "push", eta)

    def _enqueue_delete(self, eta=None):
        self._enqueue("_zoom_delete", "delete", eta)

    def _enqueue(self, method, key, eta):
        """One pending job per meeting and action: a burst of requests becomes one job."""
        for meeting in self.sudo():  # the caller's right on the source was checked; the job is the system's
            delayed = meeting.with_delay(
                channel="root.zoom",
                identity_key=f"zoom-{key}-{meeting.id}",
                eta=eta,
                description=meeting._zoom_job_description(key),
            )
            getattr(delayed, method)()

    def _zoom_job_description(self, key):
        """What the job queue shows for a push or a delete, in the requester's language."""
        if key == "delete":
            if self.kind == "webinar":
                return _("Zoom: delete webinar %s", self.name)
            return _("Zoom: delete meeting %s", self.name)
        if self.kind == "webinar":
            return _("Zoom: sync webinar %s", self.name)
        return _("Zoom: sync meeting %s", self.name)

    # Jobs ------------------------------------------------------------------------------------------

    def _zoom_push(self):
        """Creates the meeting in Zoom, or sends what changed. Idempotent. The system's work: whoever saved
        the event had the right to, and the host's identity comes from the event, not from that user."""
        self = self.sudo()
        self.ensure_one()
        source = self._source()
        if not self.active or not source or source._zoom_is_cancelled():
            return self._zoom_delete()
        try:
            spec = self._zoom_with_known_cohosts(source, source._zoom_session_spec())
            payload = build_payload(spec)
            if not self.zoom_id:
                self._zoom_create(source, payload)
            elif self._zoom_host_changed(source):
                self._zoom_move_to_host(source, payload)
            else:
                self._zoom_update(payload)
            self._zoom_sync_cohosts(source)
            source._zoom_after_push(self)
        except TRANSIENT_ERRORS as error:
            return self._zoom_retry_later(error, self._enqueue_push)
        except (ZoomError, UserError) as error:
            self._zoom_fail(error)
            return False
        self.write({"sync_state": "synced", "sync_error": False, "quota_until": False})
        return True

    def _zoom_create(self, source, payload):
        host = source._zoom_host_user()
        host_email = self._zoom_check_host(host)
        client, user_ref = self._zoom_host_client(host)
        user_ref = user_ref or host_email
        existing = self._zoom_find_created_earlier(client, user_ref, payload)
        if existing:
            self._zoom_update_from_answer(client.get(f"/{self.kind}s/{existing['id']}"), {})
            return self._zoom_update(payload)
        # Not replayed by the client: a lost answer is found again by the next attempt, never re-created.
        answer = self._zoom_host_call(
            host_email,
            lambda: client.post(f"/users/{user_ref}/{self.kind}s", json=payload, retry_unsafe=False),
        )
        self.update_count += 1
        self._zoom_update_from_answer(answer, payload)
        return answer

    def _zoom_update(self, payload):
        if self.last_payload_hash == payload_hash(payload):
            return None
        changes = changed_part(json.loads(self.last_payload or "{}"), payload)
        if changes:
            self._zoom_host_call(
                self.host_email, lambda: self._client().patch(f"/{self.kind}s/{self.zoom_id}", json=changes)
            )
            self.update_count += 1
            if "recurrence" in changes or "start_time" in changes:
                self.occurrence_state = False  # Zoom regenerated the occurrences: read them again
        self.write({"last_payload": json.dumps(payload), "last_payload_hash": payload_hash(payload)})
        return changes

    def _zoom_host_call(self, host_email, send):
        """A create or update: one of the host's daily ones, reserved before it goes out."""
        budget = self.env["zoom.host.budget"]
        if host_email:
            budget._reserve(self.company_id, host_email)
        try:
            return send()
        except ZoomRateLimited as error:
            if error.is_daily and host_email:
                budget._use_up(self.company_id, host_email)
            raise

    def _zoom_update_from_answer(self, answer, sent_payload):
        self.write(
            {
                "zoom_id": str(answer["id"]),
                "zoom_uuid": answer.get("uuid"),
                "join_url": answer.get("join_url"),
                "registration_url": answer.get("registration_url"),
                "password": answer.get("password"),
                "host_email": answer.get("host_email") or self.host_email,
                "last_payload": json.dumps(sent_payload),
                "last_payload_hash": payload_hash(sent_payload),
            }
        )
        self._source()._zoom_meeting_ready(self)

    def _zoom_find_created_earlier(self, client, host_email, payload):
        """An attempt that timed out or was killed may have created the meeting: adopt it, never create twice.

        One listing call (Medium category) before each create; it does not count against the host's
        100 daily create/update calls.
        """
        items_key = f"{self.kind}s"
        listing = client.paginate(f"/users/{host_email}/{items_key}", items_key, params={"type": "scheduled"})
        not_before = zoom_datetime((self.requested_at - CLOCK_SKEW).replace(tzinfo=timezone.utc))
        candidates = {
            str(item["id"]): item
            for item in listing
            if item.get("topic") == payload["topic"]
            and item.get("start_time") == payload["start_time"]
            and item.get("created_at", "") >= not_before
        }
        if not candidates:
            return None
        linked = self.with_context(active_test=False).search([("zoom_id", "in", list(candidates))])
        unlinked = [item for zoom_id, item in candidates.items() if zoom_id not in linked.mapped("zoom_id")]
        return unlinked[0] if unlinked else None

    def _zoom_check_host(self, host):
        """The host's Zoom user: exists, licensed, and has the webinar feature for webinars."""
        if not host:
            raise UserError(_("Choose a responsible user: Zoom needs a host."))
        email = host._zoom_verified_email()
        if not email:
            raise UserError(
                _(
                    "%s has no Zoom identity: a Zoom administrator sets it (Zoom → Users' Zoom identities), "
                    "or they connect their own Zoom account from their preferences.",
                    host.name,
                )
            )
        client, user_ref = self._zoom_host_client(host)
        try:
            zoom_user = client.get(f"/users/{user_ref or email}")
        except ZoomNotFound as error:
            raise UserError(
                _(
                    "%s is not a user of your Zoom account: invite them in Zoom, or correct the Zoom email.",
                    email,
                )
            ) from error
        if zoom_user.get("type") != LICENSED:
            raise UserError(
                _(
                    "%s has a Basic Zoom license: registration needs a Licensed host. Upgrade them in Zoom.",
                    email,
                )
            )
        feature = client.get(f"/users/{user_ref or email}/settings").get("feature", {})
        if self.kind == "webinar" and not feature.get("webinar"):
            raise UserError(
                _("%s has no Zoom Webinar license: assign one in Zoom, or use a Zoom Meeting.", email)
            )
        email = (zoom_user.get("email") or email) if user_ref else email
        self.write(
            {"host_user_id": host.id, "host_email": email, "host_capacity": self._capacity_of(feature)}
        )
        return email

    def _capacity_of(self, feature):
        """Participants the host's licence admits: webinar, or meeting (or large meeting) capacity."""
        if self.kind == "webinar":
            return feature.get("webinar_capacity") or 0
        large = feature.get("large_meeting_capacity") if feature.get("large_meeting") else 0
        return max(feature.get("meeting_capacity") or 0, large or 0)

    # Host changes ----------------------------------------------------------------------------------

    def _zoom_host_changed(self, source):
        """Who hosts the session in Zoom must change: the responsible user, or who they are in Zoom, is not
        the meeting's host any more, and the session has not run yet. A new responsible user who is the same
        Zoom user (one Zoom identity for two Odoo users) only takes over *Start as host*."""
        host = source._zoom_host_user()
        if not host or self.zoom_status != "waiting" or not self.host_email:
            return False
        if host._zoom_verified_email() == self.host_email.lower():
            if host != self.host_user_id:
                self.host_user_id = host
            return False
        return True

    def _zoom_move_to_host(self, source, payload):
        """Zoom's API does not hand a meeting to another host (an update with `schedule_for` is refused,
        code 3000): the session is created again under the new host, its registrants registered there by
        the registrant sync that follows (each mailed their new link once), and the old one deleted by a
        job queued in the same transaction. A retry adopts the meeting it created (see _zoom_create)."""
        old_zoom_id, old_host = self.zoom_id, self.host_user_id
        # occurrences are read again from the new meeting (Zoom's occurrence ids are their start instants)
        self.write({"requested_at": fields.Datetime.now(), "occurrence_state": False})
        self._zoom_create(source, payload)
        self._zoom_forget_registrants()
        self.sudo().with_delay(
            channel="root.zoom",
            identity_key=f"zoom-delete-replaced-{self.id}-{old_zoom_id}",
            description=_(
                "Zoom: delete %(name)s, now hosted by %(host)s", name=self.name, host=self.host_user_id.name
            ),
        )._zoom_delete_replaced(old_zoom_id, old_host.id)
        source.message_post(
            body=_(
                "Zoom: %s now hosts this session; the trainees' links are replaced and mailed.",
                self.host_user_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _zoom_forget_registrants(self):
        """Registrants of the replaced meeting: their links are dead; the next registrant sync registers
        them in the new one (a hook of the registrants layer)."""

    def _zoom_delete_replaced(self, zoom_id, old_host_id):
        """The meeting the old host held, deleted without Zoom's cancellation mail to its registrants (they
        have the new link). Gone already counts as deleted."""
        self = self.sudo()
        client = self._zoom_host_client(self.env["res.users"].browse(old_host_id))[0]
        params = {f"cancel_{self.kind}_reminder": "false"}
        try:
            client.delete(f"/{self.kind}s/{zoom_id}", params=params)
        except ZoomNotFound as error:
            if not error.gone:
                raise
        except TRANSIENT_ERRORS as error:
            raise RetryableJobError(
                zoom_plain(self.env, error.plain), seconds=DEFAULT_RETRY_SECONDS
            ) from error
        return True

    # Co-hosts --------------------------------------------------------------------------------------

    def _zoom_with_known_cohosts(self, source, spec):
        """Instructors without a Zoom identity are named, not sent. Alternative hosts must be licensed users
        of the account: each one not sent before is looked up (GET /users/{email}, Light) before the update
        Zoom would refuse; one it does not know is left out and named on the event, the others are sent.
        (Webinar panelists may be anyone: Zoom mails them their own link.)"""
        cohosts = source._zoom_cohost_users() - source._zoom_host_user()
        problems = [
            self.env._("%s has no Zoom identity: not added in Zoom.", user.name)
            for user in cohosts
            if not user._zoom_verified_email()
        ]
        refused = []
        if spec.kind == "meeting":
            sent = json.loads(self.last_payload or "{}").get("settings", {}).get("alternative_hosts", "")
            known = set(sent.split(";"))
            refused = [e for e in spec.alternative_hosts if e not in known and not self._zoom_is_licensed(e)]
            problems += [
                self.env._(
                    "%s is not a licensed user of your Zoom account: not made alternative host.", email
                )
                for email in refused
            ]
        self._zoom_note_warning("\n".join(problems))
        if not refused:
            return spec
        return replace(spec, alternative_hosts=tuple(e for e in spec.alternative_hosts if e not in refused))

    def _zoom_is_licensed(self, email):
        try:
            return self._client().get(f"/users/{email}").get("type") == LICENSED
        except ZoomNotFound:
            return False

    def _zoom_note_warning(self, warning):
        """Shown on the form; a new one is also said once in the event's chatter."""
        warning = warning or False
        if warning != (self.sync_warning or False):
            self.sync_warning = warning
            source = self._source()
            if warning and source:
                source.message_post(body=_("Zoom: %s", warning), subtype_xmlid="mail.mt_note")

    def _zoom_sync_cohosts(self, source):
        """Webinar panelists follow the instructors; meetings carry theirs as alternative hosts."""
        if self.kind != "webinar":
            return
        cohosts = source._zoom_cohost_users()
        wanted = {user._zoom_verified_email(): user.name for user in cohosts if user._zoom_verified_email()}
        client = self._client()
        current = client.get(f"/webinars/{self.zoom_id}/panelists").get("panelists", [])
        present = {panelist["email"].lower() for panelist in current}
        missing = [{"email": email, "name": name} for email, name in wanted.items() if email not in present]
        if missing:
            client.post(f"/webinars/{self.zoom_id}/panelists", json={"panelists": missing})
        for panelist in current:
            if panelist["email"].lower() not in wanted:
                client.delete(f"/webinars/{self.zoom_id}/panelists/{panelist['id']}")

    def _zoom_delete(self):
        """Deletes the meeting in Zoom; one that is already gone (3001) counts as deleted."""
        self = self.sudo()
        self.ensure_one()
        if self.zoom_id:
            emails = self.company_id.zoom_emails_enabled
            params = {f"cancel_{self.kind}_reminder": str(emails).lower()}
            if self.kind == "meeting":
                params["schedule_for_reminder"] = str(emails).lower()
            try:
                self._client().delete(f"/{self.kind}s/{self.zoom_id}", params=params)
            except ZoomNotFound as error:
                if not error.gone:
                    raise
            except TRANSIENT_ERRORS as error:
                return self._zoom_retry_later(error, self._enqueue_delete)
        self.write({"sync_state": "deleted", "sync_error": False, "join_url": False, "active": False})
        return True

    def _zoom_forget_occurrence(self, occurrence_id):
        """An occurrence deleted in Odoo: the next push deletes it in Zoom."""
        state = json.loads(self.occurrence_state or "{}")
        if occurrence_id in state and not state[occurrence_id].get("deleted"):
            state[occurrence_id]["cancelled"] = True
            self.occurrence_state = json.dumps(state)

    # States ----------------------------------------------------------------------------------------

    def _zoom_retry_later(self, error, enqueue):
        """Outages and rate limits: the work runs again later; nothing is lost or marked failed."""
        if isinstance(error, ZoomRateLimited) and error.is_daily:
            return self._zoom_wait_for_quota(error, enqueue)
        if isinstance(error, ZoomCircuitOpen):
            seconds = max(1, int((error.retry_at - datetime.now(timezone.utc)).total_seconds()) + 1)
            raise RetryableJobError(zoom_plain(self.env, error.plain), seconds=seconds, ignore_retry=True)
        seconds = error.retry_after if isinstance(error, ZoomRateLimited) else None
        raise RetryableJobError(zoom_plain(self.env, error.plain), seconds=seconds)

    def _zoom_wait_for_quota(self, error, enqueue):
        """Shown on the record, and the same work queued again for when Zoom's daily quota resets."""
        until = (error.retry_at or next_utc_midnight()).astimezone(timezone.utc).replace(tzinfo=None)
        self.write(
            {"sync_state": "quota", "quota_until": until, "sync_error": zoom_plain(self.env, error.plain)}
        )
        enqueue(eta=until)
        return False

    def _zoom_fail(self, error):
        reason = zoom_plain(self.env, error.plain) if isinstance(error, ZoomError) else error.args[0]
        self._zoom_show_failure(reason)

    def _zoom_show_failure(self, reason):
        """On the meeting, in the source's chatter, and as an activity for the administrators."""
        self.write({"sync_state": "error", "sync_error": reason})
        source = self._source()
        if source:
            source.message_post(body=_("Zoom: %s", reason), subtype_xmlid="mail.mt_note")
        self._zoom_notify_administrators(_("Zoom sync failed"), reason)
        _logger.info("Zoom sync of %s %s failed: %s", self.res_model, self.res_id, reason)

    def _zoom_notify_administrators(self, summary, note):
        """One open activity per Zoom administrator and summary: a failure repeated does not pile them up."""
        administrators = self.env.ref("zoom_training.group_zoom_manager").users.filtered(
            lambda user: not user.share
        )
        for meeting in self.sudo():
            for admin in administrators.filtered(lambda user, m=meeting: m.company_id in user.company_ids):
                open_ones = meeting.activity_ids.filtered(
                    lambda activity, u=admin: activity.user_id == u and activity.summary == summary
                )
                if not open_ones:
                    meeting.activity_schedule(
                        "mail.mail_activity_data_warning", summary=summary, note=note, user_id=admin.id
                    )

    # Actions ---------------------------------------------------------------------------------------

    def action_sync_now(self):
        self._zoom_check_source_access("write")
        self.sudo().write({"sync_state": "pending", "sync_error": False})
        self._enqueue_push()
        return True

    def _zoom_check_source_access(self, operation):
        """A meeting is acted on through its calendar event or training: the user's right there decides."""
        for meeting in self:
            source = meeting.sudo()._source()
            if not source:
                raise AccessError(_("This Zoom meeting has no calendar event or training any more."))
            source.with_env(self.env).check_access(operation)

    def action_open_in_zoom(self):
        self.ensure_one()
        if not self.host_join_url:
            raise AccessError(_("Only the host and co-hosts open the meeting's own link."))
        return {"type": "ir.actions.act_url", "url": self.host_join_url, "target": "new"}

    def action_start_as_host(self):
        """The host's start link is never stored: fetched from Zoom when the host asks for it."""
        self.ensure_one()
        host = self.sudo().host_user_id
        if self.env.user != host:
            raise AccessError(_("Only the host, %s, can start this meeting.", host.name))
        answer = (
            self.sudo().with_context(zoom_interactive=True)._client().get(f"/{self.kind}s/{self.zoom_id}")
        )
        return {"type": "ir.actions.act_url", "url": answer["start_url"], "target": "new"}
