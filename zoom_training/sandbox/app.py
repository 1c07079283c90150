"""The WSGI application: OAuth, the REST API under /v2, recording downloads, Zoom's web links and the
admin API, with fault injection, authentication, scopes, rate limits and the request log around them."""

import hmac
import json
import socket
import time
from urllib.parse import unquote, urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import (
    api_listings,
    api_meetings,
    api_panelists,
    api_recordings,
    api_registrants,
    api_reports,
    api_users,
    faults,
)
from .admin import AdminApi
from .call import ApiCall
from .clock import format_utc
from .errors import ZoomError, no_recording
from .operations import OPERATIONS
from .requestlog import LoggedRequest
from .serialize import Urls
from .user_oauth import USER_GRANTS

HANDLERS = {
    **api_meetings.HANDLERS,
    **api_listings.HANDLERS,
    **api_registrants.HANDLERS,
    **api_panelists.HANDLERS,
    **api_reports.HANDLERS,
    **api_recordings.HANDLERS,
    **api_users.HANDLERS,
}
WEB_LINK_PREFIXES = (
    "/j/",
    "/w/",
    "/meeting/register/",
    "/webinar/register/",
    "/rec/play/",
    "/rec/share/",
)
FAULT_MESSAGES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class ConnectionDropped(Exception):
    """Raised after the socket was shut down on purpose: nothing is answered."""

    def __init__(self, operation_id):
        super().__init__(operation_id)
        self.operation_id = operation_id


def json_response(status, body, headers=None):
    data = "" if body is None or status == 204 else json.dumps(body, separators=(",", ":"))
    response = Response(data, status=status, headers=headers or {})
    if data:
        response.content_type = "application/json;charset=UTF-8"
    return response


def _body_of(request):
    raw = request.get_data(cache=True, as_text=True)
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return raw


