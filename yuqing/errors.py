"""yuqing's own exception types. Their messages are meant for the people running yuqing:
one line, saying what is wrong and, where possible, what to do about it."""

from __future__ import annotations


class YuqingError(Exception):
    """Base class: the CLI prints ``str(exc)`` as one line and exits non-zero."""

    exit_code = 1


class ConfigError(YuqingError):
    """The configuration file or an environment override is wrong."""

    exit_code = 2


class StorageError(YuqingError):
    """The store cannot do what was asked (base of the storage errors below; also: cannot be opened,
    a migration's counts disagree)."""


#: What a change to an issue someone else changed since it was read says (after "议题 #12 ").
CONFLICT = "已被他人更新，请刷新"


class ConflictError(StorageError):
    """What the caller read has changed since (an issue's version, an e-mail being marked by another
    sender): nothing was written; read it again and decide anew."""

    @classmethod
    def stale_issue(cls, issue_id: int | None, detail: str = "") -> ConflictError:
        """议题 #N 已被他人更新，请刷新 — an issue changed by someone else since it was read."""
        return cls(f"议题 #{issue_id} {CONFLICT}{detail}")


class NotFoundError(StorageError):
    """The thing named (an issue, a source, a user, a post) is not stored."""


class UnavailableError(StorageError):
    """The store could not be reached, or the connection was lost in the middle of an operation: the
    operation may or may not have been applied; try again later (not a sign that data changed)."""


class PagingLimitError(StorageError):
    """A listing asked for more than the backend pages through (Elasticsearch: the first 10 000 hits)."""


class ImportFormatError(YuqingError):
    """A file is not in any format yuqing can read (the whole file is quarantined)."""


class RuleError(YuqingError):
    """An alert rule file is invalid; the message names the file and the key."""


class ModelError(YuqingError):
    """A trained model is missing or was built with incompatible library versions."""


class AccessDenied(YuqingError):
    """The user's role or union unit does not allow this."""
