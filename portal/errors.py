"""The one domain error type. A leaf module: it imports nothing of ours.

Services raise `DomainError` with a message a person can read; the edges turn it
into a form error, a flash message or a 4xx JSON body.
"""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, *, field=None, details=None, status_code=None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code
