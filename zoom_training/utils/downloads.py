"""Recording downloads: only from Zoom's own hosts, streamed to a file under a size cap."""

import hashlib
from urllib.parse import urljoin, urlsplit

from .plain import _lt

# Zoom serves cloud recordings from zoom.us (and its regional subdomains such as us02web.zoom.us),
# zoom.com, and zoomgov.com for Zoom for Government.
ZOOM_DOWNLOAD_DOMAINS = ("zoom.us", "zoom.com", "zoomgov.com")
CHUNK_BYTES = 1024 * 1024
MAX_REDIRECTS = 3


PLAIN_NOT_ZOOM = _lt("The download link is not on Zoom's own hosts: not downloaded.")
PLAIN_REDIRECTS = _lt("Zoom redirected the download too many times: not downloaded.")
PLAIN_TOO_LARGE = _lt("The file is over the size limit of %(megabytes)s MB: it stays in Zoom.")


class DownloadRefused(Exception):
    """A download that must not go out, or that was stopped: `plain` says why, for the record."""

    def __init__(self, plain):
        super().__init__(plain)
        self.plain = plain


def too_large(max_bytes):
    return DownloadRefused(_lt(PLAIN_TOO_LARGE.template, megabytes=max_bytes >> 20))


def download_allowed(url, api_url):
    """True when `url` is one of Zoom's download hosts over HTTPS, or on the API host the account uses."""
    parts = urlsplit(url or "")
    if parts.username or parts.password or not parts.hostname:
        return False
    api = urlsplit(api_url or "")
    if api.hostname and (parts.scheme, parts.netloc.lower()) == (api.scheme, api.netloc.lower()):
        return True
    host = parts.hostname.lower()
    on_zoom = any(host == domain or host.endswith("." + domain) for domain in ZOOM_DOWNLOAD_DOMAINS)
    return parts.scheme == "https" and parts.port in (None, 443) and on_zoom


def open_download(session_get, url, api_url, headers, timeout):
    """The streamed answer to GET `url`, through at most MAX_REDIRECTS redirects, each to an allowed host."""
    for _hop in range(MAX_REDIRECTS + 1):
        if not download_allowed(url, api_url):
            raise DownloadRefused(PLAIN_NOT_ZOOM)
        answer = session_get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
        if answer.status_code not in (301, 302, 303, 307, 308):
            return answer
        answer.close()
        url = urljoin(url, answer.headers.get("Location", ""))
    raise DownloadRefused(PLAIN_REDIRECTS)


def stream_to_file(answer, fileobj, max_bytes):
    """Writes the answer's body to `fileobj` chunk by chunk; (size, sha1 hex). Stops past `max_bytes`."""
    declared = answer.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    digest, size = hashlib.sha1(), 0
    for chunk in answer.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        digest.update(chunk)
        fileobj.write(chunk)
    return size, digest.hexdigest()
