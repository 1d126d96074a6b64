"""Sales screens: the point of sale, its JSON product lookup, the receipt, the sales list (with CSV
and Excel exports of the filtered rows) and a sale's detail page, where it is voided or returned.

Views resolve request ids through the selectors (NotFound -> 404) and write through the services;
domain errors come back as messages in the reader's language, with nothing recorded.
"""

import csv
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Perm, has_perm, permission_required_view
from core.money import number_text
from inventory.dates import local_date, workspace_today
from inventory.exceptions import InventoryError, NotFound
from inventory.models import PaymentMethod, Sale
from inventory.selectors import (
    location_get,
    location_list,
    product_get,
    product_get_by_code,
    product_list,
    sale_get,
    sale_list,
    stock_on_hand_map,
)
from inventory.services import ReturnLineInput, SaleLineInput, sale_create, sale_return, sale_void
from inventory.web.forms_sales import (
    SaleFilterForm,
    SaleForm,
    SaleLinesError,
    SaleReturnForm,
    SaleVoidForm,
    sale_lines_from,
)
from plans.exceptions import PlanLimitReached

SALES_PER_PAGE = 25
LOOKUP_LIMIT = 10
MAX_LINES = 200


def _sale_or_404(sale_id, user) -> Sale:
    try:
        return sale_get(sale_id=sale_id, user=user)
    except NotFound as missing:
        raise Http404(str(missing)) from None


def _location_or_none(location_id, user):
    """The location named by a request, None when none was given; 404 when it is not ours."""
    if location_id in (None, ""):
        return None
    try:
        return location_get(location_id=location_id, user=user)
    except NotFound as missing:
        raise Http404(str(missing)) from None


# --- Point of sale -----------------------------------------------------------------------------


def _pos_context(request, form, lines_state):
    workspace = getattr(request, "tenant", None)
    return {
        "form": form,
        "locations": list(location_list()),
        "payment_methods": PaymentMethod.choices,
        "lines_state": lines_state,
        "currency": getattr(workspace, "currency", "USD"),
        "lookup_limit": LOOKUP_LIMIT,
    }


@permission_required_view(Perm.RECORD_SALES)
@require_http_methods(["GET", "POST"])
def sale_pos(request):
    """The counter: pick the location, add products, take the payment, print the receipt."""
    if request.method == "GET":
        form = SaleForm(initial={"location": request.GET.get("location", "")})
        return render(request, "inventory/sales/pos.html", _pos_context(request, form, []))

    form = SaleForm(request.POST)
    lines_state = []
    error = None
    try:
        raw_lines = sale_lines_from(request.POST)
    except SaleLinesError as bad:
        raw_lines, error = [], str(bad)
    if len(raw_lines) > MAX_LINES:
        raw_lines, error = [], _("A sale can have at most %(count)s lines.") % {"count": MAX_LINES}
    lines = []
    for product_id, quantity, discount in raw_lines:
        try:
            product = product_get(product_id=product_id, user=request.user)
        except NotFound:
            error = _("A product on the ticket no longer exists; remove it and try again.")
            continue
        lines.append(SaleLineInput(product=product, quantity=quantity, discount=discount))
        lines_state.append(
            {
                "id": product.pk,
                "sku": product.sku,
                "name": product.name,
                "price": str(product.sale_price),
                "quantity": str(quantity),
                "discount": str(discount),
            }
        )
    if form.is_valid() and error is None:
        location = _location_or_none(form.cleaned_data["location"], request.user)
        if location is None:
            form.add_error("location", _("Choose a location."))
        else:
            try:
                sale = sale_create(
                    location=location,
                    seller=request.user,
                    lines=lines,
                    payment_method=form.cleaned_data["payment_method"],
                    amount_tendered=form.cleaned_data["amount_tendered"],
                    customer_name=form.cleaned_data["customer_name"],
                )
            except (InventoryError, PlanLimitReached) as refused:
                error = str(refused.message)
            else:
                messages.success(request, _("Sale %(number)s recorded.") % {"number": sale.number})
                return redirect("workspace:sale_receipt", sale_id=sale.pk)
    context = _pos_context(request, form, lines_state)
    context["error"] = error
    return render(request, "inventory/sales/pos.html", context, status=400)


