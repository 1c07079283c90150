{
    "name": "Zoom Training",
    "summary": "Zoom meetings and webinars, registrants, webhooks and attendance for Odoo trainings",
    "version": "18.0.1.0.0",
    "category": "Marketing/Events",
    "website": "https://github.com/zoom-training/zoom_training",
    "author": "zoom_training developers",
    "license": "LGPL-3",
    "depends": ["calendar", "event", "mail", "portal", "queue_job"],
    "external_dependencies": {"python": ["requests", "cryptography", "PyJWT"]},
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
    "application": True,
}
