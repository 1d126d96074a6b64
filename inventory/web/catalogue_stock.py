"""Screens of the stock: levels per location, the movements ledger, adjustments, transfers and
stock counts.

Levels are read by everyone signed in; the ledger, adjustments, transfers and counts need
MANAGE_STOCK. Every change of stock is a service of inventory.services.stock.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Perm, has_perm, permission_required_view
from inventory.models import StockCount, Transfer
from inventory.selectors import (
    stock_count_get,
    stock_count_list,
    stock_level_list,
    stock_movement_list,
    transfer_get,
    transfer_list,
)
from inventory.services import (
    TransferLineInput,
    stock_adjust,
    stock_count_cancel,
    stock_count_create,
    stock_count_line_set,
    stock_count_post,
    transfer_receive,
    transfer_send,
)
from inventory.web.catalogue import (
    Action,
    Refused,
    filter_form,
    filters_of,
    form_errors,
    form_page,
    get_or_404,
    list_page,
    message_errors,
)
from inventory.web.forms_catalogue import (
    AdjustmentForm,
    LineForm,
    MovementFilterForm,
    StatusFilterForm,
    StockCountCreateForm,
    StockCountSheetForm,
    StockLevelFilterForm,
    TransferForm,
    filled_lines,
    lines_formset,
)
from inventory.web.listing import Column, date_range_filter, listing_build, search_text

# --- Levels and ledger ---------------------------------------------------------------------------


@login_required
@require_GET
def stock_level_list_view(request):
    """On hand per product and location; filter by location, below minimum, search."""
    form = filter_form(StockLevelFilterForm, request)
    filters = filters_of(form)
    levels = stock_level_list(
        location=filters.get("location"),
        search=search_text(request),
        below_minimum=bool(filters.get("below_minimum")),
    )
    columns = [
        Column("sku", gettext_lazy("SKU"), "product.sku", sort="product__sku"),
        Column("product", gettext_lazy("Product"), "product.name", sort="product__name"),
        Column("location", gettext_lazy("Location"), "location.name", sort="location__name"),
        Column("on_hand", gettext_lazy("On hand"), "on_hand", kind=Column.QUANTITY, sort="on_hand"),
        Column("min_stock", gettext_lazy("Minimum stock"), "product.min_stock", kind=Column.QUANTITY),
    ]
    columns.append(
        Column(
            "average_cost",
            gettext_lazy("Average cost"),
            "average_cost",
            kind=Column.MONEY,
            sort="average_cost",
            needs=Perm.VIEW_MONEY,
        )
    )
    listing = listing_build(
        request, levels, columns=columns, default_sort="product", filename="stock", searchable=True
    )
    actions = []
    if has_perm(request.user, Perm.MANAGE_STOCK):
        actions = [
            Action(_("Adjust stock"), reverse("workspace:stock_adjust")),
            Action(_("Movements"), reverse("workspace:stock_movement_list")),
            Action(_("Transfers"), reverse("workspace:transfer_list")),
            Action(_("Stock counts"), reverse("workspace:stock_count_list")),
        ]
    return list_page(
        request,
        title=_("Stock"),
        listing=listing,
        filter_form=form,
        actions=actions,
        search_placeholder=_("Name or SKU"),
    )


@permission_required_view(Perm.MANAGE_STOCK)
@require_GET
def stock_movement_list_view(request):
    """The ledger, newest first: by product, location, kind and date (workspace days)."""
    form = filter_form(MovementFilterForm, request)
    filters = filters_of(form)
    movements = stock_movement_list(
        product=filters.get("product"), location=filters.get("location"), kind=filters.get("kind") or None
    )
    movements = date_range_filter(
        movements, "created_at", date_from=filters.get("date_from"), date_to=filters.get("date_to")
    )
    columns = [
        Column("created_at", gettext_lazy("When"), "created_at", kind=Column.DATETIME, sort="created_at"),
        Column("sku", gettext_lazy("SKU"), "product.sku", sort="product__sku"),
        Column("product", gettext_lazy("Product"), "product.name", sort="product__name"),
        Column("location", gettext_lazy("Location"), "location.name", sort="location__name"),
        Column("kind", gettext_lazy("Kind"), "get_kind_display", sort="kind"),
        Column("quantity", gettext_lazy("Quantity"), "quantity", kind=Column.QUANTITY, sort="quantity"),
        Column("unit_cost", gettext_lazy("Unit cost"), "unit_cost", kind=Column.MONEY, needs=Perm.VIEW_MONEY),
        Column("document", gettext_lazy("Document"), lambda m: str(m.document) if m.document else ""),
        Column("reason", gettext_lazy("Reason"), "reason"),
        Column("user", gettext_lazy("Who"), lambda m: m.user.email if m.user else ""),
    ]
    listing = listing_build(
        request,
        movements,
        columns=columns,
        default_sort="-created_at",
        search_fields=("product__name", "product__sku", "reason"),
        filename="stock-movements",
    )
    return list_page(request, title=_("Stock movements"), listing=listing, filter_form=form)


@permission_required_view(Perm.MANAGE_STOCK)
@require_http_methods(["GET", "POST"])
def stock_adjust_view(request):
    """Add or remove stock for a stated reason (breakage, theft, a gift...)."""
    form = AdjustmentForm(
        request.POST or None, initial=request.GET.dict() if request.method == "GET" else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with form_errors(form):
                stock_adjust(
                    product=data["product"],
                    location=data["location"],
                    quantity=data["quantity"],
                    reason=data["reason"],
                    user=request.user,
                    request=request,
                )
        except Refused:
            pass
        else:
            messages.success(request, _("The stock was adjusted."))
            return redirect("workspace:stock_level_list")
    return form_page(
        request,
        title=_("Adjust stock"),
        form=form,
        back_url=reverse("workspace:stock_level_list"),
        status=400 if form.errors else 200,
    )


# --- Transfers -------------------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_STOCK)
@require_GET
def transfer_list_view(request):
    form = filter_form(StatusFilterForm, request, choices=Transfer.Status.choices)
    filters = filters_of(form)
    link = lambda t: reverse("workspace:transfer_detail", args=[t.pk])  # noqa: E731
    columns = [
        Column("number", gettext_lazy("Number"), "number", sort="number", link=link),
        Column("sent_at", gettext_lazy("Sent at"), "sent_at", kind=Column.DATETIME, sort="sent_at"),
        Column("origin", gettext_lazy("From"), "origin.name", sort="origin__name"),
        Column("destination", gettext_lazy("To"), "destination.name", sort="destination__name"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
        Column("received_at", gettext_lazy("Received at"), "received_at", kind=Column.DATETIME),
        Column("note", gettext_lazy("Note"), "note"),
    ]
    listing = listing_build(
        request,
        transfer_list(status=filters.get("status") or None),
        columns=columns,
        default_sort="-number",
        search_fields=("note", "origin__name", "destination__name"),
        filename="transfers",
    )
    actions = [Action(_("Send a transfer"), reverse("workspace:transfer_create"))]
    return list_page(request, title=_("Transfers"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.MANAGE_STOCK)
@require_http_methods(["GET", "POST"])
def transfer_create_view(request):
    """Send stock from one location to another, several products at once."""
    data = request.POST if request.method == "POST" else None
    form = TransferForm(data)
    formset = lines_formset(LineForm, data=data)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            TransferLineInput(product=line["product"], quantity=line["quantity"])
            for line in filled_lines(formset)
        ]
        try:
            with form_errors(form):
                transfer = transfer_send(
                    origin=form.cleaned_data["origin"],
                    destination=form.cleaned_data["destination"],
                    lines=lines,
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
        except Refused:
            pass
        else:
            messages.success(request, _("%(transfer)s was sent.") % {"transfer": transfer})
            return redirect("workspace:transfer_detail", transfer_id=transfer.pk)
    return form_page(
        request,
        title=_("Send a transfer"),
        form=form,
        formset=formset,
        back_url=reverse("workspace:transfer_list"),
        status=400 if form.errors or any(formset.errors) else 200,
    )


@permission_required_view(Perm.MANAGE_STOCK)
@require_GET
def transfer_detail_view(request, transfer_id):
    transfer = get_or_404(transfer_get, transfer_id=transfer_id, user=request.user)
    return render(request, "inventory/catalogue/transfer_detail.html", {"transfer": transfer})


@permission_required_view(Perm.MANAGE_STOCK)
@require_POST
def transfer_receive_view(request, transfer_id):
    """Receive a transfer in transit at its destination."""
    transfer = get_or_404(transfer_get, transfer_id=transfer_id, user=request.user)
    if message_errors(request, lambda: transfer_receive(transfer=transfer, user=request.user)):
        messages.success(request, _("%(transfer)s was received.") % {"transfer": transfer})
    return redirect("workspace:transfer_detail", transfer_id=transfer.pk)


# --- Stock counts ------------------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_STOCK)
@require_GET
def stock_count_list_view(request):
    form = filter_form(StatusFilterForm, request, choices=StockCount.Status.choices)
    filters = filters_of(form)
    link = lambda c: reverse("workspace:stock_count_detail", args=[c.pk])  # noqa: E731
    columns = [
        Column("number", gettext_lazy("Number"), "number", sort="number", link=link),
        Column("location", gettext_lazy("Location"), "location.name", sort="location__name"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
        Column("created_at", gettext_lazy("Started"), "created_at", kind=Column.DATETIME, sort="created_at"),
        Column("posted_at", gettext_lazy("Posted at"), "posted_at", kind=Column.DATETIME, sort="posted_at"),
        Column("note", gettext_lazy("Note"), "note"),
    ]
    listing = listing_build(
        request,
        stock_count_list(status=filters.get("status") or None),
        columns=columns,
        default_sort="-number",
        search_fields=("note", "location__name"),
        filename="stock-counts",
    )
    actions = [Action(_("New count sheet"), reverse("workspace:stock_count_create"))]
    return list_page(request, title=_("Stock counts"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.MANAGE_STOCK)
@require_http_methods(["GET", "POST"])
def stock_count_create_view(request):
    """Open a count sheet for a location (every active product that holds stock)."""
    form = StockCountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                count = stock_count_create(
                    location=form.cleaned_data["location"], user=request.user, note=form.cleaned_data["note"]
                )
        except Refused:
            pass
        else:
            return redirect("workspace:stock_count_detail", stock_count_id=count.pk)
    return form_page(
        request,
        title=_("New count sheet"),
        form=form,
        back_url=reverse("workspace:stock_count_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_STOCK)
@require_http_methods(["GET", "POST"])
def stock_count_detail_view(request, stock_count_id):
    """The count sheet: enter counted quantities (empty: not counted) while it is open."""
    count = get_or_404(stock_count_get, stock_count_id=stock_count_id, user=request.user)
    is_open = count.status == StockCount.Status.DRAFT
    form = StockCountSheetForm(request.POST or None, lines=count.lines.all()) if is_open else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This count is closed."))
            return redirect("workspace:stock_count_detail", stock_count_id=count.pk)
        if form.is_valid():
            try:
                with form_errors(form):
                    for line, counted in form.counted():
                        stock_count_line_set(
                            stock_count=count,
                            product=line.product,
                            counted_quantity=counted,
                            user=request.user,
                        )
            except Refused:
                status = 400
            else:
                messages.success(request, _("The counted quantities were saved."))
                return redirect("workspace:stock_count_detail", stock_count_id=count.pk)
        else:
            status = 400
    rows = [(line, form[f"line_{line.pk}"] if form else None) for line in count.lines.all()]
    return render(
        request,
        "inventory/catalogue/stock_count_detail.html",
        {"count": count, "form": form, "rows": rows, "is_open": is_open},
        status=status,
    )


@permission_required_view(Perm.MANAGE_STOCK)
@require_POST
def stock_count_post_view(request, stock_count_id):
    """Post the sheet: each counted difference becomes a count correction."""
    count = get_or_404(stock_count_get, stock_count_id=stock_count_id, user=request.user)
    if message_errors(
        request, lambda: stock_count_post(stock_count=count, user=request.user, request=request)
    ):
        messages.success(request, _("%(count)s was posted.") % {"count": count})
    return redirect("workspace:stock_count_detail", stock_count_id=count.pk)


@permission_required_view(Perm.MANAGE_STOCK)
@require_POST
def stock_count_cancel_view(request, stock_count_id):
    count = get_or_404(stock_count_get, stock_count_id=stock_count_id, user=request.user)
    if message_errors(request, lambda: stock_count_cancel(stock_count=count, user=request.user)):
        messages.success(request, _("%(count)s was cancelled.") % {"count": count})
    return redirect("workspace:stock_count_detail", stock_count_id=count.pk)