@permission_required_view(Perm.RECORD_SALES)
@require_GET
def sale_product_lookup(request):
    """JSON for the POS search box: an exact SKU or barcode first (what a scanner types), else
    up to ten active products whose name matches; with ``location``, each one's stock there."""
    query = (request.GET.get("q") or "").strip()[:120]
    location = _location_or_none(request.GET.get("location"), request.user)
    if not query:
        return JsonResponse({"exact": False, "results": []})
    exact = True
    try:
        products = [product_get_by_code(code=query, user=request.user)]
    except NotFound:
        exact = False
        products = list(product_list(search=query)[:LOOKUP_LIMIT])
    on_hand = stock_on_hand_map(product_ids=[p.pk for p in products], location=location) if location else {}
    results = []
    for product in products:
        stock = on_hand.get((product.pk, location.pk), Decimal("0")) if location else None
        results.append(
            {
                "id": product.pk,
                "sku": product.sku,
                "barcode": product.barcode or "",
                "name": product.name,
                "price": str(product.sale_price),
                "tracks_stock": product.tracks_stock,
                # on_hand for scripts (never localized), on_hand_text for people (46, not 46.000).
                "on_hand": None if stock is None or not product.tracks_stock else str(stock),
                "on_hand_text": (
                    None
                    if stock is None or not product.tracks_stock
                    else number_text(stock, whole=product.counts_units)
                ),
            }
        )
    return JsonResponse({"exact": exact, "results": results})


@permission_required_view(Perm.RECORD_SALES)
@require_GET
def sale_receipt(request, sale_id):
    """The printable ticket."""
    sale = _sale_or_404(sale_id, request.user)
    return render(
        request,
        "inventory/sales/receipt.html",
        {"sale": sale, "sees_money": _sees_money_of(request.user, sale)},
    )


def _sees_money_of(user, sale: Sale) -> bool:
    """Owners and admins see every sale's amounts; a seller sees those of their own sales (the
    ticket they just charged), not their colleagues' takings."""
    return has_perm(user, Perm.VIEW_MONEY) or sale.seller_id == user.pk


# --- List, exports, detail ---------------------------------------------------------------------


def _sales_filtered(filters: dict, location) -> QuerySet[Sale]:
    """sale_list plus the list's own vocabulary (number/customer search, payment method, sort).

    These belong in inventory.selectors.sales.sale_list (``search``, ``payment_method``,
    ``ordering``); they live here until the selector grows them.
    """
    sales = sale_list(
        location=location,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        status=filters.get("status") or None,
    )
    search = (filters.get("q") or "").strip()
    if search:
        condition = Q(customer_name__icontains=search)
        if search.lstrip("#").isdigit():
            condition |= Q(number=int(search.lstrip("#")))
        sales = sales.filter(condition)
    if filters.get("payment_method"):
        sales = sales.filter(payment_method=filters["payment_method"])
    sort = filters.get("sort") or "-created_at"
    if sort not in dict(SaleFilterForm.SORTS):
        sort = "-created_at"
    return sales.order_by(sort, "-id")


def _filtered_from_request(request):
    locations = list(location_list(active=None))
    form = SaleFilterForm(request.GET or None, locations=locations)
    filters = {}
    if form.is_bound:
        form.is_valid()  # valid filters still apply; invalid ones show their errors
        filters = form.cleaned_data
    location = _location_or_none(filters.get("location"), request.user)
    return form, _sales_filtered(filters, location)


def _export_headers() -> list[str]:
    return [
        _("Number"),
        _("Date"),
        _("Location"),
        _("Seller"),
        _("Customer"),
        _("Payment method"),
        _("Status"),
        _("Subtotal"),
        _("Discounts"),
        _("Tax included"),
        _("Total"),
    ]


def _export_rows(sales: QuerySet[Sale]):
    tz = timezone.get_current_timezone()
    for sale in sales.iterator(chunk_size=2000):
        yield [
            sale.number,
            timezone.localtime(sale.created_at, tz).replace(tzinfo=None),
            sale.location.name,
            sale.seller.get_full_name() if sale.seller else "",
            sale.customer_name,
            sale.get_payment_method_display(),
            sale.get_status_display(),
            sale.subtotal,
            sale.discount_total,
            sale.tax_total,
            sale.total,
        ]


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="minutes")
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _csv_response(sales) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so Excel opens the accents right
        yield writer.writerow(_export_headers())
        for row in _export_rows(sales):
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sales.csv"'
    return response


