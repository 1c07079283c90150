/** @odoo-module **/
/* The product as its users see it, in a real browser, against the Zoom sandbox (tests/test_tours.py). */

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("zoom_training_admin_connects", {
    url: "/odoo/settings#zoom_training",
    steps: () => [
        {
            content: "Enter the Server-to-Server OAuth app's account id",
            trigger: "div[name='zoom_account_id'] input",
            run: "edit sandbox_account",
        },
        {
            content: "Its client id",
            trigger: "div[name='zoom_client_id'] input",
            run: "edit sandbox_client_id",
        },
        {
            content: "Its client secret",
            trigger: "div[name='zoom_client_secret'] input",
            run: "edit sandbox_client_secret",
        },
        {
            content: "And the webhook secret token",
            trigger: "div[name='zoom_webhook_secret_token'] input",
            run: "edit sandbox_webhook_secret",
        },
        {
            content: "Test the connection (what was typed is saved first)",
            trigger: "button[name='action_zoom_test_connection']",
            run: "click",
        },
        {
            content: "Zoom answered: the user the app acts as is named",
            trigger: ".o_notification:contains(Connected to Zoom as host@example.com)",
        },
        {
            content: "The settings show the connection as working",
            trigger: "div[name='zoom_connection_message']:contains(host@example.com)",
        },
    ],
});

tours.add("zoom_training_admin_wrong_secret", {
    url: "/odoo/settings#zoom_training",
    steps: () => [
        {
            content: "A client secret with a typo",
            trigger: "div[name='zoom_client_secret'] input",
            run: "edit not_the_secret",
        },
        {
            content: "Test the connection (what was typed is saved first)",
            trigger: "button[name='action_zoom_test_connection']",
            run: "click",
        },
        {
            content: "The failure is said in plain words, with what to check",
            trigger: ".o_notification:contains(Client secret)",
        },
    ],
});

tours.add("zoom_training_trainer_schedules_webinar", {
    url: "/odoo/action-event.action_event_view/new",
    steps: () => [
        {
            content: "Name the training",
            trigger: "div[name='name'] textarea, div[name='name'] input",
            run: "edit Tour webinar: safe lifting",
        },
        {
            content: "Choose Zoom Webinar as video conference",
            trigger: "div[name='zoom_conference'] select",
            run: 'select "webinar"',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: Zoom's side is being prepared",
            trigger: ".o_form_saved div[name='zoom_sync_state']",
        },
    ],
});

tours.add("zoom_training_trainer_sees_join_link", {
    steps: () => [
        {
            content: "The training shows it is in Zoom",
            trigger: "div[name='zoom_sync_state'] .badge:contains(Synced)",
        },
        {
            content: "And the webinar's join link",
            trigger: "div[name='zoom_join_url']:contains(/w/)",
        },
    ],
});

tours.add("zoom_training_trainee_joins", {
    url: "/my/trainings",
    steps: () => [
        {
            content: "The trainee's trainings, each with its Join button",
            trigger: ".o_zoom_participation:contains(Tour training: first aid) a.o_zoom_join_app[href*='/zoom/join/']",
        },
        {
            content: "... and its way in from the browser, without Zoom's app",
            trigger: ".o_zoom_participation:contains(Tour training: first aid) a.o_zoom_join_browser[href*='via=browser']",
        },
    ],
});

tours.add("zoom_training_trainee_sees_requirements", {
    url: "/my/trainings",
    steps: () => [
        {
            content: "Access validation holds the Join back and says why",
            trigger: ".o_zoom_participation:contains(Tour training: validated) a.btn:contains(See requirements)",
            run: "click",
        },
        {
            content: "What is still missing, in words",
            trigger: ".o_zoom_join h2:contains(See requirements)",
        },
    ],
});

tours.add("zoom_training_admin_reads_attendance", {
    steps: () => [
        {
            content: "Attendance comes grouped by training: open the one that took place",
            trigger: ".o_group_header:contains(Forklift safety)",
            run: "click",
        },
        {
            content: "Who attended, matched to their registration, and for how long",
            trigger: ".o_list_view .o_data_row:contains(Trainee 00):contains(4.0)",
        },
        {
            content: "The one who left half way",
            trigger: ".o_list_view .o_data_row:contains(Trainee 02):contains(2.0)",
        },
    ],
});

tours.add("zoom_training_trainee_reads_the_join_page_in_french", {
    steps: () => [
        {
            content: "The Join page says, in the trainee's language, when the session opens",
            trigger: ".o_zoom_join .alert:contains(La session s'ouvre le)",
        },
    ],
});

tours.add("zoom_training_admin_finds_why_no_link", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Click 1: the Zoom app opens on its cockpit",
            trigger: ".o_app[data-menu-xmlid='zoom_training.menu_zoom_root']",
            run: "click",
        },
        {
            content: "The cockpit counts the registrants not in sync, by reason",
            trigger: "div[name='participant_unsynced_summary']:contains(Not sent: check the data)",
        },
        {
            content: "Click 2: the training registrations not in Zoom",
            trigger: "button[name='action_open_registrations_unsynced']",
            run: "click",
        },
        {
            content: "Click 3: the trainee who got no link",
            trigger: ".o_data_row:contains(Typo Trainee) td.o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The registration says why",
            trigger: "div[name='zoom_sync_error']:contains(Invalid email)",
        },
    ],
});

tours.add("zoom_training_admin_opens_the_cockpit", {
    url: "/odoo/action-zoom_training.zoom_cockpit_action",
    steps: () => [
        {
            content: "The cockpit names what needs attention",
            trigger: ".o_form_view .alert-danger:contains(Failed Zoom jobs: 1)",
        },
        {
            content: "and the quota Zoom's headers last gave",
            trigger: "div[name='quota_reading_ids'] .o_data_row:contains(Heavy)",
        },
    ],
});

// On a phone (390 px): nothing wider than the screen, every button reachable without scrolling sideways.
function fitsThePhone(content) {
    return {
        content,
        trigger: "body",
        run() {
            const overflow = document.documentElement.scrollWidth - window.innerWidth;
            if (window.innerWidth > 400) {
                throw new Error(`the tour runs ${window.innerWidth} px wide, not at phone size`);
            }
            if (overflow > 0) {
                throw new Error(`the page is ${overflow} px wider than the phone's screen`);
            }
        },
    };
}

tours.add("zoom_training_trainee_on_a_phone", {
    url: "/my/trainings",
    steps: () => [
        {
            content: "The session in the trainee's own time, the training's beside it",
            trigger: ".o_zoom_participation:contains(Phone training) .o_zoom_trainee_time:contains(America/Montreal)",
        },
        {
            trigger: ".o_zoom_participation:contains(Phone training) .o_zoom_training_time:contains(Europe/Brussels)",
        },
        {
            content: "The Zoom app and the browser, side by side",
            trigger: ".o_zoom_participation:contains(Phone training) a.o_zoom_join_browser",
        },
        fitsThePhone("The list fits a 390 px screen"),
    ],
});

tours.add("zoom_training_trainee_join_page_on_a_phone", {
    steps: () => [
        {
            content: "Too early: when it opens, in the trainee's time",
            trigger: ".o_zoom_too_early:contains(America/Montreal)[data-zoom-opens-in]",
        },
        {
            content: "The Zoom app or the browser, chosen beforehand",
            trigger: ".o_zoom_too_early a.o_zoom_join_browser[href$='?via=browser']",
        },
        fitsThePhone("The Join page fits a 390 px screen"),
    ],
});
