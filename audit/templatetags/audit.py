from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent
from core.money import money_text, number_text

register = template.Library()


def _role(value) -> str:
    return str(dict(User.Role.choices).get(value, value))


@register.filter
def audit_details(event: AuditEvent) -> str:
    """{{ event|audit_details }}: the event's details in words (they hold no secrets)."""
    data = event.data or {}
    Action = AuditEvent.Action
    if event.action == Action.ROLE_CHANGED and {"from", "to"} <= data.keys():
        return f"{_role(data['from'])} → {_role(data['to'])}"
    if event.action in (Action.INVITATION_SENT, Action.INVITATION_ACCEPTED) and "role" in data:
        text = _("Role: %(role)s") % {"role": _role(data["role"])}
        if data.get("resent"):
            text = text + " · " + _("sent again")
        return text
    return " · ".join(
        f"{_label(key)}: {_value(key, value)}" for key, value in data.items() if value not in ("", None)
    )


# What each key of an event's data is called on screen; amounts and numbers are written for the
# reader, lists of lines as "SKU × quantity" (never a raw dict).
LABELS = {
    "branding": gettext_lazy("Brand"),
    "changed": gettext_lazy("Changed"),
    "number": gettext_lazy("Number"),
    "total": gettext_lazy("Total"),
    "refund": gettext_lazy("Refund"),
    "return": gettext_lazy("Return"),
    "reason": gettext_lazy("Reason"),
    "location": gettext_lazy("Location"),
    "quantity": gettext_lazy("Quantity"),
    "lines": gettext_lazy("Lines"),
    "corrections": gettext_lazy("Corrections"),
    "allow_negative_stock": gettext_lazy("Allow negative stock"),
    "kind": gettext_lazy("Kind"),
    "file": gettext_lazy("File"),
    "rows": gettext_lazy("Rows"),
    "products": gettext_lazy("Products"),
    "products_created": gettext_lazy("New products"),
    "categories_created": gettext_lazy("New categories"),
    "receipts": gettext_lazy("Stock receipts"),
    "receipts_posted": gettext_lazy("Stock receipts"),
    "sales": gettext_lazy("Sales"),
    "sales_created": gettext_lazy("Sales"),
    "returns": gettext_lazy("Returns"),
    "returns_created": gettext_lazy("Returns"),
    "records": gettext_lazy("Records"),
    "kinds": gettext_lazy("Kinds"),
    "export_id": gettext_lazy("Export"),
    "purge_after": gettext_lazy("Deleted after"),
}
IMPORT_KINDS = {
    "products": gettext_lazy("Products"),
    "opening_stock": gettext_lazy("Opening stock"),
    "sales_history": gettext_lazy("Sales history"),
}
MONEY_KEYS = {"total", "refund"}
PLAIN_KEYS = {"file", "reason", "location", "branding", "number", "return", "export_id", "sku"}


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_value(key, item) for item in value) or "—"
    if isinstance(value, dict):
        if "sku" in value:
            parts = [f"{value['sku']}"]
            if "quantity" in value:
                parts.append(f"× {_value('quantity', value['quantity'])}")
            if "expected" in value and "counted" in value:
                parts.append(
                    f"{_value('quantity', value['expected'])} → {_value('quantity', value['counted'])}"
                )
            return " ".join(parts)
        return " ".join(f"{_label(k)} {_value(k, v)}" for k, v in value.items())
    if key == "kind" and value in IMPORT_KINDS:
        return str(IMPORT_KINDS[value])
    if isinstance(value, int | float | str) and key not in PLAIN_KEYS:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return money_text(number) if key in MONEY_KEYS else number_text(number)
    return str(value)