def _xlsx_response(sales) -> HttpResponse:
    # openpyxl is only needed for this download: imported here so the app starts without loading it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sales"))
    sheet.append(_export_headers())
    for row in _export_rows(sales):
        sheet.append(
            [
                "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value
                for value in row
            ]
        )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="sales.xlsx"'
    workbook.save(response)
    return response


@permission_required_view(Perm.RECORD_SALES)
@require_GET
def sale_list_view(request):
    """Sales, filtered, sorted and 25 a page."""
    form, sales = _filtered_from_request(request)
    sees_money = has_perm(request.user, Perm.VIEW_MONEY)
    if not sees_money and sales.query.order_by and sales.query.order_by[0].lstrip("-") == "total":
        sales = sales.order_by("-created_at", "-id")  # an order by amount would tell the amounts
    page = Paginator(sales, SALES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/sales/list.html",
        {
            "form": form,
            "page": page,
            "can_export": has_perm(request.user, Perm.VIEW_BALANCE) and sees_money,
            "sees_money": sees_money,
        },
    )


@permission_required_view(Perm.VIEW_BALANCE)
@require_GET
def sale_export(request, fmt):
    """The filtered sales (every page) as CSV or Excel: the business's books, so owners and admins."""
    _form, sales = _filtered_from_request(request)
    if fmt == "csv":
        return _csv_response(sales)
    return _xlsx_response(sales)


@permission_required_view(Perm.RECORD_SALES)
@require_GET
def sale_detail(request, sale_id):
    sale = _sale_or_404(sale_id, request.user)
    can_void = has_perm(request.user, Perm.VOID_SALES)
    return render(
        request,
        "inventory/sales/detail.html",
        {
            "sale": sale,
            "sees_money": _sees_money_of(request.user, sale),
            "can_void": can_void and sale.status == Sale.Status.COMPLETED,
            # The service decides; the form is only offered when it would be accepted.
            "voidable_today": local_date(sale.created_at) == workspace_today(),
            "void_form": SaleVoidForm(),
            "return_form": SaleReturnForm(sale=sale),
            "returnable": any(line.returnable_quantity > 0 for line in sale.lines.all()),
        },
    )


@permission_required_view(Perm.VOID_SALES)
@require_POST
def sale_void_view(request, sale_id):
    """Void today's sale (reason required); refusals come back as a message."""
    sale = _sale_or_404(sale_id, request.user)
    form = SaleVoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("workspace:sale_detail", sale_id=sale.pk)
    try:
        sale_void(sale=sale, user=request.user, reason=form.cleaned_data["reason"], request=request)
    except InventoryError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Sale %(number)s voided.") % {"number": sale.number})
    return redirect("workspace:sale_detail", sale_id=sale.pk)


@permission_required_view(Perm.VOID_SALES)
@require_POST
def sale_return_view(request, sale_id):
    """Take goods back: the lines' quantities, or everything left (``everything``)."""
    sale = _sale_or_404(sale_id, request.user)
    form = SaleReturnForm(request.POST, sale=sale)
    if not form.is_valid():
        if form.has_error("reason"):
            messages.error(request, _("Please give a reason."))
        else:
            messages.error(request, _("Check the quantities to return."))
        return redirect("workspace:sale_detail", sale_id=sale.pk)
    lines = None
    if not form.cleaned_data["everything"]:
        lines = [
            ReturnLineInput(sale_line=line, quantity=quantity) for line, quantity in form.line_quantities()
        ]
        if not lines:
            messages.error(request, _("Choose what to return."))
            return redirect("workspace:sale_detail", sale_id=sale.pk)
    try:
        sale_returned = sale_return(
            sale=sale, user=request.user, reason=form.cleaned_data["reason"], lines=lines, request=request
        )
    except InventoryError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Return %(number)s recorded.") % {"number": sale_returned.number})
    return redirect("workspace:sale_detail", sale_id=sale.pk)
