"""Domain errors of the customers app: a translated ``message`` and a stable ``code`` each, turned
into form messages and ``{"detail": ..., "code": ...}`` API answers by the views."""

from django.utils.translation import gettext as _


class CustomerError(Exception):
    """Base of the customers domain errors."""

    code = "customer_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class CustomerNotFound(CustomerError):
    """Missing, another workspace's, or not the user's to see: one error for all three."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


class DuplicateCustomer(CustomerError):
    """Another customer already has this document, email or phone."""

    code = "duplicate_customer"

    def __init__(self, duplicates: list):
        self.duplicates = duplicates
        names = ", ".join(f"{d.customer.full_name} ({d.reason_text})" for d in duplicates)
        super().__init__(_("This person may already be registered: %(names)s.") % {"names": names})


class InvalidGuardian(CustomerError):
    code = "invalid_guardian"
