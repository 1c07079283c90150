"""Database faults a job survives by running again: the connection to PostgreSQL was lost. No ORM.

A failover, a PostgreSQL restart, `pg_terminate_backend` or a proxy dropping idle connections all end the
transaction under the job: nothing it wrote is kept, and the same job on a new connection does it again.
Errors of the statement itself (a constraint, a syntax error, a statement timeout) are not among them:
running again would fail the same way.
"""

from psycopg2 import InterfaceError, OperationalError, errorcodes, errors

from .backoff import Backoff

# SQLSTATE class 08 (connection exception), and the server shutting down or starting up.
CONNECTION_CLASS = "08"
SERVER_GOING_AWAY = {"57P01", "57P02", "57P03"}  # admin_shutdown, crash_shutdown, cannot_connect_now
LOST_CONNECTION_CODES = {
    code
    for code in vars(errorcodes).values()
    if isinstance(code, str) and len(code) == 5 and code.startswith(CONNECTION_CLASS)
} | SERVER_GOING_AWAY
LOST_CONNECTION_ERRORS = tuple(errors.lookup(code) for code in sorted(LOST_CONNECTION_CODES))
# A job that lost its connection runs again after 1 to 5 s, then up to 10, 20, 40, 60 s (full jitter):
# the database is usually back within seconds of a failover or a restart.
RECONNECT_BACKOFF = Backoff(base=5.0, maximum=60.0)


def connection_lost(error):
    """True when `error` says the connection to PostgreSQL is gone, not that a statement failed."""
    if isinstance(error, InterfaceError):
        return True  # "connection already closed", "cursor already closed"
    if isinstance(error, LOST_CONNECTION_ERRORS):
        return True
    if not isinstance(error, OperationalError):
        return False
    code = error.pgcode
    if code is None:
        # no SQLSTATE: the server never answered ("server closed the connection unexpectedly"); psycopg2
        # raises the plain class then, and a subclass (QueryCanceled, LockNotAvailable...) names a statement
        return type(error) is OperationalError
    return code in LOST_CONNECTION_CODES


def reconnect_delay(retry, backoff=RECONNECT_BACKOFF):
    """Whole seconds before run number `retry` + 1 of a job that lost its connection (at least 1)."""
    return max(1, round(backoff.delay(max(1, retry))))
