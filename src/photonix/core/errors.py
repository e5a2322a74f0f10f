"""Domain errors: what went wrong, in words people read, and which kind of wrong it is.

Services raise a subclass of :class:`PhotonixError` when a request cannot be carried out. Its
:class:`Category` says what kind of refusal it is, without speaking HTTP here: the views'
exception handler (:func:`photonix.core.http.exception_handler`) answers invalid 400,
forbidden 403, not found 404, conflict 409, too large 413, unsupported 415, unavailable 503
and no space 507, with ``{"detail": message}`` —
or ``{field: [message]}`` when the error names the ``field`` of the request it is about. An error
a client acts on by itself (not only shows) also carries a machine-readable ``code``:
``{"detail": message, "code": code}``.

Standard library only: every layer that raises these may import this module.
"""

from __future__ import annotations

import enum
from typing import ClassVar


class Category(enum.Enum):
    """The kind of refusal; ``status`` is its HTTP status code."""

    INVALID = 400  # the request itself is wrong: fix it and ask again
    FORBIDDEN = 403  # the caller's role does not allow it
    NOT_FOUND = 404  # no such thing (or none the caller may know of)
    CONFLICT = 409  # the state changed or forbids it: reload, or it is already done
    TOO_LARGE = 413  # the content is larger than a limit allows
    UNSUPPORTED = 415  # the content is of a kind this does not take
    UNAVAILABLE = 503  # something it needs cannot be reached right now
    NO_SPACE = 507  # the server has no room left to store it

    @property
    def status(self) -> int:
        return int(self.value)


class PhotonixError(Exception):
    """A request that cannot be carried out; the message says why.

    Subclasses choose their ``category`` (invalid unless they say otherwise) and may give a
    ``default_message`` for when they are raised without one. ``field`` names the request field
    the error is about (``None``: the request as a whole); a subclass may set it for all its errors.
    ``code`` (``None``: no code) is sent along with the message of an error about the whole
    request, for clients that act on it (the UI asks for the password on ``password_required``).
    """

    category: ClassVar[Category] = Category.INVALID
    code: ClassVar[str | None] = None
    default_message: ClassVar[str] = ""
    field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = self.default_message if message is None else message
        if field is not None:
            self.field = field
        super().__init__(self.message)
