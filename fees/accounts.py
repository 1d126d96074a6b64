"""Whose account a charge or a payment belongs to: the student's family, else the student's contact."""

from dataclasses import dataclass

from django.db.models import Q

from customers.models import Customer, Family


@dataclass(frozen=True)
class Account:
    family: Family | None
    payer: Customer

    @property
    def key(self) -> str:
        return f"f{self.family.pk}" if self.family else f"p{self.payer.pk}"

    @property
    def name(self) -> str:
        return self.family.name if self.family else self.payer.full_name

    def q(self, prefix: str = "") -> Q:
        """Rows of this account (``prefix`` reaches the charge from a related row: "charge__")."""
        if self.family:
            return Q(**{f"{prefix}family": self.family})
        return Q(**{f"{prefix}family__isnull": True, f"{prefix}payer": self.payer})


def account_of(student: Customer) -> Account:
    return Account(family=student.family, payer=student.contact)
