import logging

from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.res_config_settings import OAUTH_CALLBACK_ROUTE
from ..models.zoom_plain import zoom_plain
from ..utils import user_oauth
from ..utils.errors import ZoomError
from ..utils.oauth import CachedTokenSource
from ..utils.user_oauth import StateRefused

_logger = logging.getLogger(__name__)

SESSION_KEY = "zoom_oauth_flow"
ROUTE_OPTIONS = {"type": "http", "auth": "user", "methods": ["GET"]}
CONNECT_ROUTE = "/zoom/oauth/connect"


class ZoomUserOAuthController(http.Controller):
    """A user connects their own Zoom account: authorization code with PKCE and a signed state bound to
    the Odoo user, the database and a nonce kept in this browser session."""

    @http.route(CONNECT_ROUTE, **ROUTE_OPTIONS)
    def zoom_oauth_connect(self, **_kwargs):
        """The page behind *Connect my Zoom account*: a button that POSTs the start, with Odoo's CSRF token,
        so that no link from another site can start (or restart) someone's connection."""
        if request.env.user.share:
            raise NotFound()
        return request.render("zoom_training.oauth_connect_page", {})

    @http.route("/zoom/oauth/start", type="http", auth="user", methods=["POST"])
    def zoom_oauth_start(self, **_kwargs):
        if request.env.user.share:
            raise NotFound()
        try:
            credentials = self._user_app_credentials()
        except UserError as error:
            return self._page(_("Zoom cannot be connected"), error.args[0], status=400)
        if not credentials:
            return self._page(
                _("Zoom cannot be connected"),
                _("Connecting your own Zoom account is not enabled: ask an administrator (Settings → Zoom)."),
                status=400,
            )
        verifier, nonce = user_oauth.new_code_verifier(), user_oauth.new_nonce()
        state, _claims = user_oauth.mint_state(self._state_key(), request.env.uid, request.db, nonce)
        request.session[SESSION_KEY] = {"nonce": nonce, "verifier": verifier}
        url = user_oauth.authorize_url(
            credentials["oauth_url"],
            credentials["client_id"],
            self._redirect_uri(),
            state,
            user_oauth.code_challenge(verifier),
        )
        return request.redirect(url, local=False)

    @http.route(OAUTH_CALLBACK_ROUTE, **ROUTE_OPTIONS)
    def zoom_oauth_callback(self, code=None, state=None, error=None, **_kwargs):
        flow = request.session.get(SESSION_KEY) or {}
        try:
            claims = user_oauth.verify_state(
                state, self._state_key(), request.env.uid, request.db, flow.get("nonce")
            )
        except StateRefused as refused:
            return self._refuse(refused.reason)
        if not request.env["zoom.oauth.state"]._consume(claims.jti, request.env.user):
            return self._refuse(user_oauth.REPLAYED)
        verifier = flow.get("verifier")
        request.session[SESSION_KEY] = {"nonce": flow.get("nonce")}  # the verifier serves once
        if error or not code or not verifier:
            return self._page(
                _("Zoom was not connected"),
                _("Zoom did not authorize the connection. Start again from your preferences if you wish."),
                status=400,
            )
        return self._connect(code, verifier)

    # Steps ------------------------------------------------------------------------------------------

    def _connect(self, code, verifier):
        user = request.env.user
        try:
            credentials = self._user_app_credentials()
            if not credentials:
                raise UserError(_("Connecting your own Zoom account is not enabled any more."))
            token = user_oauth.exchange_code(
                credentials["oauth_url"],
                credentials["client_id"],
                credentials["client_secret"],
                code,
                self._redirect_uri(),
                verifier,
            )
            zoom_user = self._account()._client_for(CachedTokenSource(lambda: token)).get("/users/me")
        except (ZoomError, UserError) as failure:
            reason = (
                zoom_plain(request.env, failure.plain) if isinstance(failure, ZoomError) else failure.args[0]
            )
            _logger.warning(
                "Security: Zoom refused the OAuth code exchange for user %s from %s: %s",
                user.id,
                request.httprequest.remote_addr,
                failure,
            )
            return self._page(_("Zoom was not connected"), reason, status=400)
        return self._store(user, token, zoom_user, credentials)

    def _store(self, user, token, zoom_user, credentials):
        tokens = request.env["zoom.user.token"].sudo()
        elsewhere = tokens.search([("zoom_user_id", "=", zoom_user.get("id")), ("user_id", "!=", user.id)])
        if elsewhere:
            _logger.warning(
                "Security: Zoom user %s is already connected to Odoo user %s; refused for user %s",
                zoom_user.get("id"),
                elsewhere.user_id.id,
                user.id,
            )
            self._revoke_quietly(credentials, token)
            return self._page(
                _("Zoom was not connected"),
                _("This Zoom account is already connected to another Odoo user."),
                status=400,
            )
        tokens._store_connection(user, request.env.company, token, zoom_user)
        _logger.info("Zoom account connected for user %s", user.id)
        return self._page(
            _("Zoom connected"),
            _(
                "Connected as %s. Meetings you host are now created in your own Zoom account.",
                zoom_user.get("email"),
            ),
            connected=True,
        )

    def _refuse(self, reason):
        _logger.warning(
            "Security: Zoom OAuth callback refused for user %s from %s: %s state",
            request.env.uid,
            request.httprequest.remote_addr,
            reason,
        )
        return self._page(_("Zoom was not connected"), self._refusal_message(reason), status=400)

    @staticmethod
    def _refusal_message(reason):
        again = _("Nothing was connected. To connect your Zoom account, start again from your preferences.")
        messages = {
            user_oauth.TAMPERED: _("The link back from Zoom was altered or was not issued by this Odoo."),
            user_oauth.EXPIRED: _(
                "The link back from Zoom has expired: a connection must end within 10 minutes."
            ),
            user_oauth.OTHER_USER: _(
                "This connection was started by another Odoo user. Only the person who starts a connection "
                "can finish it: if someone sent you this link, do not use it."
            ),
            user_oauth.OTHER_DATABASE: _("This connection was started on another Odoo database."),
            user_oauth.OTHER_SESSION: _(
                "This connection was started in another browser session, or started again since."
            ),
            user_oauth.REPLAYED: _("This link back from Zoom was already used."),
            user_oauth.MISSING: _("The link back from Zoom is incomplete."),
        }
        return f"{messages.get(reason, messages[user_oauth.TAMPERED])} {again}"

    # Helpers ----------------------------------------------------------------------------------------

    def _account(self):
        return request.env["zoom.account"]._for_company(request.env.company)

    def _user_app_credentials(self):
        return self._account()._user_app_credentials()

    @staticmethod
    def _state_key():
        return request.env["zoom.user.token"]._state_key()

    @staticmethod
    def _redirect_uri():
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return base_url + OAUTH_CALLBACK_ROUTE

    @staticmethod
    def _revoke_quietly(credentials, token):
        try:
            user_oauth.revoke_token(
                credentials["oauth_url"],
                credentials["client_id"],
                credentials["client_secret"],
                token.refresh_token,
            )
        except ZoomError as error:
            _logger.warning("Zoom revocation of a refused connection failed: %s", error)

    @staticmethod
    def _page(heading, message, status=200, connected=False):
        values = {"heading": heading, "message": message, "connected": connected}
        response = request.render("zoom_training.oauth_result_page", values)
        response.status_code = status
        return response
