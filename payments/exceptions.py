"""Domain errors of payments to the business: a translated ``message`` and a stable ``code`` each
(one form message and one API error, api.errors)."""

from django.utils.translation import gettext as _


class PaymentsError(Exception):
    code = "payments_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class PaymentsNotFound(PaymentsError):
    """Missing, another workspace's, or not the user's to see: one error for all three."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


class ProviderNotConnected(PaymentsError):
    code = "provider_not_connected"


class ProviderUnavailable(PaymentsError):
    """The provider refused the call or could not be reached (the message says which)."""

    code = "provider_unavailable"


class NothingOwed(PaymentsError):
    code = "nothing_owed"


class InvalidSignature(PaymentsError):
    """A notification whose signature does not verify, or signed too long ago."""

    code = "invalid_signature"
