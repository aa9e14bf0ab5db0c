"""Domain errors. Use cases raise these; ``api.http`` alone maps them to HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a caller can act on; ``message`` says what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    """The input is wrong: a field, a type, a value. Nothing was stored."""


class TooLarge(DomainError):
    """The request body is larger than the API accepts."""


class Unauthenticated(DomainError):
    """No credentials, or credentials that do not verify."""


class Forbidden(DomainError):
    """The caller sees the object but their role may not take this action."""


class NotFound(DomainError):
    """No such object, or one of another organisation (its existence never leaks)."""


class Conflict(DomainError):
    """The object's state forbids the change now: stale version, closed ticket, ..."""


class RateLimited(DomainError):
    """Too many requests; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A service the API depends on cannot be reached; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: int = 30):
        super().__init__(message)
        self.retry_after = retry_after
