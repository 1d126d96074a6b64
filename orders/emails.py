"""The buyer's confirmation email: the order, its number and the link to follow its status."""

from django.core.mail import send_mail
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from core.emails import email_branding
from core.money import money_text
from inventory.exceptions import quantity_text


def order_confirmation_send(*, order, status_url: str) -> None:
    """Sent after the order commits, in the workspace's language."""
    language = getattr(connection.tenant, "language", "") or "es"
    branding = email_branding()
    with translation.override(language):
        subject = _("Your order %(number)s at %(business)s") % {
            "number": order.number,
            "business": branding.name,
        }
        lines = "\n".join(
            f"{quantity_text(line.quantity)} × {line.description}  {money_text(line.total)}"
            for line in order.lines.order_by("pk")
        )
        body = "\n\n".join(
            [
                _("Hello %(name)s, we received your order %(number)s.")
                % {"name": order.customer_name, "number": order.number},
                lines,
                _("Total: %(total)s") % {"total": money_text(order.total)},
                _("Follow your order here: %(url)s") % {"url": status_url},
            ]
        )
        send_mail(subject, body, branding.from_email, [order.customer_email])
