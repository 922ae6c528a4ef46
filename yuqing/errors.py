"""yuqing's own exception types. Their messages are meant for the people running yuqing:
one line, saying what is wrong and, where possible, what to do about it."""


class YuqingError(Exception):
    """Base class: the CLI prints ``str(exc)`` as one line and exits non-zero."""

    exit_code = 1


class ConfigError(YuqingError):
    """The configuration file or an environment override is wrong."""

    exit_code = 2


class StorageError(YuqingError):
    """The store cannot be opened or reached."""


class ImportFormatError(YuqingError):
    """A file is not in any format yuqing can read (the whole file is quarantined)."""


class RuleError(YuqingError):
    """An alert rule file is invalid; the message names the file and the key."""


class ModelError(YuqingError):
    """A trained model is missing or was built with incompatible library versions."""


class AccessDenied(YuqingError):
    """The user's role or union unit does not allow this."""
