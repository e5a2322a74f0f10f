"""The error every decoder raises: a file whose pixels cannot be shown.

It lives apart from :mod:`photonix.media.decode` so that the decoders it calls
(:mod:`photonix.media.raw`) raise the same error without importing it back. Pure code: no Django.
"""

from __future__ import annotations

__all__ = ["DecodeError"]


class DecodeError(Exception):
    """A file whose pixels cannot be shown; ``reason`` is meant for the user (and the jobs page).

    It is permanent: decoding the same bytes again fails the same way, so it is not retried.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
