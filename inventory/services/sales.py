"""Point of sale: sales, voids, returns, and quotes converted into sales.

A sale is atomic: its lines, its stock movements and its number are written in one transaction,
or nothing is (a short line, a plan limit or a bad payment leaves no trace). Prices include tax
(see inventory.models.sales).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from audit.models import AuditEvent
from audit.services import audit_record
from core import metrics
from inventory.dates import day_bounds, local_date, workspace_timezone, workspace_today
from inventory.exceptions import (
    InactiveObject,
    InvalidInput,
    InvalidPayment,
    InvalidQuantity,
    InvalidStatus,
    InventoryError,
    QuoteExpired,
    ReturnExceedsSale,
    SaleNotVoidable,
    quantity_text,
)
from inventory.models import (
    Location,
    PaymentMethod,
    Product,
    Quote,
    QuoteLine,
    Sale,
    SaleLine,
    SaleReturn,
    SaleReturnLine,
    StockMovement,
)
from inventory.models.fields import ZERO
from inventory.services.common import (
    document_number_next,
    money,
    money_text,
    month_counter_add,
    month_counter_value,
    quantity_of,
    reason_of,
)
from inventory.services.stock import StockChange, stock_lock
from plans.exceptions import PlanLimitReached
from tenants.limits import workspace_limit_check

QUOTE_VALIDITY_DAYS = 15
SALES_MONTH = "sales"  # the month counter: DocumentCounter rows "sales:2026-12"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class SaleLineInput:
    """A line to sell (or quote): ``unit_price`` defaults to the product's sale price; ``discount``
    is an amount taken off the line."""

    product: Product
    quantity: Decimal
    unit_price: Decimal | None = None
    discount: Decimal = ZERO


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: Decimal
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def lines_price(*, lines: list[SaleLineInput]) -> tuple[list[PricedLine], Totals]:
    """Price lines as a sale or quote would (no writes): tax included, amounts to the cent.

    Screens may call it to show a running total before the sale is made.
    """
    if not lines:
        raise InvalidQuantity(_("Add at least one product."))
    priced = []
    for line in lines:
        product = line.product
        if not product.is_active:
            raise InactiveObject(_("%(product)s is not for sale (inactive).") % {"product": product.name})
        quantity = quantity_of(line.quantity, product=product)
        unit_price = money(product.sale_price if line.unit_price is None else line.unit_price)
        if unit_price < 0:
            raise InvalidInput(_("A price cannot be negative."))
        gross = money(quantity * unit_price)
        discount = money(line.discount or ZERO)
        if discount < 0 or discount > gross:
            raise InvalidInput(
                _("The discount on %(product)s must be between zero and the line's amount.")
                % {"product": product.name}
            )
        total = gross - discount
        rate = product.tax_rate or ZERO
        tax_amount = money(total - total / (1 + rate / HUNDRED))
        priced.append(PricedLine(product, quantity, unit_price, gross, discount, rate, tax_amount, total))
    totals = Totals(
        subtotal=sum((line.gross for line in priced), ZERO),
        discount_total=sum((line.discount for line in priced), ZERO),
        tax_total=sum((line.tax_amount for line in priced), ZERO),
        total=sum((line.total for line in priced), ZERO),
    )
    money(totals.subtotal)  # each line fits; their sum must fit the sale's columns too
    return priced, totals


def _payment(method: str, total: Decimal, amount_tendered) -> tuple[Decimal | None, Decimal]:
    """(amount tendered, change due). Only cash gives change; other methods pay the exact total."""
    if method not in PaymentMethod.values:
        raise InvalidPayment(_("Choose a payment method."))
    if method != PaymentMethod.CASH or amount_tendered is None or amount_tendered == "":
        return (total if method == PaymentMethod.CASH else None), ZERO
    tendered = money(amount_tendered)
    if tendered < total:
        raise InvalidPayment(
            _("The amount tendered (%(tendered)s) is less than the total (%(total)s).")
            % {"tendered": money_text(tendered), "total": money_text(total)}
        )
    return tendered, tendered - total


def _active(location: Location) -> Location:
    if not location.is_active:
        raise InactiveObject(_("%(location)s is not active.") % {"location": location.name})
    return location


def sale_create(
    *,
    location: Location,
    seller,
    lines: list[SaleLineInput],
    payment_method: str = PaymentMethod.CASH,
    amount_tendered: Decimal | None = None,
    customer_name: str = "",
    note: str = "",
    occurred_at: datetime | None = None,
) -> Sale:
    """Sell ``lines`` at ``location``: the sale, its lines and its stock movements, or nothing.

    Raises InsufficientStock (nothing written) when a product is short, PlanLimitReached past the
    plan's sales a month (every sale made this calendar month counts, voided ones too),
    InvalidPayment when cash tendered is below the total. Products that hold no stock are sold
    without movements. ``occurred_at`` is for imports of past sales and demo data only; screens
    leave it out.
    """
    require_perm(seller, Perm.RECORD_SALES)
    try:
        sale = _sale_create(
            location=location,
            seller=seller,
            lines=lines,
            payment_method=payment_method,
            amount_tendered=amount_tendered,
            customer_name=customer_name,
            note=note,
            occurred_at=occurred_at,
        )
    except (InventoryError, PlanLimitReached):
        metrics.SALES.labels(outcome="refused").inc()
        raise
    metrics.SALES.labels(outcome="created").inc()
    return sale


def _sale_create(
    *,
    location: Location,
    seller,
    lines: list[SaleLineInput],
    payment_method: str,
    amount_tendered,
    customer_name: str,
    note: str,
    occurred_at: datetime | None = None,
) -> Sale:
    _active(location)
    priced, totals = lines_price(lines=lines)
    tendered, change = _payment(payment_method, totals.total, amount_tendered)
    changes = [StockChange(line.product, location, -line.quantity) for line in priced]
    created_at = occurred_at or timezone.now()
    with transaction.atomic():
        locked = stock_lock(places=[(line.product, location) for line in priced])
        locked.check(changes)
        # The sale's id comes first and its row last: lines and movements point at it before it
        # exists (foreign keys are checked at commit), so the two counters every sale shares (the
        # gap-free number and the month's count) are taken at the very end, held for the INSERT
        # and the commit only, while the stock rows (locked in order above) are per product.
        sale = Sale(
            pk=_sale_id_next(),
            created_at=created_at,
            location=location,
            seller=seller if getattr(seller, "is_authenticated", False) else None,
            customer_name=(customer_name or "").strip()[:160],
            payment_method=payment_method,
            amount_tendered=tendered,
            change_due=change,
            subtotal=totals.subtotal,
            discount_total=totals.discount_total,
            tax_total=totals.tax_total,
            total=totals.total,
            note=(note or "").strip()[:255],
        )
        SaleLine.objects.bulk_create(
            [
                SaleLine(
                    sale_id=sale.pk,
                    product=line.product,
                    description=line.product.name,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                    tax_rate=line.tax_rate,
                    tax_amount=line.tax_amount,
                    total=line.total,
                    unit_cost=(
                        locked.average_cost(line.product, location)
                        if line.product.tracks_stock
                        else line.product.cost
                    ),
                )
                for line in priced
            ]
        )
        locked.post(kind=StockMovement.Kind.SALE, changes=changes, user=seller, sale=sale, at=created_at)
        sales_month_count_add(at=created_at, adding=1)  # PlanLimitReached rolls all of it back
        sale.number = document_number_next(kind="sale")
        sale.save(force_insert=True)
    return sale


def _sale_id_next() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Sale._meta.db_table])
        return cursor.fetchone()[0]


def _sales_between(start: datetime, end: datetime) -> int:
    return Sale.objects.filter(created_at__gte=start, created_at__lt=end).count()


def _month_bounds(at: datetime, tz) -> tuple[datetime, datetime]:
    first = local_date(at, tz).replace(day=1)
    return day_bounds(first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1), tz=tz)


def sales_month_count_add(*, at: datetime, adding: int, check: bool = True) -> None:
    """Count ``adding`` sales made at ``at`` against the plan's sales a month (every sale counts,
    voided ones too), in the caller's transaction; PlanLimitReached past the limit.

    The month's count is a counter row (not a COUNT of sales), locked until the caller commits:
    take it last. Sales dated in another month (imports of history) count in their own month,
    which the limit no longer watches; ``check=False`` counts without the limit (imports check it
    with every row before writing)."""
    tz = workspace_timezone()
    start, end = _month_bounds(at, tz)
    total = month_counter_add(
        kind=SALES_MONTH, month_start=start, month_end=end, by=adding, count=_sales_between
    )
    if check and start == _month_bounds(timezone.now(), tz)[0]:
        workspace_limit_check(resource="sales_per_month", current=total - adding, adding=adding)


def sales_this_month() -> int:
    """Sales made this calendar month (the workspace's), voided ones included: the plan's count."""
    start, end = _month_bounds(timezone.now(), workspace_timezone())
    return month_counter_value(kind=SALES_MONTH, month_start=start, month_end=end, count=_sales_between)


def sale_void(*, sale: Sale, user, reason: str, request=None) -> Sale:
    """Void a sale made today (in the workspace's time zone): the stock comes back as return
    movements and the sale stays, marked voided, with who, when and why. OWNER or ADMIN
    (VOID_SALES). Audited as SALE_VOIDED. Older sales, or sales with returns, take a return."""
    require_perm(user, Perm.VOID_SALES)
    reason = reason_of(reason)
    with transaction.atomic():
        sale = Sale.objects.select_for_update().select_related("location").get(pk=sale.pk)
        if sale.status == Sale.Status.VOIDED:
            raise InvalidStatus(_("This sale is already voided."))
        tz = workspace_timezone()
        if local_date(sale.created_at, tz) != workspace_today(tz):
            raise SaleNotVoidable(_("Only today's sales can be voided; record a return instead."))
        if sale.returns.exists():
            raise SaleNotVoidable(_("This sale has returns; record a return for the rest instead."))
        lines = list(sale.lines.select_related("product").order_by("pk"))
        changes = [StockChange(line.product, sale.location, line.quantity, line.unit_cost) for line in lines]
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        sale.status = Sale.Status.VOIDED
        sale.voided_at = timezone.now()
        sale.voided_by = user
        sale.void_reason = reason
        sale.save(update_fields=["status", "voided_at", "voided_by", "void_reason", "updated_at"])
        locked.post(
            kind=StockMovement.Kind.RETURN,
            changes=changes,
            user=user,
            reason=reason,
            sale=sale,
            at=sale.voided_at,
        )
        audit_record(
            action=AuditEvent.Action.SALE_VOIDED,
            actor=user,
            target=str(sale),
            request=request,
            data={"number": sale.number, "total": str(sale.total), "reason": reason},
        )
    return sale


@dataclass(frozen=True)
class ReturnLineInput:
    sale_line: SaleLine
    quantity: Decimal


def sale_return(
    *, sale: Sale, user, reason: str, lines: list[ReturnLineInput] | None = None, request=None
) -> SaleReturn:
    """Take goods back from a sale, part (``lines``) or all that is left (``lines`` None).

    Stock comes back at the cost it left at; the refund is the lines' share of what was paid (the
    last return of a line refunds exactly what is left of it). OWNER or ADMIN (VOID_SALES).
    Audited as SALE_RETURNED.
    """
    require_perm(user, Perm.VOID_SALES)
    reason = reason_of(reason)
    with transaction.atomic():
        sale = Sale.objects.select_for_update().select_related("location").get(pk=sale.pk)
        if sale.status != Sale.Status.COMPLETED:
            raise InvalidStatus(_("A voided sale cannot take returns."))
        sale_lines = {line.pk: line for line in sale.lines.select_related("product")}
        asked: dict[int, Decimal] = {}
        if lines is None:
            asked = {
                pk: line.returnable_quantity
                for pk, line in sale_lines.items()
                if line.returnable_quantity > 0
            }
        else:
            for item in lines:
                line = sale_lines.get(item.sale_line.pk)
                if line is None:
                    raise InvalidInput(_("That line is not part of this sale."))
                asked[line.pk] = asked.get(line.pk, ZERO) + quantity_of(item.quantity, product=line.product)
        if not asked:
            raise ReturnExceedsSale(_("Nothing is left to return on this sale."))
        wanted = [(sale_lines[pk], quantity) for pk, quantity in sorted(asked.items())]
        for line, quantity in wanted:
            if quantity > line.returnable_quantity:
                raise ReturnExceedsSale(
                    _("Only %(left)s of %(product)s can still be returned.")
                    % {"left": quantity_text(line.returnable_quantity), "product": line.description}
                )
        refunded = dict(
            SaleReturnLine.objects.filter(sale_line__sale=sale)
            .values("sale_line")
            .annotate(amount=Sum("amount"))
            .values_list("sale_line", "amount")
        )
        amounts = []
        for line, quantity in wanted:
            already = refunded.get(line.pk, ZERO)
            if quantity == line.returnable_quantity:
                amount = line.total - already  # the last of the line refunds exactly what is left
            else:
                amount = min(money(line.total * quantity / line.quantity), line.total - already)
            amounts.append(amount)
        changes = [
            StockChange(line.product, sale.location, quantity, line.unit_cost) for line, quantity in wanted
        ]
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        sale_return = SaleReturn.objects.create(
            number=document_number_next(kind="sale_return"),
            sale=sale,
            user=user,
            reason=reason,
            refund_total=sum(amounts, ZERO),
        )
        SaleReturnLine.objects.bulk_create(
            [
                SaleReturnLine(
                    sale_return=sale_return,
                    sale_line=line,
                    product=line.product,
                    quantity=quantity,
                    amount=amount,
                )
                for (line, quantity), amount in zip(wanted, amounts, strict=True)
            ]
        )
        SaleLine.objects.bulk_update(
            [
                SaleLine(pk=line.pk, returned_quantity=F("returned_quantity") + quantity)
                for line, quantity in wanted
            ],
            ["returned_quantity"],
        )
        locked.post(
            kind=StockMovement.Kind.RETURN,
            changes=changes,
            user=user,
            reason=reason,
            sale=sale,
            sale_return=sale_return,
            at=sale_return.created_at,
        )
        audit_record(
            action=AuditEvent.Action.SALE_RETURNED,
            actor=user,
            target=str(sale),
            request=request,
            data={
                "number": sale.number,
                "return": sale_return.number,
                "refund": str(sale_return.refund_total),
                "reason": reason,
                "lines": [{"sku": line.product.sku, "quantity": str(quantity)} for line, quantity in wanted],
            },
        )
    return sale_return


# --- Quotes ------------------------------------------------------------------------------------


def quote_create(
    *,
    location: Location,
    user,
    lines: list[SaleLineInput],
    valid_until: date | None = None,
    customer_name: str = "",
    customer_email: str = "",
    note: str = "",
) -> Quote:
    """Prepare a quote (CREATE_QUOTES), valid until ``valid_until`` (15 days when not given).
    Quotes reserve no stock: it is checked when the quote is converted."""
    require_perm(user, Perm.CREATE_QUOTES)
    _active(location)
    today = workspace_today()
    valid_until = valid_until or today + timedelta(days=QUOTE_VALIDITY_DAYS)
    if valid_until < today:
        raise InvalidInput(_("A quote cannot expire before today."))
    priced, totals = lines_price(lines=lines)
    with transaction.atomic():
        quote = Quote.objects.create(
            number=document_number_next(kind="quote"),
            location=location,
            customer_name=(customer_name or "").strip()[:160],
            customer_email=(customer_email or "").strip(),
            valid_until=valid_until,
            note=(note or "").strip()[:255],
            created_by=user,
            subtotal=totals.subtotal,
            discount_total=totals.discount_total,
            tax_total=totals.tax_total,
            total=totals.total,
        )
        QuoteLine.objects.bulk_create(
            [
                QuoteLine(
                    quote=quote,
                    product=line.product,
                    description=line.product.name,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                    tax_rate=line.tax_rate,
                    tax_amount=line.tax_amount,
                    total=line.total,
                )
                for line in priced
            ]
        )
    return quote


def quote_convert(
    *, quote: Quote, user, payment_method: str = PaymentMethod.CASH, amount_tendered: Decimal | None = None
) -> Sale:
    """Turn an open, unexpired quote into a sale at the quoted prices (CONVERT_QUOTES).

    Stock is checked now (InsufficientStock leaves the quote open); an expired quote is refused
    (QuoteExpired).
    """
    require_perm(user, Perm.CONVERT_QUOTES)
    with transaction.atomic():
        quote = Quote.objects.select_for_update().select_related("location").get(pk=quote.pk)
        if quote.status != Quote.Status.OPEN:
            raise InvalidStatus(_("This quote is no longer open."))
        if quote.valid_until < workspace_today():
            raise QuoteExpired(
                _("This quote expired on %(date)s; prepare a new one.")
                % {"date": date_format(quote.valid_until, "SHORT_DATE_FORMAT")}
            )
        lines = [
            SaleLineInput(
                product=line.product,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
            )
            for line in quote.lines.select_related("product").order_by("pk")
        ]
        sale = _sale_create(
            location=quote.location,
            seller=user,
            lines=lines,
            payment_method=payment_method,
            amount_tendered=amount_tendered,
            customer_name=quote.customer_name,
            note=_("From quote %(number)s") % {"number": quote.number},
        )
        quote.status = Quote.Status.CONVERTED
        quote.sale = sale
        quote.converted_at = sale.created_at
        quote.save(update_fields=["status", "sale", "converted_at", "updated_at"])
    return sale


def quote_cancel(*, quote: Quote, user) -> Quote:
    require_perm(user, Perm.CREATE_QUOTES)
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if quote.status != Quote.Status.OPEN:
            raise InvalidStatus(_("This quote is no longer open."))
        quote.status = Quote.Status.CANCELLED
        quote.save(update_fields=["status", "updated_at"])
    return quote
