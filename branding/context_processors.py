from django.utils.functional import SimpleLazyObject
from django_tenants.utils import get_public_schema_name

from branding.permissions import can_manage_branding
from branding.selectors import branding_for_request


def branding(request):
    """``branding``: the workspace's brand as its plan applies it (the product's on the public site).

    Lazy: a page that never reads it costs no query. For receipts, purchase orders and any page:
    ``branding.name``, ``logo_url``, ``logo_2x_url``, ``favicon_url``, ``primary``,
    ``primary_contrast``, ``secondary``, ``accent``, ``white_label``, ``show_product``.
    ``can_manage_branding``: whether the signed-in user may open the branding page (for links).
    """
    return {
        "branding": SimpleLazyObject(lambda: branding_for_request(request)),
        "can_manage_branding": SimpleLazyObject(lambda: _can_manage(request)),
    }


def _can_manage(request) -> bool:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return False
    return can_manage_branding(getattr(request, "user", None))
