"""Domain errors of the API app (tokens, idempotency); turned into JSON answers in api.errors."""

from django.utils.translation import gettext as _


class ApiError(Exception):
    code = "api_error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IdempotencyKeyReused(ApiError):
    """The key was already used with another body (or by another user)."""

    code = "idempotency_key_reused"
    status = 422

    def __init__(self):
        super().__init__(_("This Idempotency-Key was already used for a different request."))


class IdempotencyKeyInvalid(ApiError):
    code = "idempotency_key_invalid"
    status = 400

    def __init__(self):
        super().__init__(_("The Idempotency-Key header must be 1 to 255 visible characters."))
