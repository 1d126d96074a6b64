"""Writes of payments to the business: provider connections, manual charges, payment links and
the payments providers report (``payment_apply``, the one place a payment's status changes)."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import Perm, has_perm, require_perm
from audit.services import audit_record
from core.emails import email_branding
from core.http import BIGINT_MAX
from core.money import money_text
from inventory.exceptions import InventoryError
from inventory.models import PaymentMethod, Quote
from inventory.services.common import money
from inventory.services.sales import quote_convert, sale_void
from payments import payables, providers
from payments.exceptions import NothingOwed, PaymentsError, PaymentsNotFound, ProviderNotConnected
from payments.models import ManualCharge, PaymentLink, Provider, ProviderConnection, ProviderPayment
from tenants.models import Tenant
from tenants.services import workspace_reverse

Status = ProviderPayment.Status
# Wompi takes COP only (Colombia); MercadoPago the currencies of the countries it works in.
PROVIDER_CURRENCIES = {
    Provider.WOMPI: {"COP"},
    Provider.MERCADOPAGO: {"ARS", "BRL", "CLP", "COP", "MXN", "PEN", "UYU"},
}
SECRET_FIELDS = {
    Provider.MERCADOPAGO: ("access_token", "webhook_secret"),
    Provider.WOMPI: ("private_key", "events_secret", "integrity_secret"),
}


def current_workspace() -> Tenant:
    """The workspace of the active schema (a request's, or a FakeTenant's under schema_context:
    then read from the public table)."""
    tenant = db_connection.tenant
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.get(schema_name=db_connection.schema_name)


def workspace_currency() -> str:
    return current_workspace().currency


# --- Connections --------------------------------------------------------------------------------


def platform_hook_url(connection: ProviderConnection) -> str:
    """Where the provider sends notifications: the bare domain, routed by an id we issued."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    route = f"{current_workspace().slug}.{connection.route_token}"
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/hooks/{connection.provider}/{route}/"


def connection_save(*, provider: str, data: dict, user) -> ProviderConnection:
    """Connect a provider or change its credentials (MANAGE_PAYMENT_PROVIDERS). A secret left
    empty keeps the stored one: saved secrets are never shown again, only replaced."""
    require_perm(user, Perm.MANAGE_PAYMENT_PROVIDERS)
    if provider not in Provider.values:
        raise PaymentsNotFound()
    with transaction.atomic():
        connection = ProviderConnection.objects.select_for_update().filter(provider=provider).first()
        if connection is None:
            connection = ProviderConnection(provider=provider, route_token=secrets.token_urlsafe(24))
        for field in SECRET_FIELDS[provider]:
            value = (data.get(field) or "").strip()
            if value:
                setattr(connection, field, value)
        if provider == Provider.WOMPI and (data.get("public_key") or "").strip():
            connection.public_key = data["public_key"].strip()
        missing = [f for f in SECRET_FIELDS[provider] if not getattr(connection, f)]
        if provider == Provider.WOMPI and not connection.public_key:
            missing.append("public_key")
        if missing:
            raise PaymentsError(_("Fill in every credential to connect."))
        connection.is_active = True
        connection.check_ok = False
        connection.check_message = ""
        connection.updated_by = user
        connection.save()
        audit_record(action="payments.connection_saved", actor=user, target=connection.get_provider_display())
    return connection


def connection_disconnect(*, connection: ProviderConnection, user) -> None:
    """Forget the credentials (new links cannot use this provider; old links keep their status)."""
    require_perm(user, Perm.MANAGE_PAYMENT_PROVIDERS)
    with transaction.atomic():
        connection = ProviderConnection.objects.select_for_update().get(pk=connection.pk)
        for field in SECRET_FIELDS[connection.provider]:
            setattr(connection, field, None)
        connection.is_active = False
        connection.check_ok = False
        connection.save()
        audit_record(
            action="payments.connection_removed", actor=user, target=connection.get_provider_display()
        )


def connection_check(*, connection: ProviderConnection, user) -> ProviderConnection:
    """Call the provider with the stored credentials (outside any transaction) and keep the result."""
    require_perm(user, Perm.MANAGE_PAYMENT_PROVIDERS)
    try:
        name = providers.connection_check(connection)
        ok, message = True, _("Connected: %(name)s") % {"name": name} if name else _("Connected")
    except PaymentsError as error:
        ok, message = False, str(error)
    ProviderConnection.objects.filter(pk=connection.pk).update(
        check_ok=ok, check_message=message[:200], checked_at=timezone.now()
    )
    connection.refresh_from_db()
    return connection


