from django import template
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent

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
    return ", ".join(f"{key}: {value}" for key, value in data.items())
