from . import join, user_oauth, webhook, webhook_fast_path
