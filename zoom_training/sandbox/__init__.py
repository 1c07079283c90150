"""The Zoom sandbox: a stand-in for Zoom's OAuth, REST API and webhooks (see README.md)."""

from .server import ZoomSandbox

__all__ = ["ZoomSandbox"]
