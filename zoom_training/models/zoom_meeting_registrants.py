import logging
from datetime import timedelta, timezone

from odoo import _, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.errors import (
    TRANSIENT_ERRORS,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomValidationError,
)
from ..utils.ratelimit import next_utc_midnight
from ..utils.registrants import (
    DEFAULT_TEST_DOMAINS,
    batches,
    limited_registrant,
    parse_test_domains,
    rejected_index,
    split_name,
)
from .zoom_participant_mixin import PARTICIPANT_MODELS, REGISTRANT_SYNC_DELAY
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

TEST_DOMAINS_PARAM = "zoom_training.test_email_domains"
DEFAULT_RETRY_SECONDS = 60
MAIL_JOB_SIZE = 500  # personal-link mails rendered by one job


class RegistrantPlan:
    """What one sync pass sends: additions by email, status updates as (participant, state, reason)."""

    def __init__(self):
        self.additions = {}
        self.approvals = []
        self.cancellations = []
        self.progress = False
        self.linked = []  # participants that received their first personal link in this pass

    def is_empty(self):
        return not (self.additions or self.approvals or self.cancellations)


class ZoomMeeting(models.Model):
    """Registrants: who is registered in Zoom follows who is registered in Odoo."""

    _inherit = "zoom.meeting"

    def _zoom_push(self):
        result = super()._zoom_push()
        if result is True:
            self._zoom_enqueue_registrant_sync()
        return result

    def _zoom_forget_registrants(self):
        for participant in self._zoom_participant_records():
            if participant.zoom_registrant_id or participant.zoom_sync_state in ("synced", "quota"):
                participant._zoom_forget_registration()

    def _zoom_enqueue_registrant_sync(self, eta=REGISTRANT_SYNC_DELAY, resume=False):
        """`resume`: an earlier pass may have been cut off after Zoom registered people."""
        for meeting in self.filtered(lambda meeting: meeting.active and meeting.zoom_id):
            delayed = meeting.with_delay(
                channel="root.zoom",
                identity_key=f"zoom-registrants-{meeting.id}",
                eta=eta,
                description=_("Zoom: sync registrants of %s", meeting.name),
            )
            if resume:
                delayed._zoom_sync_registrants(resume=True)
            else:
                delayed._zoom_sync_registrants()

    # Job -------------------------------------------------------------------------------------------

    def _zoom_sync_registrants(self, only=None, resume=False):
        """Registers who must be, cancels who must not, records why the others are not sent. Idempotent.

        `only` (participant records) restricts what is sent to Zoom to them (the Join click); `resume` reads
        who Zoom holds first, as does a job after an unfinished pass (see _zoom_after_unfinished_pass).
        """
        self = self.sudo()
        self.ensure_one()
        if not self._zoom_accepts_registrants():
            return False
        if only is None and not self.env.context.get("job_uuid") and self._zoom_registrant_job_live():
            # called outside the queue (the reconciliation): one pass at a time, after the live one
            self._zoom_enqueue_registrant_sync(eta=None, resume=True)
            return False
        plan = self._zoom_registrant_plan(only)
        if plan.is_empty():
            return True
        try:
            if plan.additions and (resume or self._zoom_after_unfinished_pass()):
                self._zoom_adopt_held_registrants(plan)
            self._zoom_send_cancellations(plan)
            self._zoom_send_status(plan, plan.approvals, "approve")
            self._zoom_send_additions(plan)
        except TRANSIENT_ERRORS as error:
            return self._zoom_registrants_later(plan, error)
        except ZoomNotFound:
            _logger.info("Zoom %s %s is gone: registrants not synced", self.kind, self.id)
            return False
        except ZoomError as error:
            self._zoom_note_registrant_error(plan, zoom_plain(self.env, error.plain))
            _logger.info("Zoom refused registrants of %s %s: %s", self.kind, self.id, error.plain)
            return False
        finally:  # what Zoom registered stays registered, whatever came after (a failure rolls back both)
            self._zoom_mail_links_later(plan.linked)
        return True

    def _zoom_after_unfinished_pass(self):
        """True when a registrant pass of this meeting ran and did not finish: this job's own earlier run or
        another job's, cut off (a lost database connection, a killed worker, a restart) or put off. Zoom
        may hold registrants that this transaction does not know."""
        uuid = self.env.context.get("job_uuid") or ""
        unfinished = [
            ("identity_key", "=", f"zoom-registrants-{self.id}"),
            "|",
            "&",
            ("state", "in", ("pending", "enqueued", "started", "failed")),
            ("retry", ">", 0),
            "&",
            ("state", "=", "started"),
            ("uuid", "!=", uuid),
        ]
        return bool(self.env["queue.job"].sudo().search_count(unfinished, limit=1))

    def _zoom_registrant_job_live(self):
        live = [
            ("identity_key", "=", f"zoom-registrants-{self.id}"),
            ("state", "in", ("pending", "enqueued", "started")),
        ]
        return bool(self.env["queue.job"].sudo().search_count(live, limit=1))

    def _zoom_adopt_held_registrants(self, plan):
        """Who Zoom already holds is recorded from Zoom's own listing (a page of 300 per call), not added
        again: each add counts against the registrant's 3 a day, and a batch call is Zoom's scarcest."""
        held = self._zoom_held_registrants()
        for email in [email for email in plan.additions if email in held]:
            row = held[email]
            plan.linked.extend(
                self._zoom_store_registrant(plan, dict(row, registrant_id=row["id"], email=email))
            )
            plan.progress = True

    def _zoom_accepts_registrants(self):
        if not (self.active and self.zoom_id) or self.sync_state == "deleted":
            return False
        if self.res_model == "calendar.recurrence" or not self.start:
            return True
        end = self.last_occurrence_end or self.start + timedelta(minutes=self.duration or 0)
        return end > fields.Datetime.now()

    # Plan ------------------------------------------------------------------------------------------

    def _zoom_participant_records(self):
        """Every participant of this meeting, active registrants first (they keep their place)."""
        participants = []
        for model in PARTICIPANT_MODELS:
            Participant = self.env[model].sudo().with_context(active_test=False)
            participants.extend(Participant.search(Participant._zoom_participant_domain(self)))
        return sorted(participants, key=lambda p: (not p._zoom_is_active_registrant(), p._name, p.id))

    def _zoom_excluded_emails(self):
        """The host, alternative hosts and panelists join with their own links: never registrants."""
        source = self._source()
        users = (source._zoom_host_user() | source._zoom_cohost_users()) if source else self.host_user_id
        emails = (
            {self.host_email} | set(users.mapped("email")) | {user._zoom_verified_email() for user in users}
        )
        return {email.strip().lower() for email in emails if email}

    def _zoom_test_domains(self):
        value = self.env["ir.config_parameter"].sudo().get_param(TEST_DOMAINS_PARAM, DEFAULT_TEST_DOMAINS)
        return parse_test_domains(value)

    def _zoom_registrant_plan(self, only=None):
        plan = RegistrantPlan()
        excluded, test_domains = self._zoom_excluded_emails(), self._zoom_test_domains()
        now = fields.Datetime.now()
        kept = {}
        verdicts = []
        for participant in self._zoom_participant_records():
            verdict, reason = participant._zoom_verdict(excluded, test_domains)
            if verdict == "register":
                key = (participant._zoom_participant_group(), participant._zoom_email())
                if key in kept:
                    verdict = "flagged"
                    reason = _("Same email as %s for this session: sent once.", kept[key].display_name)
                else:
                    kept[key] = participant
            verdicts.append((participant, verdict, reason))
        wanted_emails = {email for _group, email in kept}
        for participant, verdict, reason in verdicts:
            if only is not None and (participant._name != only._name or participant not in only):
                continue
            waiting = participant.zoom_quota_until and participant.zoom_quota_until > now
            if verdict == "register":
                self._zoom_plan_registration(plan, participant, waiting)
            elif participant._zoom_is_active_registrant() and not waiting:
                if participant.zoom_registrant_email in wanted_emails:
                    participant._zoom_set_state(verdict, reason)  # the same person stays registered
                else:
                    plan.cancellations.append((participant, verdict, reason))
                    participant._zoom_set_state("cancel_pending", reason)
            elif not waiting:
                participant._zoom_set_state(verdict, reason)
        return plan

    def _zoom_plan_registration(self, plan, participant, waiting):
        email = participant._zoom_email()
        if participant._zoom_is_active_registrant():
            if participant.zoom_registrant_email == email:
                participant._zoom_set_state("synced")
                return
            plan.cancellations.append((participant, "to_sync", False))  # the email changed
        elif participant.zoom_registrant_id and participant.zoom_registrant_email == email:
            if not waiting:
                plan.approvals.append((participant, "synced", False))
            return
        if not waiting:
            plan.additions.setdefault(email, []).append(participant)

    # Sending ---------------------------------------------------------------------------------------

    def _zoom_registrants_path(self, suffix=""):
        return f"/{self.kind}s/{self.zoom_id}/{suffix or 'registrants'}"

    def _zoom_send_cancellations(self, plan):
        self._zoom_send_status(plan, plan.cancellations, "cancel")

    def _zoom_send_status(self, plan, entries, action):
        """Registrant status updates by 30; a registrant over its daily limit waits, the others go on."""
        queue = batches(entries)
        while queue:
            batch = queue.pop(0)
            body = {
                "action": action,
                "registrants": [
                    {"id": participant.zoom_registrant_id, "email": participant.zoom_registrant_email}
                    for participant, _state, _reason in batch
                ],
            }
            try:
                self._client().put(self._zoom_registrants_path("registrants/status"), json=body)
            except ZoomRateLimited as error:
                rest = self._zoom_without_limited(error, batch, lambda entry: entry[0].zoom_registrant_email)
                if rest is None:
                    raise
                if rest:
                    queue.insert(0, rest)
                continue
            plan.progress = True
            for participant, state, reason in batch:
                participant._zoom_after_status(action, state, reason)
        entries.clear()

    def _zoom_send_additions(self, plan):
        """Batches of 30 (Zoom's Heavy calls); one registrant alone, as a Join click registers, by the single
        add (a Light call: it does not queue behind the Heavy batches of a large sync, and Light allows
        three to four times as many calls a second)."""
        if self._zoom_uses_batches() and len(plan.additions) > 1:
            self._zoom_send_batches(plan)
        else:
            self._zoom_send_one_by_one(plan)

    def _zoom_uses_batches(self):
        """Zoom batch-registers scheduled meetings (type 2) and webinars (type 5), not recurring series."""
        return not self._zoom_is_series()

    def _zoom_send_batches(self, plan):
        queue = batches(plan.additions)
        client = self._client()  # one for the pass: a thousand batches, not a thousand clients
        while queue:
            emails = queue.pop(0)
            try:
                answer = client.post(
                    self._zoom_registrants_path("batch_registrants"),
                    json=self._zoom_batch_body(plan, emails),
                    retry_unsafe=False,
                )
            except ZoomRateLimited as error:
                rest = self._zoom_without_limited(error, emails, lambda email: email, plan)
                if rest is None:
                    raise
                if rest:
                    queue.insert(0, rest)
                continue
            except ZoomValidationError as error:
                rest = self._zoom_without_rejected(error, emails, plan)
                if rest is None:
                    raise
                if rest:
                    queue.insert(0, rest)
                continue
            plan.progress = True
            for row in answer.get("registrants", []):
                plan.linked.extend(self._zoom_store_registrant(plan, row))
            # written to the database now, while the pass waits for its next slot: left to the commit, the
            # rows of 30,000 registrants were written after the last call (1.8 s of a 28 s sync)
            self.env.flush_all()

    def _zoom_send_one_by_one(self, plan):
        for email in list(plan.additions):
            try:
                answer = self._client().post(
                    self._zoom_registrants_path(),
                    json=dict(self._zoom_registrant_values(plan.additions[email][0]), auto_approve=True),
                    retry_unsafe=False,
                )
            except ZoomRateLimited as error:
                if self._zoom_without_limited(error, [email], lambda item: item, plan) is None:
                    raise
                continue
            except ZoomValidationError as error:
                if self._zoom_without_rejected(error, [email], plan) is None:
                    raise
                continue
            plan.progress = True
            plan.linked.extend(self._zoom_store_registrant(plan, dict(answer, email=email)))

    def _zoom_batch_body(self, plan, emails):
        body = {
            "auto_approve": True,
            "registrants": [self._zoom_registrant_values(plan.additions[email][0]) for email in emails],
        }
        if self.kind == "meeting":
            body["registrants_confirmation_email"] = bool(self.company_id.zoom_emails_enabled)
        return body

    @staticmethod
    def _zoom_registrant_values(participant):
        email = participant._zoom_participant_email().strip()
        first_name, last_name = split_name(participant._zoom_participant_name(), email)
        values = {"email": email, "first_name": first_name}
        if last_name:
            values["last_name"] = last_name
        return values

    def _zoom_store_registrant(self, plan, row):
        """Records Zoom's answer on the participants registered under its email; returns those who have
        just received their first personal link."""
        email = (row.get("email") or "").strip().lower()
        linked = []
        for participant in plan.additions.pop(email, []):
            first_link = bool(row.get("join_url")) and not participant.zoom_join_url
            # Zoom's fields are not tracked: without the chatter's bookkeeping (its snapshot of the tracked
            # fields, its follower check) a write costs half as much, 30 of them between two batch calls
            participant.with_context(tracking_disable=True).write(
                {
                    "zoom_registrant_id": row["registrant_id"],
                    "zoom_join_url": row.get("join_url"),
                    "zoom_registrant_email": email,
                    "zoom_registrant_approved": bool(row.get("join_url")),
                    "zoom_sync_state": "synced" if row.get("join_url") else "to_sync",
                    "zoom_sync_error": False if row.get("join_url") else _("Zoom has not approved it yet."),
                    "zoom_quota_until": False,
                }
            )
            if first_link:
                linked.append(participant)
        return linked

    def _zoom_mail_links_later(self, participants):
        """Their personal links by mail, rendered at once by a job of its own once this sync is committed:
        rendering 3,000 mails inside the sync took longer than Zoom's rate limit for registering them."""
        # one browse per model, not `|` over the list: each union copies the ids, so 30,000 took 27 s (at
        # the end of the sync, before its commit: all of them waited for it to read as synced). By jobs of
        # MAIL_JOB_SIZE: 30,000 mails in one transaction ran for minutes, past a worker's time limit.
        for model, ids in _ids_by_model(participants).items():
            for start in range(0, len(ids), MAIL_JOB_SIZE):
                chunk = ids[start : start + MAIL_JOB_SIZE]
                description = _(
                    "Zoom: mail %(count)s personal join links (%(name)s)", count=len(chunk), name=self.name
                )
                self.env[model].browse(chunk).with_delay(
                    channel="root", description=description
                )._zoom_link_ready()

    # Errors ----------------------------------------------------------------------------------------

    def _zoom_without_limited(self, error, items, email_of, plan=None):
        """The batch without the registrant over its daily limit (who waits for the quota); None when the
        limit is not a registrant's own."""
        email = limited_registrant(error.message) if error.is_daily else None
        limited = [item for item in items if email and email_of(item) == email]
        if not limited:
            return None
        until = _naive_utc(error.retry_at)
        for item in limited:
            people = plan.additions.pop(item, []) if plan is not None else [item[0]]
            for participant in people:
                participant.write(
                    {
                        "zoom_sync_state": "quota",
                        "zoom_quota_until": until,
                        "zoom_sync_error": _(
                            "Waiting for Zoom quota until %s (Zoom allows 3 registrations a day per person).",
                            fields.Datetime.to_string(until) + " UTC",
                        ),
                    }
                )
        self._zoom_enqueue_registrant_sync(eta=until)
        return [item for item in items if item not in limited]

    def _zoom_without_rejected(self, error, emails, plan):
        """The batch without the registrant Zoom rejected (flagged with Zoom's reason); None when Zoom
        rejected the whole request."""
        index = rejected_index(error.errors)
        if index is None or index >= len(emails):
            return None
        for participant in plan.additions.pop(emails[index], []):
            participant._zoom_set_state("flagged", zoom_plain(self.env, error.plain))
        return emails[:index] + emails[index + 1 :]

    def _zoom_registrants_later(self, plan, error):
        """Rate limits and outages: the pass runs again later; what was done so far is kept."""
        if isinstance(error, ZoomRateLimited) and error.is_daily:
            until = _naive_utc(error.retry_at)
            self._zoom_note_registrant_error(
                plan, zoom_plain(self.env, error.plain), state="quota", until=until
            )
            self._zoom_enqueue_registrant_sync(eta=until)
            return False
        seconds = (error.retry_after if isinstance(error, ZoomRateLimited) else None) or DEFAULT_RETRY_SECONDS
        if not plan.progress:
            raise RetryableJobError(zoom_plain(self.env, error.plain), seconds=seconds)
        self._zoom_enqueue_registrant_sync(eta=int(seconds), resume=True)  # an answer may have been lost
        return False

    def _zoom_note_registrant_error(self, plan, reason, state=None, until=False):
        waiting = [participant for people in plan.additions.values() for participant in people]
        waiting += [entry[0] for entry in plan.approvals + plan.cancellations]
        for participant in waiting:
            values = {"zoom_sync_error": reason, "zoom_quota_until": until}
            if state:
                values["zoom_sync_state"] = state
            participant.write(values)

    def _zoom_cancel_registrant_refs(self, refs):
        """Registrants whose Odoo record was deleted: (registrant id, email) pairs, cancelled by 30."""
        self = self.sudo()
        self.ensure_one()
        if not self._zoom_accepts_registrants():
            return False
        still_wanted = {
            participant.zoom_registrant_email
            for participant in self._zoom_participant_records()
            if participant._zoom_is_active_registrant()
        }
        refs = [(rid, email) for rid, email in refs if rid and email and email not in still_wanted]
        try:
            for batch in batches(refs):
                body = {
                    "action": "cancel",
                    "registrants": [{"id": rid, "email": email} for rid, email in batch],
                }
                self._client().put(self._zoom_registrants_path("registrants/status"), json=body)
        except ZoomNotFound:
            return False
        except TRANSIENT_ERRORS as error:
            seconds = error.retry_after if isinstance(error, ZoomRateLimited) else None
            raise RetryableJobError(
                zoom_plain(self.env, error.plain), seconds=seconds or DEFAULT_RETRY_SECONDS
            ) from error
        return True

    def _zoom_delete_registrants(self, registrant_ids):
        """DELETE each registrant (ids only: the job keeps no name or email). Gone already counts."""
        self = self.sudo()
        self.ensure_one()
        if not self.zoom_id:
            return False
        for registrant_id in registrant_ids:
            try:
                self._client().delete(self._zoom_registrants_path(f"registrants/{registrant_id}"))
            except ZoomNotFound:
                continue
            except TRANSIENT_ERRORS as error:
                raise RetryableJobError(zoom_plain(self.env, error.plain)) from error
        return True

    def _zoom_held_registrants(self):
        """Zoom's approved registrants of this session, by lower-case email: every page, 300 a page."""
        self.ensure_one()
        rows = self._client().paginate(
            self._zoom_registrants_path(), "registrants", params={"status": "approved"}
        )
        return {(row.get("email") or "").strip().lower(): row for row in rows}

    # Just in time ----------------------------------------------------------------------------------

    def _zoom_register_now(self, participant):
        """The Join click of someone not registered yet: this one registrant, now. Zoom answers an add for
        an email it knows with the existing registrant, so a repeated click never registers twice."""
        self.ensure_one()
        try:
            self.with_context(zoom_interactive=True)._zoom_sync_registrants(only=participant)
        except RetryableJobError:
            return False
        return participant._zoom_personal_link()

    # Scheduled actions -----------------------------------------------------------------------------

    @api.model
    def _cron_zoom_pre_event_registrants(self):
        """Sessions starting within each company's pre-event window: everyone due is registered now,
        late enrolments included."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            horizon = now + timedelta(minutes=company.zoom_pre_event_sync_minutes)
            meetings = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("active", "=", True),
                    ("zoom_id", "!=", False),
                    ("start", ">=", now - timedelta(hours=12)),
                    ("start", "<=", horizon),
                ]
            )
            meetings._zoom_with_participants_due()._zoom_enqueue_registrant_sync(eta=None)

    @api.model
    def _cron_zoom_registrant_catch_up(self):
        """Anything left waiting (an outage, a quota that has reset, a sync that gave up) is synced again.
        Only sessions that have not ended are looked at, and their due participants are found by one
        grouped query per participant model, whatever the number of sessions."""
        now = fields.Datetime.now()
        meetings = self.sudo().search(
            [
                ("active", "=", True),
                ("zoom_id", "!=", False),
                ("sync_state", "!=", "deleted"),
                "|",
                ("res_model", "=", "calendar.recurrence"),
                "&",
                ("zoom_status", "!=", "ended"),
                "|",
                ("end", ">", now),
                ("end", "=", False),
            ]
        )
        meetings._zoom_with_participants_due()._zoom_enqueue_registrant_sync(eta=None)
        return meetings

    def _zoom_has_participants_due(self):
        self.ensure_one()
        return bool(self._zoom_with_participants_due())

    def _zoom_with_participants_due(self):
        """These meetings that have participants waiting to be registered or cancelled."""
        now = fields.Datetime.now()
        due = self.browse()
        if not self:
            return due
        for model in PARTICIPANT_MODELS:
            Participant = self.env[model].sudo()
            domain = [
                *Participant._zoom_participant_domain(self),
                ("zoom_sync_state", "in", ("to_sync", "cancel_pending", "held", "quota", "error")),
                "|",
                ("zoom_quota_until", "=", False),
                ("zoom_quota_until", "<=", now),
            ]
            for (event,) in Participant._read_group(domain, ["event_id"]):
                due |= event.zoom_meeting_id
        return due & self


def _ids_by_model(records):
    """{model name: [ids]} of single records, in their order."""
    grouped = {}
    for record in records:
        grouped.setdefault(record._name, []).append(record.id)
    return grouped


def _naive_utc(instant):
    instant = instant or next_utc_midnight()
    return instant.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
