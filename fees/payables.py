"""The "family_balance" payable: a payment link for what a family (or a single payer) owes.

Registered in payments' registry when Django starts (FeesConfig.ready), so payments, below this
app, never imports it. ``ref`` is the account's key: ``f<family id>`` or ``p<payer id>``. A payment
the provider approves is recorded through ``payment_record`` (oldest charges first, receipt
numbered like any other); a refund adds a charge that reopens the balance (receipts stay).
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Perm
from customers.models import Customer, Family
from fees.accounts import Account
from fees.exceptions import FeesError
from fees.models import Charge
from fees.selectors import account_balances
from fees.services import payment_record, payment_reversal_charge
from inventory.models import PaymentMethod
from payments import payables
from payments.exceptions import NothingOwed, PaymentsError, PaymentsNotFound
from payments.services import acting_user, workspace_currency

KIND = "family_balance"


def _account(ref: str) -> Account:
    kind, number = ref[:1], ref[1:]
    if kind not in ("f", "p") or not number.isascii() or not number.isdigit() or len(number) > 18:
        raise PaymentsNotFound()
    pk = int(number)
    if kind == "f":
        family = Family.objects.filter(pk=pk).first()
        if family is None:
            raise PaymentsNotFound()
        charge = Charge.objects.filter(family=family).select_related("payer").order_by("pk").first()
        payer = charge.payer if charge else family.members.order_by("pk").first()
        if payer is None:
            raise PaymentsNotFound()
        return Account(family=family, payer=payer)
    payer = Customer.objects.filter(pk=pk).first()
    if payer is None:
        raise PaymentsNotFound()
    return Account(family=None, payer=payer)


def _balance(account: Account) -> Decimal:
    for row in account_balances():
        if row.key == account.key:
            return row.balance
    return Decimal(0)


def describe(ref: str) -> payables.Payable:
    account = _account(ref)
    balance = _balance(account)
    if balance <= 0:
        raise NothingOwed(_("%(account)s owes nothing.") % {"account": account.name})
    return payables.Payable(
        amount=balance,
        currency=workspace_currency(),
        description=_("Balance of %(account)s") % {"account": account.name},
        payer_name=account.payer.full_name,
        payer_email=account.payer.email or "",
    )


def on_paid(ref: str, payment) -> None:
    try:
        payment_record(
            account=_account(ref),
            amount=payment.amount,
            method=PaymentMethod.OTHER,
            user=acting_user(payment, Perm.RECORD_PAYMENTS),
            note=f"{payment.get_provider_display()} {payment.provider_payment_id}"[:200],
        )
    except FeesError as error:
        raise PaymentsError(error.message) from error


def on_reversed(ref: str, payment) -> None:
    try:
        payment_reversal_charge(
            account=_account(ref),
            amount=payment.amount,
            description=_("Online payment refunded (%(provider)s %(id)s)")
            % {"provider": payment.get_provider_display(), "id": payment.provider_payment_id},
            user=acting_user(payment, Perm.RECORD_PAYMENTS),
        )
    except FeesError as error:
        raise PaymentsError(error.message) from error


def choices() -> list[tuple[str, str]]:
    return [(row.key, row.name) for row in account_balances() if row.balance > 0]


def register() -> None:
    payables.register(
        KIND,
        describe=describe,
        on_paid=on_paid,
        on_reversed=on_reversed,
        label=gettext_lazy("Family balance"),
        choices=choices,
    )
