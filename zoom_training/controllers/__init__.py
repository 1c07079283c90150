from . import join, queue_job_runner, user_oauth, webhook, webhook_fast_path
