"""ZoomSandbox: the handle that runs the sandbox on a thread and reads and drives its state."""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .api_recordings import DownloadTokens
from .app import SandboxApp
from .clock import SandboxClock
from .events import EventFactory
from .faults import FaultInjector
from .ids import IdFactory
from .lifecycle import MeetingLife
from .oauth import OAuthServer
from .pagination import PageTokens
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .serialize import Urls
from .state import USER_TYPES, WEBINAR, AccountState, User
from .user_oauth import UserOAuthServer
from .webhooks import WebhookDispatcher

DEFAULT_USER = "host@example.com:licensed:webinar"


class QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def parse_user_spec(spec):
    """`EMAIL:TYPE[:webinar]` (or a tuple) -> (email, type, webinar)."""
    if not isinstance(spec, str):
        email, user_type, *rest = spec
        return email, user_type, bool(rest and rest[0])
    email, _, rest = spec.partition(":")
    user_type, _, feature = rest.partition(":")
    if (user_type or "licensed") not in USER_TYPES or feature not in ("", "webinar"):
        raise ValueError(f"bad user {spec!r}: expected EMAIL:licensed|basic[:webinar]")
    return email, user_type or "licensed", feature == "webinar"


class ZoomSandbox:
    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        account_id="sandbox_account",
        client_id="sandbox_client_id",
        client_secret="sandbox_client_secret",
        webhook_secret="sandbox_webhook_secret",
        user_client_id="sandbox_user_client_id",
        user_client_secret="sandbox_user_client_secret",
        user_webhook_secret="sandbox_user_webhook_secret",
        webhook_url=None,
        webinar_webhook_url=None,
        plan="pro",
        token_ttl=3599,
        users=(DEFAULT_USER,),
        rate_limits=True,
        webhook_time_scale=1.0,
        webhook_timeout=3.0,
        seed=None,
        log_requests=False,
    ):
        self.host = host
        self.port = port
        self.log_requests = log_requests
        self.batch_success_status = 201
        # Addresses Zoom refuses although they look valid (a domain it blocks): lower-case emails.
        self.refused_emails = set()
        self.clock = SandboxClock()
        self.ids = IdFactory(seed)
        self.state = AccountState(account_id)
        self.lock = self.state.lock
        self.oauth = OAuthServer(self.clock, account_id, client_id, client_secret, token_ttl)
        self.user_oauth = UserOAuthServer(self, user_client_id, user_client_secret, user_webhook_secret)
        self.limits = RateLimiter(self.clock, plan, enabled=rate_limits)
        self.faults = FaultInjector(seed)
        self.requests = RequestLog()
        self.pages = PageTokens(self.clock)
        self.download_tokens = DownloadTokens(self.clock)
        self.urls = Urls(f"http://{host}:{port}")
        self.webhooks = WebhookDispatcher(
            self.clock, webhook_secret, webhook_url, webinar_webhook_url, webhook_time_scale, webhook_timeout
        )
        self.events = EventFactory(account_id, self.webhooks, self.urls)
        self.life = MeetingLife(self)
        self._server = None
        self._thread = None
        for spec in users:
            self.add_user(*parse_user_spec(spec))

    # -- running ----------------------------------------------------------------------------------
    def start(self):
        handler = WSGIRequestHandler if self.log_requests else QuietRequestHandler
        self._server = make_server(
            self.host, self.port, SandboxApp(self), threaded=True, request_handler=handler
        )
        self.port = self._server.server_port
        self.urls.base = self.url
        self._thread = threading.Thread(target=self._serve, name="zoom-sandbox", daemon=True)
        self._thread.start()
        self.webhooks.start()
        return self

    def _serve(self):
        self._server.serve_forever(poll_interval=0.05)

    def stop(self):
        self.webhooks.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def account_id(self):
        return self.state.account_id

    @property
    def client_id(self):
        return self.oauth.client_id

    @property
    def client_secret(self):
        return self.oauth.client_secret

    @property
    def webhook_secret(self):
        return self.webhooks.secret

    @property
    def request_log(self):
        return self.requests

    @property
    def oauth_url(self):
        return self.url + "/oauth/token"

    @property
    def authorize_url(self):
        return self.url + "/oauth/authorize"

    @property
    def api_base(self):
        return self.url + "/v2"

    # -- users and objects ------------------------------------------------------------------------
    def add_user(self, email, type="licensed", webinar=False, **fields):
        with self.lock:
            user = User(
                id=self.ids.user_id(),
                email=email,
                type=USER_TYPES[type] if isinstance(type, str) else type,
                webinar=webinar,
                pmi=self.ids.numeric(10),
                created_at=self.clock.now().replace(microsecond=0),
                first_name=email.split("@")[0].capitalize(),
                last_name="Sandbox",
                **fields,
            )
            self.state.users[user.id] = user
            return user

    def user(self, user_ref):
        with self.lock:
            return self.state.find_user(user_ref)

    def users(self):
        with self.lock:
            return list(self.state.users.values())

    def meeting(self, meeting_id):
        with self.lock:
            return self.state.find_meeting(str(meeting_id))

    def meetings(self, kind=None):
        with self.lock:
            return [m for m in self.state.meetings.values() if kind is None or m.kind == kind]

    def webinars(self):
        return self.meetings(WEBINAR)

    def registrants(self, meeting_id):
        with self.lock:
            return list(self.state.find_meeting(str(meeting_id)).registrants.values())

    def panelists(self, webinar_id):
        with self.lock:
            return list(self.state.find_meeting(str(webinar_id)).panelists.values())

    # -- tokens -----------------------------------------------------------------------------------
    def issue_token(self, scopes=None):
        return self.oauth.issue_token(scopes).value

    def revoke_token(self, token):
        self.oauth.revoke_token(token)

    def revoke_all_tokens(self):
        self.oauth.revoke_all_tokens()

    # -- a meeting's life -------------------------------------------------------------------------
    def start_meeting(self, meeting_id):
        return self.life.start(meeting_id)

    def join(self, meeting_id, name, email="", registrant_id=None, join_url=None):
        return self.life.join(meeting_id, name, email, registrant_id, join_url)

    def leave(self, meeting_id, participant, reason=""):
        return self.life.leave(meeting_id, participant, reason)

    def end_meeting(self, meeting_id):
        return self.life.end(meeting_id)

    def complete_recording(self, meeting_id):
        return self.life.complete_recording(meeting_id)
