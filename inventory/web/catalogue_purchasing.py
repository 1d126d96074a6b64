"""Screens of purchasing: suppliers, purchase orders (create, send, receive, close, cancel, print),
quotes (create, convert into a sale, cancel) and expenses.

Suppliers, orders and expenses need MANAGE_SUPPLIER_INVOICES; quotes need CREATE_QUOTES to see
and prepare, CONVERT_QUOTES to turn into a sale. Every write is a service.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Perm, has_perm, permission_required_view
from inventory.models import PaymentMethod, PurchaseOrder, Quote
from inventory.models.fields import CENT
from inventory.selectors import (
    expense_category_list,
    expense_list,
    purchase_order_get,
    purchase_order_list,
    quote_get,
    quote_list,
    supplier_get,
    supplier_list,
)
from inventory.services import (
    PurchaseLineInput,
    ReceiveLineInput,
    SaleLineInput,
    expense_category_create,
    expense_create,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_receive,
    purchase_order_send,
    purchase_order_update,
    quote_cancel,
    quote_convert,
    quote_create,
    supplier_create,
    supplier_update,
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
    YES_NO,
    ExpenseCategoryForm,
    ExpenseFilterForm,
    ExpenseForm,
    PurchaseLineForm,
    PurchaseOrderEditForm,
    PurchaseOrderForm,
    PurchaseSendForm,
    QuoteConvertForm,
    QuoteForm,
    QuoteLineForm,
    ReceiveForm,
    StatusFilterForm,
    SupplierForm,
    filled_lines,
    lines_formset,
    yes_no,
)
from inventory.web.listing import Column, date_range_filter, listing_build

# --- Suppliers ---------------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def supplier_list_view(request):
    form = filter_form(StatusFilterForm, request, choices=YES_NO[1:])
    form.fields["status"].label = gettext_lazy("Active")
    filters = filters_of(form)
    link = lambda s: reverse("workspace:supplier_update", args=[s.pk])  # noqa: E731
    columns = [
        Column("name", gettext_lazy("Name"), "name", sort="name", link=link),
        Column("tax_id", gettext_lazy("Tax ID"), "tax_id", sort="tax_id"),
        Column("contact_name", gettext_lazy("Contact"), "contact_name"),
        Column("email", gettext_lazy("Email"), "email", sort="email"),
        Column("phone", gettext_lazy("Phone"), "phone"),
        Column("is_active", gettext_lazy("Active"), "is_active", kind=Column.BOOL, sort="is_active"),
    ]
    listing = listing_build(
        request,
        supplier_list(active=yes_no(filters.get("status"))),
        columns=columns,
        default_sort="name",
        search_fields=("name", "tax_id", "email", "contact_name"),
        filename="suppliers",
    )
    actions = [Action(_("New supplier"), reverse("workspace:supplier_create"))]
    return list_page(request, title=_("Suppliers"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def supplier_create_view(request):
    form = SupplierForm(request.POST or None)
    del form.fields["is_active"]
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                supplier_create(**form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("The supplier was saved."))
            return redirect("workspace:supplier_list")
    return form_page(
        request,
        title=_("New supplier"),
        form=form,
        back_url=reverse("workspace:supplier_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def supplier_update_view(request, supplier_id):
    supplier = get_or_404(supplier_get, supplier_id=supplier_id, user=request.user)
    form = SupplierForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            with form_errors(form):
                if changes:
                    supplier_update(supplier=supplier, **changes)
        except Refused:
            pass
        else:
            messages.success(request, _("The supplier was saved."))
            return redirect("workspace:supplier_list")
    return form_page(
        request,
        title=_("Edit %(supplier)s") % {"supplier": form.initial.get("name", "")},
        form=form,
        back_url=reverse("workspace:supplier_list"),
        status=400 if form.errors else 200,
    )


# --- Purchase orders -----------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def purchase_order_list_view(request):
    form = filter_form(StatusFilterForm, request, choices=PurchaseOrder.Status.choices)
    filters = filters_of(form)
    link = lambda o: reverse("workspace:purchase_order_detail", args=[o.pk])  # noqa: E731
    columns = [
        Column("number", gettext_lazy("Number"), "number", sort="number", link=link),
        Column("created_at", gettext_lazy("Date"), "created_at", kind=Column.DATE, sort="created_at"),
        Column("supplier", gettext_lazy("Supplier"), "supplier.name", sort="supplier__name"),
        Column("location", gettext_lazy("Deliver to"), "location.name", sort="location__name"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
        Column(
            "expected_on", gettext_lazy("Expected on"), "expected_on", kind=Column.DATE, sort="expected_on"
        ),
        Column("total", gettext_lazy("Total"), "total", kind=Column.MONEY, sort="total"),
    ]
    listing = listing_build(
        request,
        purchase_order_list(status=filters.get("status") or None),
        columns=columns,
        default_sort="-number",
        search_fields=("supplier__name", "note"),
        filename="purchase-orders",
    )
    actions = [
        Action(_("New purchase order"), reverse("workspace:purchase_order_create")),
        Action(_("Suppliers"), reverse("workspace:supplier_list")),
    ]
    return list_page(request, title=_("Purchase orders"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def purchase_order_create_view(request):
    """A draft order with its lines (unit cost defaults to the product's cost)."""
    data = request.POST if request.method == "POST" else None
    form = PurchaseOrderForm(data)
    formset = lines_formset(PurchaseLineForm, data=data)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            PurchaseLineInput(
                product=line["product"], quantity=line["quantity"], unit_cost=line.get("unit_cost")
            )
            for line in filled_lines(formset)
        ]
        try:
            with form_errors(form):
                order = purchase_order_create(user=request.user, lines=lines, **form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("%(order)s was saved as a draft.") % {"order": order})
            return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)
    return form_page(
        request,
        title=_("New purchase order"),
        form=form,
        formset=formset,
        back_url=reverse("workspace:purchase_order_list"),
        status=400 if form.errors or any(formset.errors) else 200,
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def purchase_order_edit_view(request, purchase_order_id):
    """Change a draft order: its lines (any number), expected date and note. Supplier and
    destination stay as created; an order no longer a draft is refused by the service."""
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    data = request.POST if request.method == "POST" else None
    form = PurchaseOrderEditForm(data, initial={"expected_on": order.expected_on, "note": order.note})
    initial = [
        {"product": line.product, "quantity": line.quantity_ordered, "unit_cost": line.unit_cost}
        for line in order.lines.all()
    ]
    formset = lines_formset(PurchaseLineForm, data=data, initial=initial, extra=1)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            PurchaseLineInput(
                product=line["product"], quantity=line["quantity"], unit_cost=line.get("unit_cost")
            )
            for line in filled_lines(formset)
        ]
        try:
            with form_errors(form):
                if not lines:
                    form.add_error(None, _("Add at least one product."))
                    raise Refused()
                purchase_order_update(order=order, user=request.user, lines=lines, **form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("%(order)s was saved as a draft.") % {"order": order})
            return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)
    return form_page(
        request,
        title=_("Edit %(order)s") % {"order": order},
        form=form,
        formset=formset,
        back_url=reverse("workspace:purchase_order_detail", args=[order.pk]),
        status=400 if form.errors or any(formset.errors) else 200,
    )


