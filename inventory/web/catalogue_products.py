"""Screens of the catalogue: products, categories and locations.

Everyone signed in reads them; writes need MANAGE_PRODUCTS. Writes go through
inventory.services (plan limits, unique SKUs and barcodes are theirs to enforce).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import Perm, has_perm, permission_required_view
from inventory.selectors import (
    category_get,
    category_tree,
    location_get,
    location_list,
    product_get,
    product_list,
)
from inventory.services import (
    category_create,
    category_update,
    location_create,
    location_update,
    product_create,
    product_update,
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
)
from inventory.web.forms_catalogue import CategoryForm, LocationForm, ProductFilterForm, ProductForm, yes_no
from inventory.web.listing import Column, listing_build, search_text

# --- Products ----------------------------------------------------------------------------------


def _product_columns(user) -> list[Column]:
    link = (
        (lambda p: reverse("workspace:product_update", args=[p.pk]))
        if has_perm(user, Perm.MANAGE_PRODUCTS)
        else None
    )
    return [
        Column("sku", gettext_lazy("SKU"), "sku", sort="sku", link=link),
        Column("name", gettext_lazy("Name"), "name", sort="name", link=link),
        Column("barcode", gettext_lazy("Barcode"), "barcode"),
        Column("category", gettext_lazy("Category"), "category.name", sort="category__name"),
        Column("unit", gettext_lazy("Unit"), "get_unit_display"),
        Column("sale_price", gettext_lazy("Sale price"), "sale_price", kind=Column.MONEY, sort="sale_price"),
        Column("cost", gettext_lazy("Cost"), "cost", kind=Column.MONEY, sort="cost", needs=Perm.VIEW_MONEY),
        Column(
            "min_stock", gettext_lazy("Minimum stock"), "min_stock", kind=Column.QUANTITY, sort="min_stock"
        ),
        Column("tracks_stock", gettext_lazy("Holds stock"), "tracks_stock", kind=Column.BOOL),
        Column("is_active", gettext_lazy("Active"), "is_active", kind=Column.BOOL, sort="is_active"),
    ]


@login_required
@require_GET
def product_list_view(request):
    """The catalogue: search by name, SKU or barcode; filter by category, active, holds stock."""
    form = filter_form(ProductFilterForm, request)
    filters = filters_of(form)
    products = product_list(
        search=search_text(request),
        category=filters.get("category"),
        active=yes_no(filters.get("active", "yes")),
        tracks_stock=yes_no(filters.get("tracks_stock")),
    )
    listing = listing_build(
        request,
        products,
        columns=_product_columns(request.user),
        default_sort="name",
        filename="products",
        searchable=True,
    )
    actions = []
    if has_perm(request.user, Perm.MANAGE_PRODUCTS):
        actions.append(Action(_("New product"), reverse("workspace:product_create")))
    actions += [
        Action(_("Categories"), reverse("workspace:category_list")),
        Action(_("Locations"), reverse("workspace:location_list")),
    ]
    return list_page(
        request,
        title=_("Products"),
        listing=listing,
        filter_form=form,
        actions=actions,
        search_placeholder=_("Name, SKU or barcode"),
    )


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def product_create_view(request):
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                product = product_create(**form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("%(product)s was added.") % {"product": product.name})
            return redirect("workspace:product_list")
    return form_page(
        request,
        title=_("New product"),
        form=form,
        back_url=reverse("workspace:product_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def product_update_view(request, product_id):
    product = get_or_404(product_get, product_id=product_id, user=request.user)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            with form_errors(form):
                if changes:
                    product_update(
                        product=get_or_404(product_get, product_id=product_id, user=request.user), **changes
                    )
        except Refused:
            pass
        else:
            messages.success(request, _("%(product)s was saved.") % {"product": product.name})
            return redirect("workspace:product_list")
    return form_page(
        request,
        title=_("Edit %(product)s") % {"product": product.name},
        form=form,
        back_url=reverse("workspace:product_list"),
        status=400 if form.errors else 200,
    )


# --- Categories --------------------------------------------------------------------------------


@login_required
@require_GET
def category_list_view(request):
    """Categories as a tree (an indented list), with links to edit them for those who may."""
    can_manage = has_perm(request.user, Perm.MANAGE_PRODUCTS)
    nodes = category_tree()
    search = search_text(request).lower()
    if search:
        nodes = [node for node in nodes if search in node.path.lower()]
    columns = [
        Column(
            "path",
            gettext_lazy("Category"),
            lambda node: ("— " * node.depth) + node.category.name,
            link=(lambda node: reverse("workspace:category_update", args=[node.category.pk]))
            if can_manage
            else None,
        ),
        Column("full_path", gettext_lazy("Path"), "path"),
    ]
    listing = listing_build(
        request, nodes, columns=columns, filename="categories", searchable=True, per_page=200
    )
    actions = [Action(_("New category"), reverse("workspace:category_create"))] if can_manage else []
    return list_page(request, title=_("Categories"), listing=listing, actions=actions)


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def category_create_view(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                category_create(name=form.cleaned_data["name"], parent=form.cleaned_data["parent"])
        except Refused:
            pass
        else:
            messages.success(request, _("The category was saved."))
            return redirect("workspace:category_list")
    return form_page(
        request,
        title=_("New category"),
        form=form,
        back_url=reverse("workspace:category_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def category_update_view(request, category_id):
    category = get_or_404(category_get, category_id=category_id, user=request.user)
    initial = {"name": category.name, "parent": category.parent_id}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                category_update(
                    category=category, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
                )
        except Refused:
            pass
        else:
            messages.success(request, _("The category was saved."))
            return redirect("workspace:category_list")
    return form_page(
        request,
        title=_("Edit %(category)s") % {"category": category.name},
        form=form,
        back_url=reverse("workspace:category_list"),
        status=400 if form.errors else 200,
    )


# --- Locations ---------------------------------------------------------------------------------


@login_required
@require_GET
def location_list_view(request):
    can_manage = has_perm(request.user, Perm.MANAGE_PRODUCTS)
    link = (lambda loc: reverse("workspace:location_update", args=[loc.pk])) if can_manage else None
    columns = [
        Column("name", gettext_lazy("Name"), "name", sort="name", link=link),
        Column("kind", gettext_lazy("Kind"), "get_kind_display", sort="kind"),
        Column("is_active", gettext_lazy("Active"), "is_active", kind=Column.BOOL, sort="is_active"),
    ]
    listing = listing_build(
        request,
        location_list(active=None),
        columns=columns,
        default_sort="name",
        search_fields=("name",),
        filename="locations",
    )
    actions = [Action(_("New location"), reverse("workspace:location_create"))] if can_manage else []
    return list_page(request, title=_("Locations"), listing=listing, actions=actions)


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def location_create_view(request):
    form = LocationForm(request.POST or None)
    del form.fields["is_active"]
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                location_create(name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        except Refused:
            pass
        else:
            messages.success(request, _("The location was saved."))
            return redirect("workspace:location_list")
    return form_page(
        request,
        title=_("New location"),
        form=form,
        back_url=reverse("workspace:location_list"),
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.MANAGE_PRODUCTS)
@require_http_methods(["GET", "POST"])
def location_update_view(request, location_id):
    location = get_or_404(location_get, location_id=location_id, user=request.user)
    initial = {"name": location.name, "kind": location.kind, "is_active": location.is_active}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with form_errors(form):
                location_update(location=location, **form.cleaned_data)
        except Refused:
            pass
        else:
            messages.success(request, _("The location was saved."))
            return redirect("workspace:location_list")
    return form_page(
        request,
        title=_("Edit %(location)s") % {"location": location.name},
        form=form,
        back_url=reverse("workspace:location_list"),
        status=400 if form.errors else 200,
    )
