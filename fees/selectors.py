"""Reads of family accounts: balances, a statement, the overdue list with age buckets. Scoped by
permission: one error (AcademyNotFound) for missing and forbidden."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from academy.exceptions import AcademyNotFound
from academy.services.common import workspace_zone
from accounts.permissions import Perm, has_perm
from customers.models import Customer, Family
from fees.accounts import Account
from fees.models import Charge, CreditNote, Payment
from fees.services import charges_with_open_amount

ZERO = Decimal(0)
BUCKETS = ((1, 30), (31, 60), (61, 90), (91, None))


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def account_get(*, kind: str, account_id, user) -> Account:
    """A family ("f") or a single payer ("p") account, for who records payments."""
    if not has_perm(user, Perm.RECORD_PAYMENTS):
        raise AcademyNotFound()
    pk = _as_id(account_id) or 0
    if kind == "f":
        family = Family.objects.filter(pk=pk).first()
        payer = Charge.objects.filter(family=family).select_related("payer").first() if family else None
        if family is None:
            raise AcademyNotFound()
        contact = payer.payer if payer else family.members.order_by("pk").first()
        if contact is None:
            raise AcademyNotFound()
        return Account(family=family, payer=contact)
    if kind == "p":
        payer = Customer.objects.filter(pk=pk).first()
        if payer is None:
            raise AcademyNotFound()
        return Account(family=None, payer=payer)
    raise AcademyNotFound()


@dataclass
class Balance:
    key: str
    name: str
    charged: Decimal = ZERO
    credited: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.charged - self.credited - self.paid

    @property
    def url_kind(self) -> str:
        return self.key[0]

    @property
    def url_id(self) -> int:
        return int(self.key[1:])


def _key(family_id, payer_id) -> str:
    return f"f{family_id}" if family_id else f"p{payer_id}"


def account_balances() -> list[Balance]:
    """Every account with what it was charged, credited and paid (three grouped queries)."""
    rows: dict[str, Balance] = {}

    def row(family_id, payer_id) -> Balance:
        key = _key(family_id, payer_id)
        if key not in rows:
            rows[key] = Balance(key=key, name="")
        return rows[key]

    for item in Charge.objects.values("family_id", "payer_id").annotate(total=Sum("amount")):
        row(item["family_id"], item["payer_id"]).charged += item["total"]
    for item in CreditNote.objects.values("charge__family_id", "charge__payer_id").annotate(
        total=Sum("amount")
    ):
        row(item["charge__family_id"], item["charge__payer_id"]).credited += item["total"]
    for item in Payment.objects.values("family_id", "payer_id").annotate(total=Sum("amount")):
        row(item["family_id"], item["payer_id"]).paid += item["total"]
    families = dict(
        Family.objects.filter(pk__in=[int(k[1:]) for k in rows if k[0] == "f"]).values_list("pk", "name")
    )
    payers = dict(
        Customer.objects.filter(pk__in=[int(k[1:]) for k in rows if k[0] == "p"]).values_list(
            "pk", "full_name"
        )
    )
    for balance in rows.values():
        balance.name = (families if balance.key[0] == "f" else payers).get(int(balance.key[1:]), "")
    return sorted(rows.values(), key=lambda b: (-b.balance, b.name))


@dataclass(frozen=True)
class StatementLine:
    day: date
    text: str
    charge: Decimal
    credit: Decimal
    balance: Decimal


def account_statement(*, account: Account) -> list[StatementLine]:
    """The account's charges, credit notes and payments in date order, with the running balance."""
    zone = workspace_zone()
    events = []
    for charge in Charge.objects.filter(account.q()).select_related("student"):
        events.append(
            (
                charge.issued_on,
                0,
                charge.pk,
                f"{charge.description} · {charge.student.full_name}",
                charge.amount,
                ZERO,
            )
        )
    for note in CreditNote.objects.filter(account.q("charge__")).select_related("charge"):
        day = timezone.localtime(note.created_at, zone).date()
        events.append((day, 1, note.pk, f"NC {note.number} · {note.reason}", ZERO, note.amount))
    for payment in Payment.objects.filter(account.q()):
        day = timezone.localtime(payment.received_at, zone).date()
        events.append(
            (
                day,
                2,
                payment.pk,
                f"RC {payment.number} · {payment.get_method_display()}",
                ZERO,
                payment.amount,
            )
        )
    balance, lines = ZERO, []
    for day, _order, _pk, text, debit, credit in sorted(events):
        balance += debit - credit
        lines.append(StatementLine(day, text, debit, credit, balance))
    return lines


def account_open_charges(*, account: Account):
    return (
        charges_with_open_amount(Charge.objects.filter(account.q()))
        .filter(open_amount__gt=0)
        .select_related("student")
        .order_by("due_on", "pk")
    )


@dataclass
class Overdue:
    key: str
    name: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKETS))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


def overdue_list(*, today: date | None = None) -> list[Overdue]:
    """Accounts with unpaid charges past due, by how late (1–30, 31–60, 61–90, over 90 days)."""
    today = today or timezone.localdate(timezone=workspace_zone())
    rows: dict[str, Overdue] = defaultdict(lambda: Overdue(key="", name=""))
    charges = (
        charges_with_open_amount(Charge.objects.filter(due_on__lt=today))
        .filter(open_amount__gt=0)
        .select_related("family", "payer")
    )
    for charge in charges:
        key = _key(charge.family_id, charge.payer_id)
        row = rows[key]
        row.key, row.name = key, charge.family.name if charge.family else charge.payer.full_name
        late = (today - charge.due_on).days
        index = next(
            i for i, (low, high) in enumerate(BUCKETS) if late >= low and (high is None or late <= high)
        )
        row.buckets[index] += charge.open_amount
    return sorted(rows.values(), key=lambda r: (-r.total, r.name))
