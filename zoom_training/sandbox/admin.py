"""The JSON admin API under /_sandbox/, so another process can read and drive the sandbox."""

import json
from datetime import datetime

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from .clock import format_utc
from .errors import ZoomError
from .seeding import seed_sessions


def _reply(body, status=200):
    return Response(json.dumps(body, default=str), status=status, content_type="application/json")


def _participant_json(participant):
    return {
        "user_id": participant.user_id,
        "name": participant.name,
        "email": participant.email,
        "registrant_id": participant.registrant_id,
        "join_time": format_utc(participant.join_time),
    }


class AdminApi:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        rules = [
            ("/_sandbox/state", "GET", self.state),
            ("/_sandbox/requests", "GET", self.requests),
            ("/_sandbox/requests", "DELETE", self.clear_requests),
            ("/_sandbox/clock", "POST", self.clock),
            ("/_sandbox/users", "POST", self.add_user),
            ("/_sandbox/seed", "POST", self.seed),
            ("/_sandbox/ratelimits", "POST", self.rate_limits),
            ("/_sandbox/faults", "POST", self.add_fault),
            ("/_sandbox/faults", "DELETE", self.clear_faults),
            ("/_sandbox/tokens/revoke", "POST", self.revoke),
            ("/_sandbox/scopes", "POST", self.scopes),
            ("/_sandbox/meetings/<meeting_id>/start", "POST", self.start_meeting),
            ("/_sandbox/meetings/<meeting_id>/join", "POST", self.join),
            ("/_sandbox/meetings/<meeting_id>/leave", "POST", self.leave),
            ("/_sandbox/meetings/<meeting_id>/end", "POST", self.end_meeting),
            ("/_sandbox/meetings/<meeting_id>/recording", "POST", self.recording),
            ("/_sandbox/webhooks", "GET", self.webhooks),
            ("/_sandbox/webhooks/validate", "POST", self.validate_webhook_url),
            ("/_sandbox/webhooks/faults", "POST", self.webhook_faults),
        ]
        self.map = Map([Rule(path, endpoint=handler, methods=[method]) for path, method, handler in rules])

    def dispatch(self, request):
        try:
            handler, args = self.map.bind_to_environ(request.environ).match()
            body = request.get_json(silent=True) or {}
            return _reply(handler(body, **args))
        except HTTPException as exc:
            return _reply({"error": exc.name}, exc.code)
        except ZoomError as exc:
            return _reply({"error": f"{exc.code}: {exc.message}", "errors": exc.errors}, exc.status)
        except (KeyError, ValueError, RuntimeError, TypeError, StopIteration) as exc:
            return _reply({"error": f"{type(exc).__name__}: {exc}"}, 400)

    # -- reading ----------------------------------------------------------------------------------
    def state(self, _body):
        sandbox = self.sandbox
        with sandbox.lock:
            meetings = [
                {
                    "id": m.id,
                    "uuid": m.uuid,
                    "kind": m.kind,
                    "topic": m.topic,
                    "type": m.type,
                    "status": m.status,
                    "host": m.host.email,
                    "registrants": len(m.registrants),
                    "runs": len(m.instances),
                    "occurrences": [
                        {"start_time": format_utc(o.start_time), "duration": o.duration}
                        for o in m.occurrences
                        if o.status == "available"
                    ],
                }
                for m in sandbox.state.meetings.values()
            ]
            users = [
                {"id": u.id, "email": u.email, "type": u.type, "webinar": u.webinar} for u in sandbox.users()
            ]
        return {
            "now": format_utc(sandbox.clock.now()),
            "plan": sandbox.limits.plan,
            "rate_limits": sandbox.limits.enabled,
            "users": users,
            "meetings": meetings,
        }

    def requests(self, _body):
        return [entry.as_dict() for entry in self.sandbox.requests.entries]

    def clear_requests(self, _body):
        self.sandbox.requests.clear()
        return {"cleared": True}

    def webhooks(self, _body):
        hooks = self.sandbox.webhooks
        return {
            "events": list(hooks.events),
            "deliveries": [d.as_dict() for d in list(hooks.deliveries)],
            "dropped": list(hooks.dropped),
        }

    # -- driving ----------------------------------------------------------------------------------
    def clock(self, body):
        if "advance" in body:
            self.sandbox.clock.advance(float(body["advance"]))
        if "set" in body:
            self.sandbox.clock.set(datetime.fromisoformat(body["set"].replace("Z", "+00:00")))
        return {"now": format_utc(self.sandbox.clock.now())}

    def add_user(self, body):
        user = self.sandbox.add_user(body["email"], body.get("type", "licensed"), bool(body.get("webinar")))
        return {"id": user.id, "email": user.email}

    def seed(self, body):
        return {"sessions": seed_sessions(self.sandbox, body["sessions"])}

    def rate_limits(self, body):
        limits = self.sandbox.limits
        limits.enabled = bool(body.get("enabled", limits.enabled))
        if "plan" in body:
            limits.plan = body["plan"]
        return {"enabled": limits.enabled, "plan": limits.plan}

    def add_fault(self, body):
        names = ("operation", "status", "seconds", "count", "rate", "after")
        options = {key: body[key] for key in names if key in body}
        return self.sandbox.faults.add(body["kind"], **options).as_dict()

    def clear_faults(self, _body):
        self.sandbox.faults.clear()
        return {"cleared": True}

    def revoke(self, body):
        if body.get("token"):
            self.sandbox.oauth.revoke_token(body["token"])
        else:
            self.sandbox.oauth.revoke_all_tokens()
        return {"revoked": body.get("token") or "all"}

    def scopes(self, body):
        self.sandbox.oauth.granted_scopes = set(body["scopes"])
        return {"scopes": sorted(self.sandbox.oauth.granted_scopes)}

    def start_meeting(self, _body, meeting_id):
        instance = self.sandbox.start_meeting(meeting_id)
        return {"uuid": instance.uuid, "start_time": format_utc(instance.start_time)}

    def join(self, body, meeting_id):
        participant = self.sandbox.join(
            meeting_id,
            body.get("name", "Guest"),
            body.get("email", ""),
            body.get("registrant_id"),
            body.get("join_url"),
        )
        return _participant_json(participant)

    def leave(self, body, meeting_id):
        participant = self.sandbox.leave(meeting_id, body["user_id"], body.get("reason", ""))
        return {**_participant_json(participant), "leave_time": format_utc(participant.leave_time)}

    def end_meeting(self, _body, meeting_id):
        instance = self.sandbox.end_meeting(meeting_id)
        return {"uuid": instance.uuid, "end_time": format_utc(instance.end_time)}

    def recording(self, _body, meeting_id):
        recording = self.sandbox.complete_recording(meeting_id)
        return {"files": [f.id for f in recording.files]}

    def validate_webhook_url(self, body):
        result = self.sandbox.webhooks.validate_url(body.get("url"))
        return {"ok": result.ok, "status": result.status, "answer": result.answer, "error": result.error}

    def webhook_faults(self, body):
        hooks = self.sandbox.webhooks
        for kind, action in (
            ("drop", hooks.drop_next),
            ("duplicate", hooks.duplicate_next),
            ("reorder", hooks.reorder_next),
        ):
            if kind in body:
                action(int(body[kind]))
        return {"ok": True}
