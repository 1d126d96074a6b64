"""Notifications from the providers, on the bare domain, routed to the workspace by the id we
issued (``<workspace slug>.<route token>``): verified, recorded once per event, the payment's state
read from the provider when the notification carries only an id (outside any lock), then applied
by ``services.payment_apply`` (under the link's lock)."""

import json
import time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from payments import providers
from payments.exceptions import InvalidSignature, ProviderUnavailable
from payments.models import Notification, Provider, ProviderConnection
from payments.services import payment_apply
from tenants.models import Tenant


class Answer:
    """What the endpoint answers: 200 when handled (or nothing to do), 401 for a bad or stale
    signature, 404 for a route we never issued, 400 for a body that is not a notification."""

    def __init__(self, status: int, outcome: str):
        self.status, self.outcome = status, outcome


def _route(route: str, provider: str):
    """The workspace's schema and its connection for ``<slug>.<token>``, or None."""
    slug, _dot, token = route.partition(".")
    if not slug or not token:
        return None
    tenant = (
        Tenant.objects.filter(slug=slug)
        .exclude(status__in=[Tenant.Status.TEMPLATE, Tenant.Status.CLOSED])
        .first()
    )
    if tenant is None:
        return None
    with schema_context(tenant.schema_name):
        connection = ProviderConnection.objects.filter(
            provider=provider, route_token=token, is_active=True
        ).first()
    return (tenant, connection) if connection else None


def _begin(provider: str, event_id: str, payment_id: str) -> bool:
    """Note the event; False when it was already processed (a replay or a retry of a done one).
    Two deliveries of the same event at once both go on: payment_apply serializes them on the
    link's row and the second finds nothing to change."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                provider=provider, event_id=event_id[:128], payment_id=payment_id[:80]
            )
        return True
    except IntegrityError:
        return not Notification.objects.filter(
            provider=provider, event_id=event_id[:128], processed_at__isnull=False
        ).exists()


def _finish(provider: str, event_id: str, outcome: str) -> None:
    Notification.objects.filter(provider=provider, event_id=event_id[:128]).update(
        processed_at=timezone.now(), outcome=outcome[:120]
    )


def _json(body: bytes) -> dict | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def mercadopago_handle(*, route: str, headers, query, body: bytes) -> Answer:
    """A MercadoPago webhook: ``?data.id=…&type=payment`` and ``{"id", "type", "action",
    "data": {"id"}}``, signed in ``x-signature`` over data.id, x-request-id and ts."""
    found = _route(route, Provider.MERCADOPAGO)
    if found is None:
        return Answer(404, "unknown route")
    tenant, connection = found
    payload = _json(body) or {}
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    data_id = str(query.get("data.id") or data.get("id") or "").strip()
    kind = str(query.get("type") or payload.get("type") or "")
    try:
        providers.mercadopago_signature_verify(
            connection,
            x_signature=headers.get("x-signature", ""),
            x_request_id=headers.get("x-request-id", ""),
            data_id=data_id,
        )
    except InvalidSignature:
        return Answer(401, "bad signature")
    if kind != "payment" or not data_id:
        return Answer(200, "ignored")
    event_id = f"{payload.get('id') or headers.get('x-request-id', '')}:{payload.get('action', '')}"
    return _process(tenant, connection, event_id, data_id, fetch=True)


def wompi_handle(*, route: str, headers, body: bytes, now: float | None = None) -> Answer:
    """A Wompi event (``transaction.updated``) with the transaction in the body, signed by the
    checksum of its ``signature.properties`` + timestamp + events secret."""
    found = _route(route, Provider.WOMPI)
    if found is None:
        return Answer(404, "unknown route")
    tenant, connection = found
    payload = _json(body)
    if payload is None:
        return Answer(400, "not json")
    try:
        event_id = providers.wompi_event_verify(
            connection, payload, header_checksum=headers.get("x-event-checksum", ""), now=now or time.time()
        )
    except InvalidSignature:
        return Answer(401, "bad signature")
    transaction_data = (payload.get("data") or {}).get("transaction")
    if payload.get("event") != "transaction.updated" or not isinstance(transaction_data, dict):
        return Answer(200, "ignored")
    remote = providers.wompi_transaction(transaction_data)
    return _process(tenant, connection, event_id, remote.payment_id, remote=remote)


def _process(
    tenant, connection, event_id: str, payment_id: str, *, fetch: bool = False, remote=None
) -> Answer:
    provider = connection.provider
    with schema_context(tenant.schema_name):
        if not _begin(provider, event_id, payment_id):
            return Answer(200, "duplicate")
        if fetch:
            # Outside any transaction: the provider may take seconds to answer.
            try:
                remote = providers.payment_fetch(connection, payment_id)
            except ProviderUnavailable:
                # Left unprocessed: the provider's retry of this event is handled then.
                return Answer(503, "provider unavailable")
        if remote is None:
            _finish(provider, event_id, "unknown payment")
            return Answer(200, "unknown payment")
        applied = payment_apply(provider=provider, remote=remote)
        _finish(provider, event_id, applied.outcome)
    return Answer(200, applied.outcome)
