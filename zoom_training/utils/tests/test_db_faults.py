import psycopg2
import pytest
from psycopg2 import errors

from zoom_training.utils.backoff import Backoff
from zoom_training.utils.db_faults import connection_lost, reconnect_delay


@pytest.mark.parametrize(
    "error",
    [
        psycopg2.OperationalError("server closed the connection unexpectedly"),
        psycopg2.InterfaceError("connection already closed"),
        errors.AdminShutdown("terminating connection due to administrator command"),
        errors.CannotConnectNow("the database system is starting up"),
        errors.ConnectionFailure("could not receive data from server"),
    ],
)
def test_a_lost_connection_is_worth_running_again(error):
    assert connection_lost(error)


@pytest.mark.parametrize(
    "error",
    [
        errors.QueryCanceled("canceling statement due to statement timeout"),
        errors.LockNotAvailable("could not obtain lock"),
        errors.SerializationFailure("could not serialize access"),
        errors.UniqueViolation("duplicate key value"),
        ValueError("not a database error"),
    ],
)
def test_a_failing_statement_is_not_a_lost_connection(error):
    assert not connection_lost(error)


def test_the_wait_grows_from_seconds_to_a_minute_and_never_reaches_zero():
    worst = Backoff(base=5.0, maximum=60.0, jitter=lambda: 0.999)
    least = Backoff(base=5.0, maximum=60.0, jitter=lambda: 0.0)
    assert [reconnect_delay(retry, worst) for retry in (1, 2, 3, 4, 5, 9)] == [5, 10, 20, 40, 60, 60]
    assert [reconnect_delay(retry, least) for retry in (0, 1, 5)] == [1, 1, 1]
