class DomainError(Exception):
    """A rule of the domain refused an action. Views show `message`; the API answers 409."""

    def __init__(self, message, code="refused"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class NotAllowed(DomainError):
    """The user can see the object but may not do this to it: the API answers 403."""

    def __init__(self, message, code="not_allowed"):
        super().__init__(message, code)
