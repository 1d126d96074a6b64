"""Emails of the inventory app: a purchase order to its supplier, quantities in packs when they
are whole packs ("42 units (7 packs of 6)")."""

from decimal import Decimal

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from branding.selectors import email_branding
from core.money import format_money
from inventory.exceptions import quantity_text
from inventory.models import PurchaseOrder
from tenants.models import Tenant


def _packs(quantity: Decimal, size: Decimal | None) -> str:
    """ "7 packs of 6" when the quantity is a whole number of the product's packs (size > 1)."""
    if not size or size <= 1 or quantity % size:
        return ""
    count = int(quantity // size)
    return ngettext("%(packs)s pack of %(size)s", "%(packs)s packs of %(size)s", count) % {
        "packs": quantity_text(Decimal(count)),
        "size": quantity_text(size),
    }


def purchase_order_email_send(*, order_id: int, schema_name: str) -> str:
    """Email a sent purchase order to its supplier, HTML and text, in the workspace's language.

    Takes ids and the schema name (it runs after the sending transaction commits, possibly from a
    task later); returns the address written to.
    """
    tenant = Tenant.objects.get(schema_name=schema_name)
    with schema_context(schema_name), translation.override(tenant.language):
        order = PurchaseOrder.objects.select_related("supplier", "location").get(pk=order_id)
        language = translation.get_language()

        def amount(value):
            return format_money(value, tenant.currency, language, tenant.country)

        lines = [
            {
                "sku": line.product.sku,
                "name": line.product.name,
                "quantity": quantity_text(line.quantity_ordered),
                "unit": line.product.get_unit_display(),
                "packs": _packs(line.quantity_ordered, line.product.pack_size),
                "unit_cost": amount(line.unit_cost),
                "total": amount(line.quantity_ordered * line.unit_cost),
            }
            for line in order.lines.select_related("product").order_by("pk")
        ]
        branding = email_branding(tenant)
        context = {
            "branding": branding,
            "business": tenant,
            "order": order,
            "supplier": order.supplier,
            "lines": lines,
            "total": amount(order.total),
        }
        subject = _("Purchase order %(number)s from %(business)s") % {
            "number": order.number,
            "business": branding.name,
        }
        text = render_to_string("inventory/email/purchase_order.txt", context)
        html = render_to_string("inventory/email/purchase_order.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        branding.from_email,
        [order.supplier.email],
        reply_to=[tenant.email] if tenant.email else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return order.supplier.email
