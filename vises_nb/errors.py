"""Errors a user can cause. Each message names what is wrong and what to do.

The CLI turns any `VisesError` into one line on stderr and a non-zero exit code, so
no traceback ever reaches a user for a mistake they can fix.
"""

from __future__ import annotations


class VisesError(Exception):
    """Base class of every error a user can cause and fix."""

    exit_code = 2


class ValidationError(VisesError):
    """A value does not fit the model: the message names the field and what is expected."""


class StoreError(VisesError):
    """The store cannot be opened, created or upgraded."""


class ConflictError(VisesError):
    """A save was based on a stale revision: someone else saved in between."""

    exit_code = 3


class NotFoundError(VisesError):
    """A record (enterprise, question...) that was asked for does not exist."""


class ParameterError(VisesError):
    """A notebook parameter is unknown or of the wrong type."""


class RunError(VisesError):
    """At least one notebook of a batch run failed; the others were still published."""

    exit_code = 1
