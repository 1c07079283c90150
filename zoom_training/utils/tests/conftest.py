import pytest

from zoom_training.utils.client import ZoomClient
from zoom_training.utils.oauth import CachedTokenSource, fetch_s2s_token

from .scripted_server import ScriptedServer

SECRET = "sandbox_client_secret"


class SleepRecorder:
    """Stands in for time.sleep: records the waits instead of sleeping."""

    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


class CountingFetch:
    """A token fetch for CachedTokenSource that counts its calls (and can be slowed down)."""

    def __init__(self, sandbox, secret=SECRET, pause=0.0, **options):
        self.sandbox = sandbox
        self.secret = secret
        self.pause = pause
        self.options = options
        self.calls = 0

    def __call__(self):
        import time

        self.calls += 1
        time.sleep(self.pause)
        return fetch_s2s_token(
            self.sandbox.url, "sandbox_account", "sandbox_client_id", self.secret, **self.options
        )


@pytest.fixture
def sandbox():
    zoom_sandbox = pytest.importorskip("zoom_training.sandbox")
    with zoom_sandbox.ZoomSandbox(rate_limits=False, seed=7) as running:
        yield running


@pytest.fixture
def scripted():
    server = ScriptedServer().start()
    yield server
    server.stop()


@pytest.fixture
def sleep():
    return SleepRecorder()


@pytest.fixture
def fetch(sandbox):
    return CountingFetch(sandbox)


@pytest.fixture
def make_client(sandbox, fetch, sleep):
    """A client of the sandbox; jitter fixed at the middle of the range to keep waits predictable."""

    def make(**options):
        options.setdefault("sleep", sleep)
        options.setdefault("jitter", lambda: 0.5)
        source = options.pop("source", None) or CachedTokenSource(fetch)
        return ZoomClient(source, **options)

    return make
