class TenantError(Exception):
    """Base of the workspace domain errors."""


class SubdomainTaken(TenantError):
    pass
