"""Payments screens: provider connections (owners and admins), payment links and their payments
(the front desk too), the payer's page of a link (no sign-in: the token is the key), and the
providers' notifications on the bare domain."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, permission_required_view
from inventory.exceptions import InventoryError
from payments import notifications, payables, selectors, services
from payments.exceptions import PaymentsError, PaymentsNotFound
from payments.forms import EmailForm, LinkForm, MercadoPagoForm, WompiForm
from payments.models import PaymentLink, Provider

FORMS = {Provider.MERCADOPAGO: MercadoPagoForm, Provider.WOMPI: WompiForm}


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except PaymentsNotFound as missing:
        raise Http404(str(missing)) from None


# --- Connections ---------------------------------------------------------------------------------


@permission_required_view(Perm.MANAGE_PAYMENT_PROVIDERS)
def providers_view(request):
    connections = selectors.connection_list(user=request.user)
    cards = []
    for provider, label in Provider.choices:
        connection = connections[provider]
        cards.append(
            {
                "provider": provider,
                "label": label,
                "connection": connection,
                "form": FORMS[provider](initial={"public_key": getattr(connection, "public_key", "")}),
                "hook_url": services.platform_hook_url(connection) if connection else "",
            }
        )
    return render(request, "payments/providers.html", {"cards": cards})


@require_POST
@permission_required_view(Perm.MANAGE_PAYMENT_PROVIDERS)
def provider_save_view(request, provider: str):
    if provider not in Provider.values:
        raise Http404
    form = FORMS[provider](request.POST)
    if form.is_valid():
        try:
            connection = services.connection_save(
                provider=provider, data=form.cleaned_data, user=request.user
            )
        except PaymentsError as error:
            messages.error(request, str(error))
        else:
            connection = services.connection_check(connection=connection, user=request.user)
            (messages.success if connection.check_ok else messages.warning)(request, connection.check_message)
    else:
        messages.error(request, _("Check the credentials."))
    return redirect("payments:providers")


@require_POST
@permission_required_view(Perm.MANAGE_PAYMENT_PROVIDERS)
def provider_check_view(request, provider: str):
    connection = _get(selectors.connection_get, provider=provider, user=request.user)
    connection = services.connection_check(connection=connection, user=request.user)
    (messages.success if connection.check_ok else messages.error)(request, connection.check_message)
    return redirect("payments:providers")


@require_POST
@permission_required_view(Perm.MANAGE_PAYMENT_PROVIDERS)
def provider_disconnect_view(request, provider: str):
    connection = _get(selectors.connection_get, provider=provider, user=request.user)
    services.connection_disconnect(connection=connection, user=request.user)
    messages.success(request, _("Disconnected."))
    return redirect("payments:providers")


# --- Links ---------------------------------------------------------------------------------------


@permission_required_view(Perm.SEND_PAYMENT_LINKS)
def link_list_view(request):
    status = request.GET.get("status", "")
    status = status if status in PaymentLink.Status.values else ""
    links = selectors.link_list(user=request.user, status=status)[:200]
    return render(
        request,
        "payments/links.html",
        {"links": links, "status": status, "statuses": PaymentLink.Status.choices, "kinds": _kind_labels()},
    )


def _kind_labels() -> dict[str, str]:
    return {kind: str(payables.get(kind).label) for kind in payables.kinds()}


@permission_required_view(Perm.SEND_PAYMENT_LINKS)
def link_create_view(request):
    kinds = _kind_labels()
    kind = request.GET.get("kind", "manual")
    if kind not in kinds:
        kind = "manual"
    handler = payables.get(kind)
    ref_choices = handler.choices() if handler.choices else []
    providers = [(p, Provider(p).label) for p in selectors.connected_providers()]
    form = LinkForm(
        request.POST or None,
        kind=kind,
        ref_choices=ref_choices,
        providers=providers,
        initial={"ref": request.GET.get("ref", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "manual":
                ref = services.manual_charge_create(
                    description=data["description"],
                    amount=data["amount"],
                    payer_name=data["payer_name"],
                    payer_email=data["payer_email"],
                    user=request.user,
                ).pk
            else:
                ref = data["ref"]
            link = services.payment_link_create(
                kind=kind, ref=ref, created_by=request.user, provider=data["provider"] or None
            )
            if data["send_email"] and (data["payer_email"] or link.payer_email):
                services.payment_link_email(link=link, user=request.user, email=data["payer_email"])
        except (PaymentsError, InventoryError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Payment link created."))
            return redirect("payments:link", link_id=link.pk)
    return render(
        request,
        "payments/link_new.html",
        {"form": form, "kind": kind, "kinds": kinds, "connected": bool(providers)},
    )


@permission_required_view(Perm.SEND_PAYMENT_LINKS)
def link_view(request, link_id: int):
    link = _get(selectors.link_get, link_id=link_id, user=request.user)
    return render(
        request,
        "payments/link.html",
        {
            "link": link,
            "kind_label": _kind_labels().get(link.kind, link.kind),
            "pay_url": request.build_absolute_uri(f"/pay/{link.token}/"),
            "email_form": EmailForm(initial={"email": link.payer_email}),
        },
    )


@require_POST
@permission_required_view(Perm.SEND_PAYMENT_LINKS)
def link_email_view(request, link_id: int):
    link = _get(selectors.link_get, link_id=link_id, user=request.user)
    form = EmailForm(request.POST)
    try:
        if not form.is_valid():
            raise PaymentsError(_("Enter a valid email address."))
        services.payment_link_email(link=link, user=request.user, email=form.cleaned_data["email"])
    except PaymentsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Payment link sent."))
    return redirect("payments:link", link_id=link.pk)


@require_POST
@permission_required_view(Perm.SEND_PAYMENT_LINKS)
def link_cancel_view(request, link_id: int):
    link = _get(selectors.link_get, link_id=link_id, user=request.user)
    try:
        services.payment_link_cancel(link=link, user=request.user)
    except PaymentsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Payment link cancelled."))
    return redirect("payments:link", link_id=link.pk)


# --- The payer's page (no sign-in) ---------------------------------------------------------------


def pay_view(request, token: str):
    """What is asked, its status, and the button to the provider's checkout."""
    link = _get(selectors.link_by_token, token=token)
    return render(request, "payments/pay.html", {"link": link})


def pay_go_view(request, token: str):
    """To the provider's checkout (a fresh Wompi signature each time)."""
    link = _get(selectors.link_by_token, token=token)
    try:
        url = services.checkout_url(link)
    except PaymentsError as error:
        messages.error(request, str(error))
        return redirect("payments:pay", token=token)
    return HttpResponseRedirect(url)


# --- Notifications (bare domain) -----------------------------------------------------------------


def _answer(answer) -> HttpResponse:
    return JsonResponse({"outcome": answer.outcome}, status=answer.status)


@csrf_exempt
@require_POST
def mercadopago_hook_view(request, route: str):
    return _answer(
        notifications.mercadopago_handle(
            route=route, headers=request.headers, query=request.GET, body=request.body
        )
    )


@csrf_exempt
@require_POST
def wompi_hook_view(request, route: str):
    return _answer(notifications.wompi_handle(route=route, headers=request.headers, body=request.body))