def active_connection(provider: str | None, currency: str) -> ProviderConnection:
    """The connection a new link uses: the one asked for, else the first active one that takes
    the currency (Wompi first for pesos colombianos)."""
    candidates = ProviderConnection.objects.filter(is_active=True)
    if provider:
        candidates = candidates.filter(provider=provider)
    for connection in sorted(candidates, key=lambda c: c.provider != Provider.WOMPI):
        if currency in PROVIDER_CURRENCIES[connection.provider]:
            return connection
    raise ProviderNotConnected(
        _("Connect a payment provider that takes %(currency)s first.") % {"currency": currency}
    )


# --- Manual charges and links -------------------------------------------------------------------


def manual_charge_create(
    *, description: str, amount, payer_name: str = "", payer_email: str = "", user
) -> ManualCharge:
    require_perm(user, Perm.SEND_PAYMENT_LINKS)
    amount = money(amount)
    description = (description or "").strip()[:200]
    if amount <= 0:
        raise PaymentsError(_("Enter an amount greater than zero."))
    if not description:
        raise PaymentsError(_("Say what the payment is for."))
    return ManualCharge.objects.create(
        description=description,
        amount=amount,
        payer_name=(payer_name or "").strip()[:160],
        payer_email=(payer_email or "").strip(),
        created_by=user,
    )


def link_page_url(link: PaymentLink) -> str:
    """The payer's page of ``link`` (absolute), also when asked from the bare domain."""
    return workspace_reverse(current_workspace(), "payments:pay", args=[link.token])


def payment_link_create(*, kind: str, ref, created_by, provider: str | None = None) -> PaymentLink:
    """A payment link for what ``kind``/``ref`` owes now (SEND_PAYMENT_LINKS). MercadoPago's
    Checkout Pro preference is made here, before the link is saved (no row is locked meanwhile);
    Wompi's checkout URL is signed each time the link is opened.

    ``created_by=None`` is the workspace itself asking, for a buyer with no account (an online
    order's checkout): only code passes it; every screen and endpoint passes the signed-in user."""
    if created_by is not None:
        require_perm(created_by, Perm.SEND_PAYMENT_LINKS)
    handler = payables.get(kind)
    if handler is None:
        raise PaymentsNotFound()
    ref = str(ref)
    payable = handler.describe(ref)
    amount = money(payable.amount)
    if amount <= 0:
        raise NothingOwed(_("Nothing is owed."))
    connection = active_connection(provider, payable.currency)
    link = PaymentLink(
        token=secrets.token_urlsafe(24),
        reference=secrets.token_hex(8).upper(),
        kind=kind,
        ref=ref,
        provider=connection.provider,
        amount=amount,
        currency=payable.currency,
        description=payable.description[:200],
        payer_name=payable.payer_name[:160],
        payer_email=payable.payer_email,
        return_url=payable.return_url,
        created_by=created_by,
    )
    if connection.provider == Provider.MERCADOPAGO:
        checkout = providers.mercadopago_preference_create(
            connection, link, link.return_url or link_page_url(link)
        )
        link.checkout_id, link.checkout_url = checkout.checkout_id, checkout.url
    with transaction.atomic():
        link.save()
        audit_record(
            action="payments.link_created",
            actor=created_by,
            target=link.description,
            data={"kind": kind, "amount": str(amount), "provider": link.provider},
        )
    return link


def checkout_url(link: PaymentLink) -> str:
    """Where the payer pays: MercadoPago's init_point, or a freshly signed Wompi checkout (one
    reference per attempt, ``<link reference>.<attempt>``: Wompi wants each attempt unique)."""
    if link.status != PaymentLink.Status.OPEN:
        raise PaymentsError(_("This payment link is no longer open."))
    connection = ProviderConnection.objects.filter(provider=link.provider, is_active=True).first()
    if connection is None:
        raise ProviderNotConnected(_("The business has disconnected this payment provider."))
    back_url = link.return_url or link_page_url(link)
    if link.provider == Provider.MERCADOPAGO:
        if not link.checkout_url:
            checkout = providers.mercadopago_preference_create(connection, link, back_url)
            PaymentLink.objects.filter(pk=link.pk).update(
                checkout_id=checkout.checkout_id, checkout_url=checkout.url
            )
            link.checkout_id, link.checkout_url = checkout.checkout_id, checkout.url
        return link.checkout_url
    attempt = format(int(timezone.now().timestamp() * 1000), "x")
    return providers.wompi_checkout(
        connection, link, reference=f"{link.reference}.{attempt}", back_url=back_url
    ).url


