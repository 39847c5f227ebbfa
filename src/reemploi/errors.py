"""Domain errors, named after the problem.

Each carries a stable ``code`` (a key of the message catalogue in ``reemploi.i18n``)
and the ``params`` the message needs. Adapters translate them once: the CLI into a
one-line message and an exit code, the API into a status and a JSON body.
"""

from __future__ import annotations

from typing import Any


class ReemploiError(Exception):
    """Base of every error a user can cause and fix."""

    code = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(f"{self.code}: {params}")


class NotFound(ReemploiError):
    code = "not_found"


class UnknownModel(NotFound):
    code = "unknown_model"


class UnknownLocation(NotFound):
    code = "unknown_location"


class UnknownDevice(NotFound):
    code = "unknown_device"


class UnknownLot(NotFound):
    code = "unknown_lot"


class UnknownSite(NotFound):
    code = "unknown_site"


class InvalidInput(ReemploiError):
    """The input cannot be used at all (missing file, no serial column, undecodable)."""

    code = "invalid_input"


class Conflict(ReemploiError):
    code = "conflict"


class TransitionNotAllowed(ReemploiError):
    code = "transition_not_allowed"


class ConcurrentChange(Conflict):
    code = "concurrent_change"


class DatabaseNotReady(ReemploiError):
    code = "database_not_ready"
