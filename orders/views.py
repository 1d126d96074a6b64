"""Screens of the orders app.

The ordering page (``/pedir/``, no sign-in): the menu of one location, a cart, who orders and how,
and the buyer's status page behind an unguessable link. The board (``/orders/``, WORK_ORDERS):
open orders by status, refreshed by polling ``board.json``; an order's page; orders taken at the
counter. The ordering settings and a location's hours (MANAGE_ORDERS).
"""

from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from accounts.permissions import Perm, has_perm, permission_required_view
from core.http import client_ip, id_or_404
from inventory import hours
from inventory.exceptions import InventoryError
from inventory.models import Location, OpeningHours, Product
from orders import payment_seam, selectors, services
from orders.exceptions import OrderError, OrderNotFound
from orders.forms import (
    BuyerForm,
    CancelForm,
    DeliverForm,
    LocationHoursForm,
    OrderSettingsForm,
    StaffOrderForm,
    quantities_from,
)
from orders.models import Order
from payments.selectors import connected_providers
from plans.exceptions import PlanLimitReached

# Orders one address may place on the ordering page (django-ratelimit's rate syntax).
ORDER_RATE_PER_ADDRESS = getattr(django_settings, "ORDER_RATE_PER_ADDRESS", "20/h")
POLL_SECONDS = 4


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# --- The ordering page (no sign-in) ---------------------------------------------------------------


def _ordering_location(request) -> tuple[Location | None, list[Location]]:
    locations = list(selectors.ordering_locations())
    raw = request.POST.get("location") or request.GET.get("location")
    if raw:
        pk = id_or_404(raw)
        location = next((loc for loc in locations if loc.pk == pk), None)
        if location is None:
            raise Http404()
        return location, locations
    return (locations[0] if locations else None), locations


def _throttled(request) -> bool:
    return is_ratelimited(
        request,
        group="orders:place",
        key=lambda group, request: client_ip(request) or "unknown",
        rate=ORDER_RATE_PER_ADDRESS,
        increment=True,
    )


@never_cache
def order_page(request):
    """The menu of one location with a cart, and the buyer's details. POST places the order."""
    settings = selectors.order_settings_get()
    location, locations = _ordering_location(request)
    menu = selectors.menu_for(location) if location else []
    form = BuyerForm(request.POST or None, settings=settings)
    cart, problems = ({}, [])
    is_open = location is not None and settings.is_open and hours.is_open(location)
    closed_text = ""
    if location is not None and settings.is_open and not is_open:
        closed_text = services.closed_message(location)
    if request.method == "POST":
        cart, problems = quantities_from(request.POST, [entry.product.pk for entry in menu])
        if request.POST.get("website"):
            # The honeypot was filled: a bot. It is told nothing different, and nothing is placed.
            return redirect("ordering:page")
        if _throttled(request):
            form.add_error(None, _("Too many orders from this connection. Try again in a while."))
        elif location is None or not form.is_valid() or problems:
            for problem in problems:
                form.add_error(None, problem)
        else:
            products = {entry.product.pk: entry.product for entry in menu}
            data = form.cleaned_data
            try:
                order = services.order_place(
                    location=location,
                    lines=[services.OrderLineInput(products[pk], quantity) for pk, quantity in cart.items()],
                    fulfilment=data["fulfilment"],
                    customer_name=data["customer_name"],
                    customer_phone=data["customer_phone"],
                    customer_email=data["customer_email"],
                    notes=data["notes"],
                    table=data["table"],
                    delivery_address=data["delivery_address"],
                    status_url=lambda order: request.build_absolute_uri(
                        reverse("ordering:status", args=[order.token])
                    ),
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            except (OrderError, InventoryError) as error:
                form.add_error(None, str(error))
            except PlanLimitReached:
                form.add_error(None, _("This business cannot take more orders online this month."))
            else:
                return redirect("ordering:status", token=order.token)
    return render(
        request,
        "orders/order_page.html",
        {
            "settings": settings,
            "location": location,
            "locations": locations,
            "menu": menu,
            "cart": cart,
            "form": form,
            "is_open": is_open,
            "closed_text": closed_text,
            # A connected MercadoPago or Wompi: the status page offers to pay online.
            "pays_online": bool(connected_providers()),
            "week": [
                (OpeningHours.Weekday(i.weekday).label, i.opens, i.closes)
                for i in (hours.week(location) if location else [])
            ],
        },
    )


@never_cache
@require_GET
def order_status_page(request, token: str):
    """The buyer's own order: its number, status and lines; the link is the secret."""
    order = selectors.order_by_token(token)
    if order is None:
        raise Http404()
    checkout_url = None
    if order.payment_status in (Order.PaymentStatus.UNPAID, Order.PaymentStatus.PENDING) and order.is_open:
        checkout_url = payment_seam.checkout_url_for(order, request)
    return render(
        request,
        "orders/status_page.html",
        {"order": order, "checkout_url": checkout_url, "poll_seconds": POLL_SECONDS * 3},
    )


# --- The board (staff) ----------------------------------------------------------------------------


def _board_location(request) -> Location | None:
    raw = request.GET.get("location")
    if not raw:
        return None
    location = selectors.ordering_locations().filter(pk=id_or_404(raw)).first()
    if location is None:
        raise Http404()
    return location


def _board_context(request, location):
    columns = selectors.board_orders(user=request.user, location=location)
    return {
        "columns": columns,
        "board": [(status, Order.Status(status).label, columns[status]) for status in Order.OPEN_STATUSES],
        "payment_methods": DeliverForm().fields["payment_method"].choices,
    }


@permission_required_view(Perm.WORK_ORDERS)
@require_GET
def board(request):
    location = _board_location(request)
    context = _board_context(request, location)
    context.update(
        {
            "location": location,
            "locations": list(selectors.ordering_locations()),
            "version": selectors.board_version(location=location),
            "poll_seconds": POLL_SECONDS,
            "can_manage": has_perm(request.user, Perm.MANAGE_ORDERS),
        }
    )
    return render(request, "orders/board.html", context)


@never_cache
@permission_required_view(Perm.WORK_ORDERS)
@require_GET
def board_json(request):
    """What the board's script polls: the version, and when it changed, the columns' HTML and the
    ids of the new orders (the script plays a sound for one it has not seen)."""
    location = _board_location(request)
    version = selectors.board_version(location=location)
    if request.GET.get("v") == version:
        return JsonResponse({"version": version, "changed": False})
    context = _board_context(request, location)
    html = render_to_string("orders/_board_columns.html", context, request=request)
    return JsonResponse(
        {
            "version": version,
            "changed": True,
            "html": html,
            "new": [order.pk for order in context["columns"][Order.Status.NEW]],
        }
    )


def _order_or_404(request, order_id) -> Order:
    try:
        return selectors.order_get(order_id=order_id, user=request.user)
    except OrderNotFound:
        raise Http404() from None


@permission_required_view(Perm.WORK_ORDERS)
@require_GET
def order_detail(request, order_id: int):
    order = _order_or_404(request, order_id)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "cancel_form": CancelForm(),
            "deliver_form": DeliverForm(),
            "next_statuses": [
                (status, Order.Status(status).label)
                for status in Order.Status.values
                if status in services.TRANSITIONS[order.status] and status != Order.Status.CANCELLED
            ],
            "can_cancel": Order.Status.CANCELLED in services.TRANSITIONS[order.status],
        },
    )


