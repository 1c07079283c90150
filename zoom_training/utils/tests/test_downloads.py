"""Recording downloads go to Zoom's own hosts only, are streamed, and stop at the size limit."""

import hashlib
import io

import pytest
import requests

from ..downloads import DownloadRefused, download_allowed, open_download, stream_to_file
from .scripted_server import Reply, ScriptedServer

ZOOM_API = "https://api.zoom.us"


@pytest.mark.parametrize(
    "url",
    [
        "https://zoom.us/rec/download/abc",
        "https://us02web.zoom.us/rec/download/abc",
        "https://ssrweb.zoom.us/file?x=1",
        "https://eu01web.zoom.com/rec/download/abc",
        "https://zoomgov.com/rec/download/abc",
    ],
)
def test_zooms_download_hosts_are_allowed(url):
    assert download_allowed(url, ZOOM_API)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/rec/download/abc",
        "https://zoom.us.evil.example/rec/download/abc",
        "https://evilzoom.us/rec/download/abc",
        "http://zoom.us/rec/download/abc",
        "https://zoom.us:8443/rec/download/abc",
        "https://user:pw@zoom.us/rec/download/abc",
        "https://zoom.us@evil.example/rec/download/abc",
        "ftp://zoom.us/rec/download/abc",
        "file:///etc/passwd",
        "https://127.0.0.1/rec/download/abc",
        "",
        None,
    ],
)
def test_other_hosts_are_refused(url):
    assert not download_allowed(url, ZOOM_API)


def test_the_accounts_own_api_host_is_allowed_with_its_scheme_and_port():
    sandbox = "http://127.0.0.1:8123"
    assert download_allowed("http://127.0.0.1:8123/rec/download/f1", sandbox)
    assert not download_allowed("http://127.0.0.1:9999/rec/download/f1", sandbox)
    assert not download_allowed("https://127.0.0.1:8123/rec/download/f1", sandbox)


@pytest.fixture
def server():
    scripted = ScriptedServer()
    scripted.start()
    yield scripted
    scripted.stop()


def test_a_redirect_to_another_host_is_not_followed(server):
    evil = ScriptedServer()
    evil.start()
    try:
        server.queue(Reply(302, b"", headers={"Location": evil.url + "/steal"}))
        with pytest.raises(DownloadRefused) as refused:
            open_download(
                requests.get, server.url + "/rec/download/f1", server.url, {"Authorization": "Bearer t"}, 5
            )
        assert "not on Zoom's own hosts" in refused.value.plain
        assert evil.received == []
    finally:
        evil.stop()


def test_a_redirect_on_the_same_host_is_followed(server):
    server.queue(Reply(302, b"", headers={"Location": "/files/f1"}), Reply(200, b"recording bytes"))
    answer = open_download(requests.get, server.url + "/rec/download/f1", server.url, {}, 5)
    assert answer.status_code == 200
    sink = io.BytesIO()
    assert stream_to_file(answer, sink, 1024)[0] == len(b"recording bytes")
    assert [received.path for received in server.received] == ["/rec/download/f1", "/files/f1"]


def test_endless_redirects_stop(server):
    server.queue(*[Reply(302, b"", headers={"Location": "/again"}) for _ in range(10)])
    with pytest.raises(DownloadRefused):
        open_download(requests.get, server.url + "/rec/download/f1", server.url, {}, 5)
    assert len(server.received) == 4


def test_the_body_is_written_in_chunks_with_its_sha1(server):
    body = bytes(range(256)) * 8192  # 2 MiB: more than one chunk
    server.queue(Reply(200, body))
    answer = open_download(requests.get, server.url + "/rec/download/f1", server.url, {}, 5)
    sink = io.BytesIO()
    size, checksum = stream_to_file(answer, sink, len(body))
    assert size == len(body)
    assert sink.getvalue() == body
    assert checksum == hashlib.sha1(body).hexdigest()


def test_a_body_over_the_limit_stops_even_when_its_length_is_not_declared():
    class Undeclared:
        headers = {}

        def iter_content(self, _size):
            yield from (b"x" * 600, b"x" * 600)

    sink = io.BytesIO()
    with pytest.raises(DownloadRefused) as refused:
        stream_to_file(Undeclared(), sink, 1000)
    assert "size limit" in refused.value.plain
    assert len(sink.getvalue()) <= 1000


def test_a_declared_length_over_the_limit_stops_before_reading(server):
    server.queue(Reply(200, b"y" * 5000))
    answer = open_download(requests.get, server.url + "/rec/download/f1", server.url, {}, 5)
    sink = io.BytesIO()
    with pytest.raises(DownloadRefused):
        stream_to_file(answer, sink, 1000)
    assert sink.getvalue() == b""
