"""Reads of payments to the business, scoped by permission: one error (PaymentsNotFound) for
missing and forbidden."""

from django.db.models import Prefetch, QuerySet

from accounts.permissions import Perm, has_perm
from core.http import BIGINT_MAX
from payments.exceptions import PaymentsNotFound
from payments.models import PaymentLink, Provider, ProviderConnection, ProviderPayment


def _as_id(value) -> int:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= BIGINT_MAX:
        raise PaymentsNotFound()
    return int(text)


def link_list(*, user, status: str = "", kind: str = "") -> QuerySet[PaymentLink]:
    """Payment links with their payments (newest first), filtered by status and kind."""
    if not has_perm(user, Perm.SEND_PAYMENT_LINKS):
        raise PaymentsNotFound()
    links = PaymentLink.objects.select_related("created_by").prefetch_related(
        Prefetch("payments", queryset=ProviderPayment.objects.order_by("-created_at"))
    )
    if status:
        links = links.filter(status=status)
    if kind:
        links = links.filter(kind=kind)
    return links.order_by("-created_at", "-pk")


def link_get(*, link_id, user) -> PaymentLink:
    return link_list(user=user).filter(pk=_as_id(link_id)).first() or _missing()


def link_by_token(token: str) -> PaymentLink:
    """A link as its payer opens it (no sign-in: the token is the key)."""
    token = str(token or "")
    if not 20 <= len(token) <= 64:
        raise PaymentsNotFound()
    return PaymentLink.objects.filter(token=token).first() or _missing()


def connection_list(*, user) -> dict[str, ProviderConnection | None]:
    if not has_perm(user, Perm.MANAGE_PAYMENT_PROVIDERS):
        raise PaymentsNotFound()
    found = {connection.provider: connection for connection in ProviderConnection.objects.all()}
    return {provider: found.get(provider) for provider in Provider.values}


def connection_get(*, provider: str, user) -> ProviderConnection:
    if provider not in Provider.values:
        raise PaymentsNotFound()
    connection = connection_list(user=user)[provider]
    return connection or _missing()


def connected_providers() -> list[str]:
    return list(ProviderConnection.objects.filter(is_active=True).values_list("provider", flat=True))


def _missing():
    raise PaymentsNotFound()
