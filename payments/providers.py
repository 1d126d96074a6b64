"""The two providers behind one small interface: check a connection, make a checkout for a link,
read a payment's current status.

MercadoPago goes through its official SDK (``mercadopago``; its transport is requests). Wompi has
no official Python SDK (its documentation lists JavaScript widgets and plain HTTP), so this module
has a thin client on requests: three documented calls and two documented signatures. A wrapper
package from PyPI would add a dependency for less than this page of code.

Calls to providers happen outside any database transaction or row lock (they may take seconds).
"""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import mercadopago
import requests
from django.utils.translation import gettext as _
from mercadopago.config import RequestOptions
from mercadopago.errors.exceptions import MPServerError
from mercadopago.webhook import InvalidWebhookSignatureError, WebhookSignatureValidator

from payments.exceptions import InvalidSignature, ProviderUnavailable
from payments.models import PaymentLink, Provider, ProviderConnection, ProviderPayment

TIMEOUT_SECONDS = 10.0
# A notification signed longer ago than this is refused (replays of old captured requests).
MERCADOPAGO_TOLERANCE_SECONDS = 10 * 60
# Wompi signs the event's own timestamp and retries the same event 30 minutes, 3 hours and 24
# hours later (its documentation), so its window covers the last retry; replays inside it are
# stopped by the notification log (one row per event checksum).
WOMPI_TOLERANCE_SECONDS = 25 * 60 * 60
WOMPI_CHECKOUT = "https://checkout.wompi.co/p/"


@dataclass(frozen=True)
class RemotePayment:
    """A payment as the provider reports it, in our words."""

    payment_id: str
    status: str  # ProviderPayment.Status
    provider_status: str
    reference: str  # our PaymentLink.reference, echoed back
    amount: Decimal
    currency: str
    method: str = ""


@dataclass(frozen=True)
class Checkout:
    checkout_id: str
    url: str


# --- MercadoPago (official SDK) -----------------------------------------------------------------

MERCADOPAGO_STATUS = {
    "approved": ProviderPayment.Status.APPROVED,
    "rejected": ProviderPayment.Status.REJECTED,
    "cancelled": ProviderPayment.Status.REJECTED,
    "refunded": ProviderPayment.Status.REFUNDED,
    "charged_back": ProviderPayment.Status.REFUNDED,
}


def _sdk(connection: ProviderConnection) -> mercadopago.SDK:
    options = RequestOptions(connection_timeout=TIMEOUT_SECONDS, max_retries=1)
    return mercadopago.SDK(connection.access_token or "", request_options=options)


def _mercadopago_call(call):
    try:
        result = call()
    except (requests.RequestException, MPServerError) as error:
        raise ProviderUnavailable(_("MercadoPago could not be reached.")) from error
    return result.get("status"), result.get("response") or {}


def mercadopago_check(connection: ProviderConnection) -> str:
    """The account's nickname (GET /users/me): proves the access token works."""
    status, body = _mercadopago_call(lambda: _sdk(connection).user().get())
    if status != 200:
        raise ProviderUnavailable(
            _("MercadoPago refused the access token (%(status)s).") % {"status": status}
        )
    return str(body.get("nickname") or body.get("id") or "")


def mercadopago_preference_create(
    connection: ProviderConnection, link: PaymentLink, back_url: str
) -> Checkout:
    """A Checkout Pro preference for the link: one item at the link's amount; the payment's
    ``external_reference`` is the link's reference (how a notification finds the link)."""
    preference = {
        "items": [
            {
                "id": link.reference,
                "title": link.description[:250],
                "quantity": 1,
                "currency_id": link.currency,
                "unit_price": float(link.amount),
            }
        ],
        "external_reference": link.reference,
        "back_urls": {"success": back_url, "pending": back_url, "failure": back_url},
        "auto_return": "approved",
    }
    if link.payer_email:
        preference["payer"] = {"email": link.payer_email, "name": link.payer_name}
    status, body = _mercadopago_call(lambda: _sdk(connection).preference().create(preference))
    if status not in (200, 201) or not body.get("init_point"):
        raise ProviderUnavailable(
            _("MercadoPago did not create the checkout (%(status)s).") % {"status": status}
        )
    return Checkout(checkout_id=str(body.get("id", "")), url=body["init_point"])


