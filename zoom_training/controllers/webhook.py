import logging

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..models.zoom_webhook_intake import WebhookAnswer

_logger = logging.getLogger(__name__)

MEETING_ROUTE = "/webhook/zoom-meeting"
WEBINAR_ROUTE = "/webhook/zoom-webinar"
ENDPOINT_BY_ROUTE = {MEETING_ROUTE: "meeting", WEBINAR_ROUTE: "webinar"}
# An internal failure, never bad input: Zoom delivers again; the sender gets no traceback.
FAILED = WebhookAnswer.plain(503, "try again later")
ROUTE_OPTIONS = {"type": "http", "auth": "public", "csrf": False, "methods": ["POST"], "save_session": False}


class ZoomWebhookController(http.Controller):
    """Zoom wants a 2xx within 3 seconds: `_receive_http` verifies, stores and answers; a job does the work.

    Most deliveries are answered before they reach these routes, by controllers/webhook_fast_path.py;
    these serve the ones it leaves to Odoo (a worker whose registry is not loaded yet, the fast path off).
    """

    @http.route(MEETING_ROUTE, **ROUTE_OPTIONS)
    def zoom_meeting_webhook(self, **_kwargs):
        return self._receive("meeting")

    @http.route(WEBINAR_ROUTE, **ROUTE_OPTIONS)
    def zoom_webinar_webhook(self, **_kwargs):
        return self._receive("webinar")

    def _receive(self, endpoint):
        try:
            answer = receive(request.env, request.httprequest, endpoint)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo runs the request again
        except Exception:
            _logger.exception("Zoom webhook on %s failed; Zoom will deliver again", endpoint)
            request.env.cr.rollback()
            answer = FAILED
        return request.make_json_response(answer.body, status=answer.status)


def receive(env, httprequest, endpoint):
    """The intake's answer to a delivery; the delivery is committed before a drain job is looked for."""
    inbox = env["zoom.webhook.event"].sudo()
    answer = inbox._receive_http(httprequest, endpoint)
    if answer.needs_drain:
        env.cr.commit()
        inbox._ensure_drain()
    return answer
