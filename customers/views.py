"""Customer screens: the list with search, the card, create and edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm, permission_required_view
from customers.exceptions import CustomerError, CustomerNotFound
from customers.forms import CustomerForm
from customers.selectors import customer_family_members, customer_get, customer_list, customer_wards
from customers.services import customer_create, customer_update, family_create

PER_PAGE = 25


def _get_or_404(*, customer_id, user):
    try:
        return customer_get(customer_id=customer_id, user=user)
    except CustomerNotFound as missing:
        raise Http404(str(missing)) from None


@permission_required_view(Perm.VIEW_CUSTOMERS)
def customer_list_view(request):
    search = request.GET.get("q", "")
    tag = request.GET.get("tag", "")
    rows = customer_list(
        user=request.user, search=search, tag=tag, active=None if request.GET.get("all") else True
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/list.html",
        {
            "page": page,
            "q": search,
            "tag": tag,
            "can_manage": has_perm(request.user, Perm.MANAGE_CUSTOMERS),
        },
    )


@permission_required_view(Perm.VIEW_CUSTOMERS)
def customer_detail_view(request, customer_id: int):
    customer = _get_or_404(customer_id=customer_id, user=request.user)
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "wards": customer_wards(customer=customer),
            "family_members": customer_family_members(customer=customer),
            "can_manage": has_perm(request.user, Perm.MANAGE_CUSTOMERS),
        },
    )


def _save(request, form, *, customer=None):
    """Run the service for a valid form; domain errors go onto the form. The customer or None."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            family = data["family"]
            if data["new_family"]:
                family = family_create(name=data["new_family"], user=request.user, request=request)
            payload = form.to_input(family=family)
            if customer is None:
                return customer_create(
                    data=payload, user=request.user, request=request, allow_duplicate=data["allow_duplicate"]
                )
            return customer_update(
                customer=customer,
                data=payload,
                user=request.user,
                request=request,
                allow_duplicate=data["allow_duplicate"],
            )
    except ValidationError as error:
        for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
    except CustomerError as error:
        form.add_error(None, str(error.message))
    return None


@permission_required_view(Perm.MANAGE_CUSTOMERS)
def customer_create_view(request):
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = _save(request, form)
        if customer is not None:
            messages.success(request, _("%(name)s was registered.") % {"name": customer.full_name})
            return redirect("customers:detail", customer_id=customer.pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("New customer"), "back_url": reverse("customers:list")},
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_CUSTOMERS)
def customer_edit_view(request, customer_id: int):
    customer = _get_or_404(customer_id=customer_id, user=request.user)
    form = CustomerForm(request.POST or None, customer=customer, initial=CustomerForm.initial_of(customer))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, customer=customer)
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", customer_id=saved.pk)
    return render(
        request,
        "customers/form.html",
        {
            "form": form,
            "title": customer.full_name,
            "back_url": reverse("customers:detail", kwargs={"customer_id": customer.pk}),
        },
        status=400 if form.errors else 200,
    )
