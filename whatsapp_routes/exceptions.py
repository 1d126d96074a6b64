from django.utils.translation import gettext as _


class NumberTakenElsewhere(Exception):
    """The phone-number id is already connected to another workspace."""

    code = "whatsapp_number_taken"

    def __init__(self, message: str | None = None):
        self.message = message or _("This WhatsApp number is already connected to another workspace.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)