def _order_lines(order) -> list[tuple]:
    """(line, line total rounded to cents) for each line of ``order`` (prefetched)."""
    return [(line, (line.quantity_ordered * line.unit_cost).quantize(CENT)) for line in order.lines.all()]


def _order_page(request, order, *, receive_form=None, status=200):
    if receive_form is None and order.status in PurchaseOrder.OPEN_STATUSES:
        receive_form = ReceiveForm(lines=order.lines.all())
    return render(
        request,
        "inventory/catalogue/purchase_order_detail.html",
        {
            "order": order,
            "lines": _order_lines(order),
            "send_form": PurchaseSendForm() if order.status == PurchaseOrder.Status.DRAFT else None,
            "receive_form": receive_form,
            "receive_rows": [(line, receive_form[f"line_{line.pk}"]) for line in receive_form.lines]
            if receive_form
            else [],
        },
        status=status,
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def purchase_order_detail_view(request, purchase_order_id):
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    return _order_page(request, order)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def purchase_order_print_view(request, purchase_order_id):
    """The order on one printable page, under the business's name and logo."""
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    return render(
        request,
        "inventory/catalogue/purchase_order_print.html",
        {"order": order, "lines": _order_lines(order)},
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_POST
def purchase_order_send_view(request, purchase_order_id):
    """Mark the draft as sent; emailed to the supplier unless the box is unticked."""
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    form = PurchaseSendForm(request.POST)
    notify = form.is_valid() and form.cleaned_data["notify_supplier"]
    if message_errors(
        request, lambda: purchase_order_send(order=order, user=request.user, notify_supplier=notify)
    ):
        if notify:
            messages.success(
                request,
                _("%(order)s was emailed to %(email)s.") % {"order": order, "email": order.supplier.email},
            )
        else:
            messages.success(request, _("%(order)s was marked as sent.") % {"order": order})
    return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_POST
def purchase_order_receive_view(request, purchase_order_id):
    """Receive everything outstanding (``all``) or the quantities given per line."""
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    if "all" in request.POST:
        lines = None
    else:
        form = ReceiveForm(request.POST, lines=order.lines.all())
        if not form.is_valid():
            return _order_page(request, order, receive_form=form, status=400)
        lines = [ReceiveLineInput(line=line, quantity=quantity) for line, quantity in form.arrived()]
        if not lines:
            messages.error(request, _("Enter what arrived."))
            return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)
    if message_errors(request, lambda: purchase_order_receive(order=order, user=request.user, lines=lines)):
        messages.success(request, _("The delivery was received into stock."))
    return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_POST
def purchase_order_close_view(request, purchase_order_id):
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    if message_errors(request, lambda: purchase_order_close(order=order, user=request.user)):
        messages.success(request, _("%(order)s was closed.") % {"order": order})
    return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_POST
def purchase_order_cancel_view(request, purchase_order_id):
    order = get_or_404(purchase_order_get, purchase_order_id=purchase_order_id, user=request.user)
    if message_errors(request, lambda: purchase_order_cancel(order=order, user=request.user)):
        messages.success(request, _("%(order)s was cancelled.") % {"order": order})
    return redirect("workspace:purchase_order_detail", purchase_order_id=order.pk)


# --- Quotes --------------------------------------------------------------------------------------


@permission_required_view(Perm.CREATE_QUOTES)
@require_GET
def quote_list_view(request):
    form = filter_form(StatusFilterForm, request, choices=Quote.Status.choices)
    filters = filters_of(form)
    link = lambda q: reverse("workspace:quote_detail", args=[q.pk])  # noqa: E731
    columns = [
        Column("number", gettext_lazy("Number"), "number", sort="number", link=link),
        Column("created_at", gettext_lazy("Date"), "created_at", kind=Column.DATE, sort="created_at"),
        Column("customer", gettext_lazy("Customer"), "customer_name", sort="customer_name"),
        Column("location", gettext_lazy("Location"), "location.name", sort="location__name"),
        Column(
            "valid_until", gettext_lazy("Valid until"), "valid_until", kind=Column.DATE, sort="valid_until"
        ),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
        Column("total", gettext_lazy("Total"), "total", kind=Column.MONEY, sort="total"),
    ]
    listing = listing_build(
        request,
        quote_list(status=filters.get("status") or None),
        columns=columns,
        default_sort="-number",
        search_fields=("customer_name", "customer_email", "note"),
        filename="quotes",
    )
    actions = [Action(_("New quote"), reverse("workspace:quote_create"))]
    return list_page(request, title=_("Quotes"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.CREATE_QUOTES)
@require_http_methods(["GET", "POST"])
def quote_create_view(request):
    data = request.POST if request.method == "POST" else None
    form = QuoteForm(data)
    formset = lines_formset(QuoteLineForm, data=data)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            SaleLineInput(
                product=line["product"], quantity=line["quantity"], unit_price=line.get("unit_price")
            )
            for line in filled_lines(formset)
        ]
        try:
            with form_errors(form):
                if not lines:
                    form.add_error(None, _("Add at least one product."))
                    raise Refused()
                quote = quote_create(user=request.user, lines=lines, **form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("%(quote)s was saved.") % {"quote": quote})
            return redirect("workspace:quote_detail", quote_id=quote.pk)
    return form_page(
        request,
        title=_("New quote"),
        form=form,
        formset=formset,
        back_url=reverse("workspace:quote_list"),
        status=400 if form.errors or any(formset.errors) else 200,
    )


@permission_required_view(Perm.CREATE_QUOTES)
@require_GET
def quote_detail_view(request, quote_id):
    quote = get_or_404(quote_get, quote_id=quote_id, user=request.user)
    can_convert = quote.status == Quote.Status.OPEN and has_perm(request.user, Perm.CONVERT_QUOTES)
    return render(
        request,
        "inventory/catalogue/quote_detail.html",
        {"quote": quote, "convert_form": QuoteConvertForm() if can_convert else None},
    )


@permission_required_view(Perm.CONVERT_QUOTES)
@require_POST
def quote_convert_view(request, quote_id):
    """Turn the quote into a sale at its prices: stock is checked now; an expired quote is refused."""
    quote = get_or_404(quote_get, quote_id=quote_id, user=request.user)
    form = QuoteConvertForm(request.POST)
    method = form.cleaned_data["payment_method"] if form.is_valid() else PaymentMethod.CASH
    sales = []
    if message_errors(
        request,
        lambda: sales.append(quote_convert(quote=quote, user=request.user, payment_method=method)),
    ):
        messages.success(
            request, _("%(quote)s became sale %(number)s.") % {"quote": quote, "number": sales[0].number}
        )
    return redirect("workspace:quote_detail", quote_id=quote.pk)


@permission_required_view(Perm.CREATE_QUOTES)
@require_POST
def quote_cancel_view(request, quote_id):
    quote = get_or_404(quote_get, quote_id=quote_id, user=request.user)
    if message_errors(request, lambda: quote_cancel(quote=quote, user=request.user)):
        messages.success(request, _("%(quote)s was cancelled.") % {"quote": quote})
    return redirect("workspace:quote_detail", quote_id=quote.pk)


# --- Expenses ----------------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def expense_list_view(request):
    form = filter_form(ExpenseFilterForm, request)
    filters = filters_of(form)
    expenses = date_range_filter(
        expense_list(category=filters.get("category")),
        "date",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    columns = [
        Column("date", gettext_lazy("Date"), "date", kind=Column.DATE, sort="date"),
        Column("category", gettext_lazy("Category"), "category.name", sort="category__name"),
        Column("location", gettext_lazy("Location"), lambda e: e.location.name if e.location else ""),
        Column("note", gettext_lazy("Note"), "note"),
        Column("amount", gettext_lazy("Amount"), "amount", kind=Column.MONEY, sort="amount"),
    ]
    listing = listing_build(
        request,
        expenses,
        columns=columns,
        default_sort="-date",
        search_fields=("note", "category__name"),
        filename="expenses",
    )
    actions = [
        Action(_("New expense"), reverse("workspace:expense_create")),
        Action(_("Expense categories"), reverse("workspace:expense_category_list")),
    ]
    return list_page(request, title=_("Expenses"), listing=listing, filter_form=form, actions=actions)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def expense_create_view(request):
    form = ExpenseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                expense_create(user=request.user, **form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("The expense was recorded."))
            return redirect("workspace:expense_list")
    return form_page(
        request,
        title=_("New expense"),
        form=form,
        back_url=reverse("workspace:expense_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_GET
def expense_category_list_view(request):
    columns = [
        Column("name", gettext_lazy("Name"), "name", sort="name"),
        Column("is_active", gettext_lazy("Active"), "is_active", kind=Column.BOOL, sort="is_active"),
    ]
    listing = listing_build(
        request,
        expense_category_list(active=None),
        columns=columns,
        default_sort="name",
        search_fields=("name",),
        filename="expense-categories",
    )
    actions = [Action(_("New expense category"), reverse("workspace:expense_category_create"))]
    return list_page(request, title=_("Expense categories"), listing=listing, actions=actions)


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@require_http_methods(["GET", "POST"])
def expense_category_create_view(request):
    form = ExpenseCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                expense_category_create(name=form.cleaned_data["name"])
        except Refused:
            pass
        else:
            messages.success(request, _("The expense category was saved."))
            return redirect("workspace:expense_category_list")
    return form_page(
        request,
        title=_("New expense category"),
        form=form,
        back_url=reverse("workspace:expense_category_list"),
        status=400 if form.errors else 200,
    )
