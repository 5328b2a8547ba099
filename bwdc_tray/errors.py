"""Exit codes of the CLI contract and the errors that map onto them."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    SYNC_FAILED = 1
    USAGE = 2
    LOCKED = 3
    TIMEOUT = 4
    ENVIRONMENT = 5


class BwdcTrayError(Exception):
    """An error the user can act on: a message, and where possible the remedy."""

    exit_code: Exit = Exit.USAGE

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        return f"{self.message}\n  fix: {self.remedy}" if self.remedy else self.message


class InvalidInput(BwdcTrayError):
    """Bad usage or invalid input; the message names the field and the rule."""

    exit_code = Exit.USAGE


class EnvironmentProblem(BwdcTrayError):
    """Something about the machine: bwdc missing, no keyring, a corrupt file."""

    exit_code = Exit.ENVIRONMENT


class ConfigCorrupt(EnvironmentProblem):
    pass


class SecretsUnavailable(EnvironmentProblem):
    pass
