from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.zoom_training.controllers.join import ZoomJoin


class ZoomSignedJoin(http.Controller):
    @http.route(
        "/zoom/join/registration/<int:registration_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def zoom_join_signed(self, registration_id, token, **kwargs):
        """The Join button of a mail sent to a trainee without an Odoo user (a website sign-up): the signed
        link proves the mailbox; anything else is a 404, whether the registration exists or not."""
        registration = request.env["event.registration"].sudo().browse(registration_id).exists()
        if not registration or not registration._zoom_check_join_token(token):
            raise NotFound()
        return ZoomJoin._zoom_join_response(registration, kwargs.get("via"))
