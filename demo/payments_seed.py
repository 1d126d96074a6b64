"""Demo payment links: a few manual amounts, one waiting and one paid, so the list has something
to show. No provider connection is made (the demo cannot reach MercadoPago or Wompi): opening a
demo link's checkout says the provider is not connected. Idempotent."""

import secrets
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from payments.models import ManualCharge, PaymentLink, Provider, ProviderPayment
from payments.services import workspace_currency

LINKS = [
    ("Clase privada de tango (2 horas)", Decimal("90000"), "Lucía Pérez", "lucia@example.com", "open"),
    (
        "Vestuario para la muestra de fin de año",
        Decimal("150000"),
        "Familia Gómez",
        "marta@example.com",
        "paid",
    ),
    ("Taller intensivo de salsa caleña", Decimal("60000"), "Andrés Ruiz", "andres@example.com", "open"),
]


def payments_demo_seed() -> None:
    if PaymentLink.objects.exists():
        return
    owner = User.objects.filter(role=User.Role.OWNER).order_by("pk").first()
    currency = workspace_currency()
    provider = Provider.WOMPI if currency == "COP" else Provider.MERCADOPAGO
    for description, amount, payer, email, status in LINKS:
        charge = ManualCharge.objects.create(
            description=description, amount=amount, payer_name=payer, payer_email=email, created_by=owner
        )
        link = PaymentLink.objects.create(
            token=secrets.token_urlsafe(24),
            reference=secrets.token_hex(8).upper(),
            kind="manual",
            ref=str(charge.pk),
            provider=provider,
            status=status,
            amount=amount,
            currency=currency,
            description=description,
            payer_name=payer,
            payer_email=email,
            created_by=owner,
            emailed_at=timezone.now(),
            paid_at=timezone.now() if status == "paid" else None,
        )
        if status == "paid":
            ProviderPayment.objects.create(
                link=link,
                provider=provider,
                provider_payment_id=f"demo-{link.reference}",
                status=ProviderPayment.Status.APPROVED,
                provider_status="APPROVED",
                amount=amount,
                currency=currency,
                method="NEQUI",
                approved_at=timezone.now(),
                settled=True,
            )
