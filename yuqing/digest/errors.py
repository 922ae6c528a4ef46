"""The digest's own error type (a :class:`~yuqing.errors.YuqingError`: one line for the CLI)."""

from __future__ import annotations

from ..errors import YuqingError


class DigestError(YuqingError):
    """A digest cannot be built: bad period, no CJK font, PDF renderer missing …"""
