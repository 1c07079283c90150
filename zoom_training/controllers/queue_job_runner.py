"""queue_job's /queue_job/runjob, for the addon's own jobs: a lost database connection runs the job again.

queue_job retries serialization failures itself and marks every other database error failed. A job whose
connection was cut (failover, PostgreSQL restart, pg_terminate_backend) lost its whole transaction, Zoom's
answers recorded in it too: it runs again on a new connection, after a short backoff, and picks up from
what Zoom holds. A worker killed in the middle (limit_time_real, limit_memory_hard, kill -9) leaves a
`started` job that queue_job's runner puts back in the queue (`requeue_dead_jobs`).
"""

import logging
import time

from psycopg2 import InterfaceError, OperationalError

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.db_faults import connection_lost, reconnect_delay

STARTED = "started"
# A PostgreSQL restart or failover takes seconds: the worker keeps trying to put its job back in the queue for
# this long, rather than leave it `started` until the runner's next pass (up to a minute later).
REQUEUE_PATIENCE_SECONDS = 30

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
            raise RetryableJobError(_lost(error), seconds=reconnect_delay(job.retry)) from error

    @classmethod
    def _runjob(cls, env, job):
        try:
            return super()._runjob(env, job)
        except (OperationalError, InterfaceError) as error:
            if not (cls._zoom_job(job) and connection_lost(error)):
                raise
            # queue_job stores the job's outcome on a new cursor, then rolls the dead one back: either failed
            if cls._zoom_runs_again(job, error):
                _logger.info("%s: its connection is lost (%s); putting it back in the queue", job, error)
                cls._zoom_postpone_patiently(job, error)
            return None

    @classmethod
    def _zoom_postpone_patiently(cls, job, error):
        """The job back to `pending` once the database answers again, unless that is done already (by
        queue_job, or by its runner after a restart)."""
        deadline = time.monotonic() + REQUEUE_PATIENCE_SECONDS
        while True:
            try:
                job.env.clear()
                with job.in_temporary_env():
                    stored = job.db_record()
                    if stored.state == STARTED and cls._zoom_same_run(stored, job):
                        job.postpone(result=_lost(error), seconds=reconnect_delay(job.retry))
                        job.set_pending(reset_retry=False)
                        job.store()
                return
            except (OperationalError, InterfaceError) as retry_error:
                if not connection_lost(retry_error) or time.monotonic() > deadline:
                    _logger.warning("%s stays started: queue_job's runner will requeue it", job)
                    return
                time.sleep(1)

    @staticmethod
    def _zoom_same_run(stored, job):
        """The stored job is still this run's (not started again by another worker since)."""
        return stored.date_started.replace(microsecond=0) == job.date_started.replace(microsecond=0)

    @staticmethod
    def _zoom_job(job):
        return job.model_name.startswith(ZOOM_MODEL_PREFIX) or job.method_name.startswith(ZOOM_METHOD_PREFIX)

    @classmethod
    def _zoom_runs_again(cls, job, error):
        """The addon's jobs, while they have runs left; the last one is marked failed as usual."""
        has_runs_left = not job.max_retries or job.retry < job.max_retries
        return cls._zoom_job(job) and connection_lost(error) and has_runs_left


def _lost(error):
    return f"Database connection lost: {error}"