class SandboxApp:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.operations = {operation.operation_id: operation for operation in OPERATIONS}
        self.api_map = Map(
            [Rule("/v2" + op.rule, endpoint=op.operation_id, methods=[op.method]) for op in OPERATIONS],
            merge_slashes=False,
        )
        self.admin = AdminApi(sandbox)

    def __call__(self, environ, start_response):
        request = Request(environ)
        started = time.monotonic()
        try:
            response, template, operation_id, category = self.route(request)
        except ConnectionDropped as dropped:
            operation = self.operations.get(dropped.operation_id)
            template = operation.template if operation else request.path
            self._log(
                request, started, 0, template, dropped.operation_id, getattr(operation, "category", ""), None
            )
            return []
        if operation_id:
            self._log(request, started, response.status_code, template, operation_id, category, response)
        return response(environ, start_response)

    def route(self, request):
        path = request.path
        if path == "/oauth/token":
            return self.oauth(request), "/oauth/token", "oauthToken", ""
        if path == "/oauth/authorize":
            return self.sandbox.user_oauth.authorize(request), path, "oauthAuthorize", ""
        if path == "/oauth/revoke":
            return json_response(*self.sandbox.user_oauth.revoke_response(request)), path, "oauthRevoke", ""
        if path.startswith("/v2/"):
            return self.api(request)
        if path.startswith("/rec/download/"):
            return self.download(request), "/rec/download/{fileId}", "recordingDownload", ""
        if path.startswith("/_sandbox/"):
            return self.admin.dispatch(request), path, "", ""
        if path.startswith("/s/"):
            return self.start_page(request), "/s/{meetingId}", "", ""
        if path.startswith(WEB_LINK_PREFIXES):
            return Response("<html><body>Zoom sandbox</body></html>", content_type="text/html"), path, "", ""
        return json_response(404, {"code": 404, "message": "Not Found"}), path, "", ""

    # -- faults -----------------------------------------------------------------------------------
    def _apply_faults(self, request, operation_id, category):
        """A response that replaces the real one, or None; may sleep or drop the connection."""
        for rule in self.sandbox.faults.firing(operation_id):
            if rule.kind in (faults.LATENCY, faults.TIMEOUT):
                time.sleep(rule.seconds)
            elif rule.kind == faults.DROP:
                self._drop(request, operation_id)
            elif rule.kind == faults.FAIL:
                message = FAULT_MESSAGES.get(rule.status, "Injected failure")
                return json_response(rule.status, {"code": rule.status, "message": message})
            elif rule.kind == faults.STORM_429:
                error = self.sandbox.limits.per_second_error(category or "Light")
                return json_response(error.status, error.body(), error.headers)
            elif rule.kind == faults.REVOKE_TOKENS:
                self.sandbox.oauth.revoke_all_tokens()
        return None

    @staticmethod
    def _drop(request, operation_id):
        connection = request.environ.get("werkzeug.socket")
        if connection is not None:
            connection.shutdown(socket.SHUT_RDWR)
        raise ConnectionDropped(operation_id)

    # -- endpoints --------------------------------------------------------------------------------
    def oauth(self, request):
        injected = self._apply_faults(request, "oauthToken", "")
        if injected is not None:
            return injected
        params = {**request.args.to_dict(), **request.form.to_dict()}
        if params.get("grant_type") in USER_GRANTS:
            return json_response(*self.sandbox.user_oauth.token_response(request, params))
        return json_response(*self.sandbox.oauth.token_response(request))

    def api(self, request):
        try:
            operation_id, args = self.api_map.bind_to_environ(request.environ).match(_routed_path(request))
        except NotFound:
            return json_response(404, {"code": 404, "message": "Not Found"}), request.path, "", ""
        except MethodNotAllowed:
            return json_response(405, {"code": 405, "message": "Method Not Allowed"}), request.path, "", ""
        operation = self.operations[operation_id]
        response = self._apply_faults(request, operation_id, operation.category) or self._call(
            request, operation, args
        )
        response.headers["x-zm-trackingid"] = f"v=2.0;clid=us06;rid=SANDBOX_{id(request):x}"
        return response, operation.template, operation_id, operation.category

    def _call(self, request, operation, args):
        rate_headers = {}
        try:
            token = self.sandbox.oauth.authenticate(request)
            self.sandbox.oauth.check_scopes(token, operation)
            rate_headers = self.sandbox.limits.admit(operation.category)
            call = ApiCall(self.sandbox, request, operation, token)
            with self.sandbox.state.lock:
                status, body = HANDLERS[operation.operation_id](call, **args)
            return json_response(status, body, rate_headers)
        except ZoomError as error:
            return json_response(error.status, error.body(), {**rate_headers, **error.headers})

    def start_page(self, request):
        """A start link opens the session for its current host only: once the session is deleted, or handed
        to another host, the old link shows Zoom's invalid-link page."""
        meeting_ref = request.path.split("/")[2]
        with self.sandbox.state.lock:
            meeting = self.sandbox.state.find_meeting(meeting_ref)
            valid = meeting is not None and hmac.compare_digest(
                request.args.get("zak", ""), Urls.zak(meeting)
            )
        if not valid:
            return Response(
                "<html><body>This meeting link is not valid.</body></html>", 404, content_type="text/html"
            )
        return Response("<html><body>Zoom sandbox: starting as host</body></html>", content_type="text/html")

    def download(self, request):
        file_id = request.path.rsplit("/", 1)[-1]
        with self.sandbox.state.lock:
            instance, recording_file = api_recordings.find_file(self.sandbox.state, file_id)
        if recording_file is None:
            error = no_recording()
            return json_response(error.status, error.body())
        if not self._may_download(request, instance):
            return json_response(401, {"code": 124, "message": "Invalid access token."})
        filename = f"{recording_file.id}.{recording_file.file_extension.lower()}"
        return Response(
            api_recordings.file_bytes(recording_file),
            content_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def _may_download(self, request, instance):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or "access_token" in request.args:
            return False
        if self.sandbox.download_tokens.opens(token, instance.uuid):
            return True
        try:
            self.sandbox.oauth.authenticate(request)
        except ZoomError:
            return False
        return True

    # -- the request log --------------------------------------------------------------------------
    def _log(self, request, started, status, template, operation_id, category, response):
        received = time.time() - (time.monotonic() - started)  # when the request came in
        response_json = None
        if response is not None and response.mimetype == "application/json":
            response_json = json.loads(response.get_data(as_text=True) or "null")
        self.sandbox.requests.add(
            LoggedRequest(
                method=request.method,
                path=request.path,
                template=template,
                operation=operation_id,
                query=request.args.to_dict(),
                status=status,
                category=category,
                at=format_utc(self.sandbox.clock.now()),
                duration=time.monotonic() - started,
                received=received,
                request_json=_body_of(request)
                if request.mimetype != "application/x-www-form-urlencoded"
                else None,
                response_json=response_json,
                headers=dict(response.headers) if response is not None else {},
            )
        )


def _routed_path(request):
    """The path as Zoom routes it: a `%2F` inside a path segment stays part of that segment (a meeting uuid
    such as `ab/cd==`, single-encoded as Zoom asks), where the WSGI server already decoded it into a `/`."""
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")
    if not raw:
        return None
    segments = urlsplit(raw).path.split("/")
    return "/".join(unquote(segment).replace("/", "%2F") for segment in segments)
