"""The registry of what can be paid through a payment link.

An app that owns something owed registers its kind when Django starts (``AppConfig.ready``):

    payments.payables.register("family_balance", describe=..., on_paid=..., on_reversed=...)

``describe(ref) -> Payable`` says what is owed now (raises ``PaymentsNotFound`` when ``ref`` names
nothing of this workspace, ``NothingOwed`` when nothing is due); ``on_paid(ref, payment)`` settles
it when the provider approves a payment; ``on_reversed(ref, payment)`` undoes that when a settled
payment is refunded. Both run inside the transaction that changes the payment's status (a domain
error they raise is kept as the payment's problem, and the status change still commits); they must
be safe for this one payment only (the caller runs each at most once per payment).

This app registers "manual" and "quote" (payments.apps); fees registers "family_balance"; the
orders app registers "order".
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Payable:
    amount: Decimal
    currency: str
    description: str
    payer_name: str = ""
    payer_email: str = ""
    # Where the payer lands after the provider's checkout ("" = the link's own status page).
    return_url: str = ""


@dataclass(frozen=True)
class PayableKind:
    kind: str
    describe: Callable[[str], Payable]
    on_paid: Callable[..., None]
    on_reversed: Callable[..., None]
    label: str = ""
    # () -> [(ref, text)]: what may be picked on the "new payment link" screen ("" = typed in).
    choices: Callable[[], list[tuple[str, str]]] | None = None


_kinds: dict[str, PayableKind] = {}


def register(
    kind: str,
    *,
    describe: Callable[[str], Payable],
    on_paid: Callable[..., None],
    on_reversed: Callable[..., None],
    label: str = "",
    choices: Callable[[], list[tuple[str, str]]] | None = None,
) -> None:
    """Register (or replace, e.g. on a reload) the handlers of ``kind``; ``label`` names the kind
    on screens, ``choices()`` lists what can be picked for a new link."""
    _kinds[kind] = PayableKind(kind, describe, on_paid, on_reversed, label or kind, choices)


def get(kind: str) -> PayableKind | None:
    return _kinds.get(kind)


def kinds() -> list[str]:
    return sorted(_kinds)
