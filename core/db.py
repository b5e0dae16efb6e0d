"""Turn a violated database constraint into the form-ready message its app gives it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the violated constraint (psycopg2 reports it in the error's diagnostics)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def raise_for_constraint(error: IntegrityError, messages: dict) -> None:
    """Raise ValidationError with the message for the violated constraint; re-raise unknown ones."""
    name = constraint_name(error)
    if name in messages:
        raise ValidationError(messages[name], code=name) from error
    raise error
