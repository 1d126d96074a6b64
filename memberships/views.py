"""Memberships screens: the academy's catalogue of offers, a student's memberships and packs (sell
one, pause a membership)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.exceptions import AcademyError, AcademyNotFound
from accounts.permissions import Perm, has_perm, permission_required_view
from customers.selectors import customer_list
from inventory.exceptions import InventoryError
from memberships import selectors
from memberships.forms import FreezeForm, OfferForm, SellForm
from memberships.services import (
    OfferInput,
    entitlement_freeze,
    entitlement_sell,
    offer_create,
    offer_deactivate,
)
from plans.exceptions import PlanLimitReached

ERRORS = (AcademyError, InventoryError, PlanLimitReached, ValidationError)


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except AcademyNotFound as missing:
        raise Http404(str(missing)) from None


def _error_to_form(form, error) -> None:
    if isinstance(error, ValidationError):
        form.add_error(None, list(error.messages))
    else:
        form.add_error(None, str(error.message))


@permission_required_view(Perm.MANAGE_OFFERS)
def offer_list_view(request):
    """The offers a student can buy, and a form to add one."""
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = offer_create(
                data=OfferInput(
                    kind=data["kind"],
                    name=data["name"],
                    price=data["price"],
                    class_types=tuple(data["class_types"]),
                    credits=data["credits"],
                    valid_days=data["valid_days"],
                    valid_from=data["valid_from"],
                    weekly_limit=data["weekly_limit"],
                ),
                user=request.user,
            )
        except ERRORS as error:
            _error_to_form(form, error)
        else:
            messages.success(request, _("Offer %(name)s added.") % {"name": offer.name})
            return redirect("memberships:offer_list")
    return render(request, "memberships/offers.html", {"form": form, "offers": selectors.offer_list()})


@require_POST
@permission_required_view(Perm.MANAGE_OFFERS)
def offer_deactivate_view(request, offer_id: int):
    offer = _get(selectors.offer_get, offer_id=offer_id, user=request.user)
    offer_deactivate(offer=offer, user=request.user)
    messages.success(request, _("%(name)s is no longer for sale.") % {"name": offer.name})
    return redirect("memberships:offer_list")


@permission_required_view(Perm.RECORD_SALES)
def student_search_view(request):
    """The front desk finds a student to sell a membership or a pack to."""
    search = request.GET.get("q", "").strip()
    students = list(customer_list(user=request.user, search=search)[:30]) if search else []
    return render(request, "memberships/search.html", {"search": search, "students": students})


@permission_required_view(Perm.VIEW_CUSTOMERS)
def student_view(request, student_id: int):
    """A student's memberships and packs: what is left, until when, the pauses; sell another."""
    student = _get(selectors.student_for_offers, student_id=student_id, user=request.user)
    form = SellForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.user, Perm.RECORD_SALES):
            raise Http404()
        if form.is_valid():
            data = form.cleaned_data
            try:
                sold = entitlement_sell(
                    offer=data["offer"],
                    student=student,
                    location=data["site"],
                    seller=request.user,
                    payment_method=data["payment_method"],
                    amount_tendered=data["amount_tendered"],
                    request=request,
                )
            except ERRORS as error:
                _error_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Sold %(offer)s to %(student)s (sale %(number)s).")
                    % {"offer": data["offer"].name, "student": student.full_name, "number": sold.sale.number},
                )
                return redirect("memberships:student", student_id=student.pk)
    entitlements = list(selectors.entitlement_list(student=student))
    for entitlement in entitlements:
        entitlement.standing = selectors.entitlement_is_standing(entitlement)
    return render(
        request,
        "memberships/student.html",
        {
            "student": student,
            "entitlements": entitlements,
            "form": form if has_perm(request.user, Perm.RECORD_SALES) else None,
            "freeze_form": FreezeForm() if has_perm(request.user, Perm.MANAGE_OFFERS) else None,
        },
    )


@require_POST
@permission_required_view(Perm.MANAGE_OFFERS)
def entitlement_freeze_view(request, entitlement_id: int):
    entitlement = _get(selectors.entitlement_get, entitlement_id=entitlement_id, user=request.user)
    form = FreezeForm(request.POST)
    if form.is_valid():
        try:
            entitlement_freeze(entitlement=entitlement, user=request.user, **form.cleaned_data)
        except ERRORS as error:
            messages.error(request, str(getattr(error, "message", error)))
        else:
            messages.success(request, _("Membership paused."))
    else:
        messages.error(request, _("Enter the first and last day of the pause."))
    return redirect("memberships:student", student_id=entitlement.student_id)
