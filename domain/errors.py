"""The refusal of a step: a rule says no, nothing was changed, and the
message says why in the person's language."""


class Refusal(Exception):
    """A refused step; `message` is for the person (a text, a lazy text, or a
    list of them) and is translated when it is shown."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