def mercadopago_payment_get(connection: ProviderConnection, payment_id: str) -> RemotePayment | None:
    """The payment's current state (GET /v1/payments/{id}); None when this account has no such
    payment (another account's id, or a made-up one)."""
    status, body = _mercadopago_call(lambda: _sdk(connection).payment().get(payment_id))
    if status == 404 or (status in (401, 403)):
        return None
    if status != 200:
        raise ProviderUnavailable(_("MercadoPago did not answer (%(status)s).") % {"status": status})
    provider_status = str(body.get("status") or "")
    return RemotePayment(
        payment_id=str(body.get("id") or payment_id),
        status=MERCADOPAGO_STATUS.get(provider_status, ProviderPayment.Status.PENDING),
        provider_status=provider_status,
        reference=str(body.get("external_reference") or ""),
        amount=Decimal(str(body.get("transaction_amount") or 0)),
        currency=str(body.get("currency_id") or ""),
        method=str(body.get("payment_method_id") or ""),
    )


def mercadopago_signature_verify(
    connection: ProviderConnection, *, x_signature: str, x_request_id: str, data_id: str
) -> None:
    """MercadoPago's ``x-signature`` (``ts=…,v1=…``: HMAC-SHA256 of
    ``id:<data.id>;request-id:<x-request-id>;ts:<ts>;`` with the webhooks' secret), checked by the
    SDK's own validator, with a freshness window."""
    if not connection.webhook_secret:
        raise InvalidSignature(_("No webhook secret is set for MercadoPago."))
    try:
        WebhookSignatureValidator.validate(
            x_signature,
            x_request_id,
            data_id.lower() if data_id.isalnum() else data_id,
            connection.webhook_secret,
            tolerance_seconds=MERCADOPAGO_TOLERANCE_SECONDS,
        )
    except InvalidWebhookSignatureError as error:
        raise InvalidSignature(error.reason.value) from error


# --- Wompi (thin client on requests) -------------------------------------------------------------

WOMPI_STATUS = {
    "APPROVED": ProviderPayment.Status.APPROVED,
    "DECLINED": ProviderPayment.Status.REJECTED,
    "ERROR": ProviderPayment.Status.REJECTED,
    "VOIDED": ProviderPayment.Status.REFUNDED,  # an approved card payment annulled
}


def wompi_api_base(public_key: str) -> str:
    """Sandbox keys (pub_test_…) talk to the sandbox, production keys to production."""
    if public_key.startswith("pub_test_"):
        return "https://sandbox.wompi.co/v1"
    return "https://production.wompi.co/v1"


def _wompi_get(connection: ProviderConnection, path: str, *, private: bool = False):
    headers = {"Authorization": f"Bearer {connection.private_key}"} if private else {}
    try:
        response = requests.get(
            wompi_api_base(connection.public_key) + path, headers=headers, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as error:
        raise ProviderUnavailable(_("Wompi could not be reached.")) from error
    try:
        body = response.json()
    except ValueError:
        body = {}
    return response.status_code, body if isinstance(body, dict) else {}


def wompi_check(connection: ProviderConnection) -> str:
    """The merchant's name (GET /merchants/{public key}): proves the public key is a merchant's."""
    status, body = _wompi_get(connection, f"/merchants/{connection.public_key}")
    if status != 200:
        raise ProviderUnavailable(_("Wompi refused the public key (%(status)s).") % {"status": status})
    data = body.get("data") or {}
    return str(data.get("name") or data.get("legal_name") or "")


def _cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal(1)))


