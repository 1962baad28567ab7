class DomainError(Exception):
    """A rule of the domain refused an action. Views show `message`; the API answers 409."""

    def __init__(self, message, code="refused"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def refusal(error):
    """What to tell the user when a service refused: a domain rule's message, or the messages of
    a ValidationError."""
    if isinstance(error, DomainError):
        return str(error.message)
    return " ".join(error.messages)


class NotAllowed(DomainError):
    """The user can see the object but may not do this to it: the API answers 403."""

    def __init__(self, message, code="not_allowed"):
        super().__init__(message, code)