@permission_required_view(Perm.WORK_ORDERS)
@require_POST
def order_move(request, order_id: int):
    """A button on the board or the order's page: the order's next status."""
    order = _order_or_404(request, order_id)
    try:
        order = services.order_status_set(
            order=order,
            user=request.user,
            to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
            payment_method=request.POST.get("payment_method", ""),
            request=request,
        )
    except (OrderError, InventoryError, PlanLimitReached) as error:
        messages.error(request, _error_text(error))
        return redirect("orders:detail", order_id=order.pk)
    messages.success(
        request,
        _("Order %(number)s: %(status)s.") % {"number": order.number, "status": order.get_status_display()},
    )
    if request.POST.get("back") == "detail":
        return redirect("orders:detail", order_id=order.pk)
    return redirect("orders:board")


@permission_required_view(Perm.WORK_ORDERS)
def order_create(request):
    """An order taken at the counter, for a table or over the phone."""
    locations = selectors.ordering_locations()
    products = list(Product.objects.filter(is_active=True).order_by("name"))
    form = StaffOrderForm(request.POST or None, locations=locations)
    cart = {}
    if request.method == "POST":
        cart, problems = quantities_from(request.POST, [product.pk for product in products])
        for problem in problems:
            form.add_error(None, problem)
        if form.is_valid() and not problems:
            data = form.cleaned_data
            by_id = {product.pk: product for product in products}
            try:
                order = services.order_place(
                    location=data["location"],
                    lines=[services.OrderLineInput(by_id[pk], quantity) for pk, quantity in cart.items()],
                    fulfilment=data["fulfilment"],
                    customer_name=data["customer_name"],
                    customer_phone=data["customer_phone"],
                    notes=data["notes"],
                    table=data["table"],
                    delivery_address=data["delivery_address"],
                    source=Order.Source.STAFF,
                    user=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            except (OrderError, InventoryError, PlanLimitReached) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
                return redirect("orders:board")
    return render(request, "orders/create.html", {"form": form, "products": products, "cart": cart})


# --- Settings (OWNER/ADMIN) ---------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_ORDERS)
def order_settings(request):
    """The ordering page's switches and its menu: which products, and which are always available."""
    current = selectors.order_settings_get()
    form = OrderSettingsForm(request.POST or None, instance=current)
    rows = selectors.menu_settings_rows()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {
            product.pk: bool(request.POST.get(f"always-{product.pk}"))
            for product, _item in rows
            if request.POST.get(f"menu-{product.pk}")
        }
        try:
            with transaction.atomic():
                services.order_settings_update(user=request.user, request=request, **data)
                services.menu_set(user=request.user, entries=chosen, request=request)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Ordering settings saved."))
            return redirect("orders:settings")
    return render(
        request,
        "orders/settings.html",
        {
            "form": form,
            "rows": rows,
            "locations": list(selectors.ordering_locations()),
            "page_url": request.build_absolute_uri(reverse("ordering:page")),
        },
    )


@permission_required_view(Perm.MANAGE_ORDERS)
def location_hours(request, location_id: int):
    location = Location.objects.filter(pk=id_or_404(location_id)).first()
    if location is None:
        raise Http404()
    form = LocationHoursForm(request.POST or None, location=location)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.location_hours_set(
                user=request.user,
                location=location,
                address=data["address"],
                phone=data["phone"],
                intervals=data["intervals"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Hours of %(location)s saved.") % {"location": location.name})
            return redirect("orders:settings")
    return render(request, "orders/hours.html", {"form": form, "location": location})
