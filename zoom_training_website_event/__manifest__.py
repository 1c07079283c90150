{
    "name": "Zoom Training - Website sign-ups",
    "summary": "Website sign-ups reach Zoom; the event's mails carry the personal Join button",
    "version": "18.0.1.0.0",
    "category": "Marketing/Events",
    "website": "https://github.com/zoom-training/zoom_training",
    "author": "zoom_training developers",
    "license": "LGPL-3",
    "depends": ["zoom_training", "website_event"],
    "data": ["views/zoom_website_event_templates.xml"],
    "assets": {
        "web.assets_tests": ["zoom_training_website_event/static/tests/tours/*.js"],
    },
    "installable": True,
    "auto_install": True,
}
