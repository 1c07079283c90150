/** @odoo-module **/
/* A visitor signs up for a training held on Zoom on its event page (tests/test_website_signup.py). */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("zoom_training_website_signup", {
    steps: () => [
        {
            content: "The visitor opens the registration",
            trigger: ".o_wevent_event button:contains(Register), button.btn-primary:contains(Register)",
            run: "click",
        },
        {
            content: "One place, then on to the attendee's details",
            trigger: ".modal.show div.modal-footer button:contains(Register):enabled",
            run: "click",
        },
        {
            content: "Wait the attendee form is shown",
            trigger: ".modal.modal_shown.show form[id=attendee_registration]",
        },
        {
            content: "Their name",
            trigger: ".modal.show .modal-body input[name*='name']",
            run: "edit Vera Visitor",
        },
        {
            content: "Their email",
            trigger: ".modal.show .modal-body input[name*='email']",
            run: "edit vera.visitor@example.com",
        },
        {
            content: "Confirm the registration",
            trigger: ".modal#modal_attendees_registration:not(.o_inactive_modal) button[type=submit].btn-primary",
            run: "click",
        },
        {
            content: "Registered: the page says the training is on Zoom and shows their own Join button",
            trigger: ".o_wereg_confirmed .o_zoom_signup_join:contains(Held on Zoom) a.o_zoom_signup_join_link",
        },
    ],
});
