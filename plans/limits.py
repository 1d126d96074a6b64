"""Plan limits, checked where a thing is created (products, locations, users, sales)."""

from django.utils.translation import gettext as _

from core.money import number_text
from plans.exceptions import PlanLimitReached
from plans.models import Plan

# resource -> (Plan field, how the message names it)
RESOURCES = {
    "products": "max_products",
    "locations": "max_locations",
    "users": "max_users",
    "sales_per_month": "max_sales_per_month",
    "active_students": "max_active_students",
    "teachers": "max_teachers",
    "online_orders_per_month": "max_online_orders_per_month",
    "conversations_per_month": "max_conversations_per_month",
}


def resource_label(resource: str) -> str:
    labels = {
        "products": _("products"),
        "locations": _("locations"),
        "users": _("users"),
        "sales_per_month": _("sales a month"),
        "active_students": _("active students"),
        "teachers": _("teachers"),
        "online_orders_per_month": _("online orders a month"),
        "conversations_per_month": _("WhatsApp conversations a month"),
    }
    return labels[resource]


def limit_text(value: int | None) -> str:
    return _("unlimited") if value is None else number_text(value)


def plan_limit_check(*, plan: Plan | None, resource: str, current: int, adding: int = 1) -> None:
    """Raise PlanLimitReached when ``current + adding`` would pass the plan's limit.

    The message names the limit and the way up: the next plan that allows more.
    """
    if plan is None:
        return
    field = RESOURCES[resource]
    limit = getattr(plan, field)
    if limit is None or current + adding <= limit:
        return
    upgrade = (
        Plan.objects.filter(rank__gt=plan.rank, is_public=True)
        .exclude(**{f"{field}__lt": current + adding})  # unlimited (NULL) plans stay
        .order_by("rank")
        .first()
    )
    label = resource_label(resource)
    if upgrade is None:
        raise PlanLimitReached(
            _("Your plan allows %(limit)s %(things)s.") % {"limit": limit_text(limit), "things": label}
        )
    raise PlanLimitReached(
        _("Your plan allows %(limit)s %(things)s; upgrade to %(plan)s for %(more)s.")
        % {
            "limit": limit_text(limit),
            "things": label,
            "plan": upgrade.name,
            "more": limit_text(getattr(upgrade, field)),
        }
    )