def payment_link_email(*, link: PaymentLink, user, email: str = "") -> PaymentLink:
    """Email the link to the payer (or to ``email``), in the workspace's language, after commit."""
    require_perm(user, Perm.SEND_PAYMENT_LINKS)
    to = (email or link.payer_email or "").strip()
    if not to:
        raise PaymentsError(_("Enter the payer's email."))
    url = link_page_url(link)
    language = current_workspace().language or "es"
    branding = email_branding()
    with translation.override(language):
        subject = _("Payment request from %(business)s") % {"business": branding.name}
        body = _(
            "Hi %(name)s,\n\n%(business)s asks you to pay %(amount)s for: %(what)s.\n\nPay here: %(url)s\n"
        ) % {
            "name": link.payer_name or to,
            "business": branding.name,
            "amount": money_text(link.amount),
            "what": link.description,
            "url": url,
        }
    with transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(emailed_at=timezone.now(), payer_email=to)
        audit_record(action="payments.link_emailed", actor=user, target=link.description)
        transaction.on_commit(lambda: send_mail(subject, body, branding.from_email, [to]))
    link.refresh_from_db()
    return link


def payment_link_cancel(*, link: PaymentLink, user) -> PaymentLink:
    require_perm(user, Perm.SEND_PAYMENT_LINKS)
    with transaction.atomic():
        link = PaymentLink.objects.select_for_update().get(pk=link.pk)
        if link.status != PaymentLink.Status.OPEN:
            raise PaymentsError(_("This payment link is no longer open."))
        link.status = PaymentLink.Status.CANCELLED
        link.save(update_fields=["status", "updated_at"])
        audit_record(action="payments.link_cancelled", actor=user, target=link.description)
    return link


# --- Payments reported by the providers ---------------------------------------------------------


def acting_user(payment: ProviderPayment, perm: Perm):
    """Who an automatic settlement is written in the name of: whoever sent the link while they
    still hold ``perm``, else the workspace's first active owner (the provider's approval is the
    authority here; the books still name a person)."""
    creator = payment.link.created_by
    if creator is not None and has_perm(creator, perm):
        return creator
    return User.objects.filter(role=User.Role.OWNER, is_active=True).order_by("pk").first()


@dataclass(frozen=True)
class Applied:
    outcome: str
    payment: ProviderPayment | None = None


def _link_reference(reference: str) -> str:
    return reference.split(".", 1)[0]


def payment_apply(*, provider: str, remote: providers.RemotePayment) -> Applied:
    """Record what the provider says of a payment, once, under a lock on its link (fetched from the
    provider before: no call to a provider holds a lock).

    approved → the payable's on_paid (once per payment; if the link is paid already, or the amount
    differs, the payment is kept with the problem instead); rejected → shown; refunded after a
    settlement → on_reversed. Out of order: once approved only a refund moves it; a refund is final.
    """
    with transaction.atomic():
        link = (
            PaymentLink.objects.select_for_update()
            .filter(reference=_link_reference(remote.reference), provider=provider)
            .first()
        )
        if link is None:
            return Applied("unknown link")
        payment, created = ProviderPayment.objects.get_or_create(
            provider=provider,
            provider_payment_id=remote.payment_id,
            defaults={"link": link, "amount": remote.amount, "currency": remote.currency},
        )
        if payment.link_id != link.pk:
            return Applied("payment of another link", payment)
        old, new = payment.status, remote.status
        if old == Status.REFUNDED or old == new or (old == Status.APPROVED and new != Status.REFUNDED):
            return Applied("unchanged", payment)
        payment.status = new
        payment.provider_status = remote.provider_status
        payment.method = remote.method[:60]
        payment.amount, payment.currency = remote.amount, remote.currency
        handler = payables.get(link.kind)
        if new == Status.APPROVED:
            payment.approved_at = timezone.now()
            _settle(link, payment, handler)
        elif new == Status.REFUNDED and payment.settled and not payment.reversed:
            _reverse(link, payment, handler)
        payment.save()
        audit_record(
            action="payments.payment_" + new,
            target=link.description,
            data={"provider": provider, "payment": remote.payment_id, "amount": str(remote.amount)},
        )
    return Applied(new, payment)


