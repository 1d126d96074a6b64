from django_tenants.utils import get_public_schema_name


def workspace(request):
    """The current workspace (None on the public site) for every template."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return {"workspace": None}
    return {"workspace": tenant}
