from . import user_oauth, webhook
