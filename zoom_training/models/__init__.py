from . import res_company, res_config_settings, zoom_account, zoom_audit_event, zoom_token
