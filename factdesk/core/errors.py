"""Errors services raise for rules an editor broke; the message is shown to them as is."""


class DeskError(Exception):
    """A rule of the desk stops this change. Nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