def wompi_checkout(
    connection: ProviderConnection, link: PaymentLink, *, reference: str, back_url: str
) -> Checkout:
    """The Web Checkout URL for one attempt: amount in cents, the attempt's reference and the
    integrity signature SHA256(reference + amount_in_cents + currency + integrity secret)."""
    cents = _cents(link.amount)
    integrity = hashlib.sha256(
        f"{reference}{cents}{link.currency}{connection.integrity_secret or ''}".encode()
    ).hexdigest()
    params = {
        "public-key": connection.public_key,
        "currency": link.currency,
        "amount-in-cents": str(cents),
        "reference": reference,
        "signature:integrity": integrity,
        "redirect-url": back_url,
    }
    if link.payer_email:
        params["customer-data:email"] = link.payer_email
    if link.payer_name:
        params["customer-data:full-name"] = link.payer_name
    return Checkout(checkout_id=reference, url=f"{WOMPI_CHECKOUT}?{urlencode(params)}")


def wompi_transaction(data: dict) -> RemotePayment:
    provider_status = str(data.get("status") or "")
    return RemotePayment(
        payment_id=str(data.get("id") or ""),
        status=WOMPI_STATUS.get(provider_status, ProviderPayment.Status.PENDING),
        provider_status=provider_status,
        reference=str(data.get("reference") or ""),
        amount=Decimal(int(data.get("amount_in_cents") or 0)) / 100,
        currency=str(data.get("currency") or ""),
        method=str(data.get("payment_method_type") or ""),
    )


def wompi_transaction_get(connection: ProviderConnection, transaction_id: str) -> RemotePayment | None:
    """The transaction's current state (GET /transactions/{id}); None when there is none."""
    status, body = _wompi_get(connection, f"/transactions/{transaction_id}", private=True)
    if status in (401, 403, 404):
        return None
    if status != 200:
        raise ProviderUnavailable(_("Wompi did not answer (%(status)s).") % {"status": status})
    return wompi_transaction(body.get("data") or {})


def _path(body: dict, dotted: str):
    value = body.get("data") or {}
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def wompi_event_verify(
    connection: ProviderConnection, body: dict, *, header_checksum: str = "", now: float
) -> str:
    """Wompi's event checksum: SHA256 of the values of ``signature.properties`` (read under
    ``data``), then ``timestamp``, then the events secret, concatenated. Returns the checksum
    (the event's unique id). Raises InvalidSignature when it does not match or is stale."""
    secret = connection.events_secret
    signature = body.get("signature") if isinstance(body.get("signature"), dict) else {}
    properties = signature.get("properties")
    checksum = str(signature.get("checksum") or header_checksum or "")
    timestamp = body.get("timestamp")
    if not secret or not isinstance(properties, list) or not checksum or not isinstance(timestamp, int):
        raise InvalidSignature(_("The event is not signed."))
    values = "".join("" if (v := _path(body, str(p))) is None else str(v) for p in properties)
    expected = hashlib.sha256(f"{values}{timestamp}{secret}".encode()).hexdigest()
    if not hmac.compare_digest(expected.upper(), checksum.upper()):
        raise InvalidSignature(_("The event's checksum does not match."))
    if abs(now - timestamp) > WOMPI_TOLERANCE_SECONDS:
        raise InvalidSignature(_("The event was signed too long ago."))
    return checksum.upper()


# --- One interface for both ---------------------------------------------------------------------


def connection_check(connection: ProviderConnection) -> str:
    if connection.provider == Provider.MERCADOPAGO:
        return mercadopago_check(connection)
    return wompi_check(connection)


def payment_fetch(connection: ProviderConnection, payment_id: str) -> RemotePayment | None:
    if connection.provider == Provider.MERCADOPAGO:
        return mercadopago_payment_get(connection, payment_id)
    return wompi_transaction_get(connection, payment_id)
