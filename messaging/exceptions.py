"""Domain errors of messaging: a translated message and a stable code each."""

from django.utils.translation import gettext as _


class MessagingError(Exception):
    code = "messaging_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class ConversationNotFound(MessagingError):
    """Missing, another workspace's, or not the user's to see: one error for all three."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


class NotConnected(MessagingError):
    code = "whatsapp_not_connected"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Connect a WhatsApp number first."))


class OutsideWindow(MessagingError):
    code = "outside_24h_window"

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("The customer last wrote more than 24 hours ago: send an approved template instead.")
        )


class NoConsent(MessagingError):
    code = "no_whatsapp_consent"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This customer has not accepted WhatsApp messages."))


class InvalidCredentials(MessagingError):
    code = "whatsapp_credentials_refused"


class GraphError(MessagingError):
    """The Graph API refused a call or could not be reached (``retry`` when trying later may help)."""

    code = "graph_error"

    def __init__(self, message: str | None = None, *, code: str = "", retry: bool = False):
        super().__init__(message)
        self.graph_code = code
        self.retry = retry
