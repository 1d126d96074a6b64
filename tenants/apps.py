from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _workspace_country_and_currency() -> tuple[str | None, str | None]:
    # Imported on call: models are not ready when the app config is imported.
    from tenants.selectors import tenant_current

    tenant = tenant_current()
    return (tenant.country, tenant.currency) if tenant else (None, None)


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Workspaces")

    def ready(self):
        from core.money import workspace_resolver_set

        workspace_resolver_set(_workspace_country_and_currency)
