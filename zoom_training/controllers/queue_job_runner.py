"""queue_job's /queue_job/runjob, for the addon's own jobs: a lost database connection runs the job again.

queue_job retries serialization failures itself and marks every other database error failed. A job whose
connection was cut (failover, PostgreSQL restart, pg_terminate_backend) lost its whole transaction, Zoom's
answers recorded in it too: it runs again on a new connection, after a short backoff, and picks up from
what Zoom holds. A worker killed in the middle (limit_time_real, limit_memory_hard, kill -9) leaves a
`started` job that queue_job's runner puts back in the queue (`requeue_dead_jobs`).
"""

import logging

from psycopg2 import InterfaceError, OperationalError

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.db_faults import connection_lost, reconnect_delay

_logger = logging.getLogger(__name__)
ZOOM_MODEL_PREFIX = "zoom."  # the meetings' pushes and registrant syncs, the webhook drain
ZOOM_METHOD_PREFIX = "_zoom"  # the participants' jobs (their personal-link mails)


class ZoomRunJobController(RunJobController):
    @classmethod
    def _try_perform_job(cls, env, job):
        try:
            return super()._try_perform_job(env, job)
        except (OperationalError, InterfaceError) as error:
            if not cls._zoom_runs_again(job, error):
                raise
            _logger.warning("%s lost its database connection (%s): it runs again", job, error)
            raise RetryableJobError(
                f"Database connection lost: {error}".strip(), seconds=reconnect_delay(job.retry)
            ) from error

    @classmethod
    def _runjob(cls, env, job):
        try:
            return super()._runjob(env, job)
        except (OperationalError, InterfaceError) as error:
            if not (cls._zoom_job(job) and connection_lost(error)):
                raise
            # The job's outcome is stored on a cursor of its own (or, the database being away, the job stays
            # `started` and the runner requeues it): only the dead cursor's rollback failed.
            _logger.info("%s: its lost connection could not be rolled back (%s)", job, error)
            return None

    @staticmethod
    def _zoom_job(job):
        return job.model_name.startswith(ZOOM_MODEL_PREFIX) or job.method_name.startswith(ZOOM_METHOD_PREFIX)

    @classmethod
    def _zoom_runs_again(cls, job, error):
        """The addon's jobs, while they have runs left; the last one is marked failed as usual."""
        has_runs_left = not job.max_retries or job.retry < job.max_retries
        return cls._zoom_job(job) and connection_lost(error) and has_runs_left
