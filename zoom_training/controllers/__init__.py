from . import join, user_oauth, webhook
