"""Domain errors of the orders app: a translated ``message`` and a stable ``code`` each, turned
into form messages and ``{"detail": ..., "code": ...}`` API answers in one place each."""

from django.utils.translation import gettext as _


class OrderError(Exception):
    """Base of the orders domain errors."""

    code = "order_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class OrderNotFound(OrderError):
    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


class OrderingClosed(OrderError):
    """The ordering page is off, or the location is closed now."""

    code = "ordering_closed"


class InvalidOrder(OrderError):
    code = "invalid_order"


class InvalidTransition(OrderError):
    code = "invalid_status"
