"""Plan limits of the workspace whose schema is active on the connection."""

from plans.limits import plan_limit_check
from tenants.selectors import tenant_current


def workspace_limit_check(*, resource: str, current: int, adding: int = 1) -> None:
    """plan_limit_check for the workspace whose schema is active on the connection."""
    tenant = tenant_current()
    plan_limit_check(plan=tenant.plan if tenant else None, resource=resource, current=current, adding=adding)
