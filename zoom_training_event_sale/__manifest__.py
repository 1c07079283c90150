{
    "name": "Zoom Training - Sales",
    "summary": "Sold seats reach Zoom when the order is confirmed by payment, never before",
    "version": "18.0.1.0.0",
    "category": "Marketing/Events",
    "website": "https://github.com/zoom-training/zoom_training",
    "author": "zoom_training developers",
    "license": "LGPL-3",
    "depends": ["zoom_training", "event_sale"],
    "installable": True,
    "auto_install": True,
}
