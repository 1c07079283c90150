"""Plain-Python Zoom layer (no ORM): OAuth tokens, the REST client, typed errors, secret encryption."""

from .client import ZoomClient
from .crypto import InvalidEncryptionKey, MissingEncryptionKey, SecretBox, SecretDecryptError
from .errors import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomPermissionError,
    ZoomRateLimited,
    ZoomScopeError,
    ZoomServerError,
    ZoomUnreachable,
    ZoomValidationError,
)
from .oauth import CachedTokenSource, S2SToken, fetch_s2s_token
