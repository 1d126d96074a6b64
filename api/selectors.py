"""Reads of the API app."""

from django.db.models import QuerySet

from accounts.permissions import Perm
from api.models import ApiToken
from inventory.exceptions import NotFound
from inventory.models import Category, ExpenseCategory
from inventory.selectors.common import object_get


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token whose hash matches ``raw`` in this workspace's schema, with its user."""
    if not raw:
        return None
    return ApiToken.objects.active().select_related("user").filter(key_hash=ApiToken.hash_key(raw)).first()


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, revoked ones too, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, token_id, user) -> ApiToken:
    """One of the user's own tokens (another user's is NotFound, like a missing one)."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound()
    return token


def category_list() -> QuerySet[Category]:
    """Every category (flat; ``parent`` links them), by name."""
    return Category.objects.order_by("name", "id")


def expense_category_get(*, expense_category_id, user) -> ExpenseCategory:
    """An expense category of this workspace, for whoever records expenses."""
    return object_get(
        ExpenseCategory.objects.all(), expense_category_id, user=user, perm=Perm.MANAGE_SUPPLIER_INVOICES
    )
