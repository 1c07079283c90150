"""18.0.1.2.0: the per-second budget is shared in the database (zoom.rate.slot) by every process and server,
so the manual `zoom_training.rate_share` (each process's fraction of the plan's rate) goes away."""


def migrate(cr, version):
    cr.execute("DELETE FROM ir_config_parameter WHERE key = 'zoom_training.rate_share'")