def _settle(link: PaymentLink, payment: ProviderPayment, handler) -> None:
    if payment.amount != link.amount or payment.currency != link.currency:
        payment.problem = _("Paid %(paid)s but the link asks for %(asked)s: check it with the provider.") % {
            "paid": f"{payment.amount} {payment.currency}",
            "asked": f"{link.amount} {link.currency}",
        }
        return
    if link.status != PaymentLink.Status.OPEN:
        payment.problem = _("The link was already paid or cancelled: refund this payment in the provider.")
        return
    try:
        with transaction.atomic():
            if handler is not None:
                handler.on_paid(link.ref, payment)
    except PaymentsError as error:
        payment.problem = str(error)[:255]
    else:
        payment.settled = True
    link.status = PaymentLink.Status.PAID
    link.paid_at = timezone.now()
    link.save(update_fields=["status", "paid_at", "updated_at"])


def _reverse(link: PaymentLink, payment: ProviderPayment, handler) -> None:
    try:
        with transaction.atomic():
            if handler is not None:
                handler.on_reversed(link.ref, payment)
    except PaymentsError as error:
        payment.problem = str(error)[:255]
    payment.reversed = True
    link.status = PaymentLink.Status.REFUNDED
    link.save(update_fields=["status", "updated_at"])


# --- The kinds this app owns: a manual amount, an inventory quote ---------------------------------


def _ref_id(ref: str) -> int:
    """The id in a ``ref`` (0 when it is not one a table can hold: then nothing is found)."""
    ref = str(ref)
    return int(ref) if ref.isascii() and ref.isdigit() and 0 < int(ref) <= BIGINT_MAX else 0


def manual_describe(ref: str) -> payables.Payable:
    charge = ManualCharge.objects.filter(pk=_ref_id(ref)).first()
    if charge is None:
        raise PaymentsNotFound()
    return payables.Payable(
        amount=charge.amount,
        currency=workspace_currency(),
        description=charge.description,
        payer_name=charge.payer_name,
        payer_email=charge.payer_email,
    )


def manual_paid(ref: str, payment: ProviderPayment) -> None:
    """Nothing else to settle: the link's status is the record."""


def quote_describe(ref: str) -> payables.Payable:
    quote = Quote.objects.filter(pk=_ref_id(ref)).first()
    if quote is None:
        raise PaymentsNotFound()
    if quote.status != Quote.Status.OPEN or quote.total <= 0:
        raise NothingOwed(_("This quote is no longer open."))
    return payables.Payable(
        amount=quote.total,
        currency=workspace_currency(),
        description=_("Quote %(number)s") % {"number": quote.number},
        payer_name=quote.customer_name,
        payer_email=quote.customer_email,
    )


def quote_paid(ref: str, payment: ProviderPayment) -> None:
    """The quote becomes a sale paid by card (its stock goes out now)."""
    quote = Quote.objects.get(pk=int(ref))
    try:
        quote_convert(
            quote=quote, user=acting_user(payment, Perm.CONVERT_QUOTES), payment_method=PaymentMethod.CARD
        )
    except InventoryError as error:
        raise PaymentsError(
            _("Paid, but the quote could not become a sale: %(reason)s") % {"reason": error.message}
        ) from error


def quote_reversed(ref: str, payment: ProviderPayment) -> None:
    """A refunded quote's sale is voided (today) or left for a return (later)."""
    quote = Quote.objects.select_related("sale").get(pk=int(ref))
    if quote.sale is None:
        return
    try:
        sale_void(sale=quote.sale, user=acting_user(payment, Perm.VOID_SALES), reason=_("Refunded online"))
    except InventoryError as error:
        raise PaymentsError(
            _("Refunded: record a return for sale %(number)s (%(reason)s)")
            % {"number": quote.sale.number, "reason": error.message}
        ) from error


def quote_choices() -> list[tuple[str, str]]:
    quotes = Quote.objects.filter(status=Quote.Status.OPEN, total__gt=0).order_by("-number")[:200]
    return [(str(q.pk), f"{q.number} · {q.customer_name or '—'} · {money_text(q.total)}") for q in quotes]


def register_own_kinds() -> None:
    payables.register(
        "manual",
        describe=manual_describe,
        on_paid=manual_paid,
        on_reversed=manual_paid,
        label=gettext_lazy("Manual amount"),
    )
    payables.register(
        "quote",
        describe=quote_describe,
        on_paid=quote_paid,
        on_reversed=quote_reversed,
        label=gettext_lazy("Quote"),
        choices=quote_choices,
    )
