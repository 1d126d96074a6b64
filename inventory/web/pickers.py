"""Product pickers that search as you type: a form field whose page carries no list of products
(3,233 products made five plain selects weigh 1.1 MB), a search box the script fills from
``product_picker_lookup`` (name without accents, SKU or barcode prefix: the one product search),
and the chosen product's id in a hidden input. Without the script, the box takes an exact SKU or
barcode. Unit cost or price comes prefilled from the product (static/inventory/pickers.js)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.permissions import Perm, has_perm
from inventory.models import Product
from inventory.selectors import product_list

LOOKUP_LIMIT = 20


class ProductPickerWidget(forms.Widget):
    """Rendered here rather than from a template: the form renderer reads app templates only."""

    def __init__(self, *, stock_only: bool = False, prefill: str = "", attrs=None):
        super().__init__(attrs)
        self.stock_only, self.prefill = stock_only, prefill

    def render(self, name, value, attrs=None, renderer=None):
        product = value if isinstance(value, Product) else None
        if product is None and value not in (None, "") and str(value).isdigit():
            product = Product.objects.filter(pk=value).first()
        text = str(product) if product else ("" if value in (None, "") else str(value))
        extra = format_html_join("", ' {}="{}"', self._data_attributes())
        return format_html(
            '<span class="product-picker" data-product-picker data-url="{}"{}>'
            '<input type="hidden" name="{}" value="{}" data-picker-value>'
            '<input type="search" id="{}" name="{}_search" value="{}" autocomplete="off" placeholder="{}"'
            ' data-picker-search aria-autocomplete="list">'
            # Spans only: the picker sits inside a <p class="field">, which cannot hold a list.
            '<span class="picker-results" role="listbox" data-picker-results hidden></span></span>',
            reverse("workspace:product_picker_lookup"),
            extra,
            name,
            product.pk if product else "",
            (attrs or {}).get("id", f"id_{name}"),
            name,
            text,
            _("Name, SKU or barcode"),
        )

    def _data_attributes(self) -> list[tuple[str, str]]:
        pairs = []
        if self.stock_only:
            pairs.append(("data-stock", "1"))
        if self.prefill:
            pairs.append(("data-prefill", self.prefill))
        return pairs

    def value_from_datadict(self, data, files, name):
        chosen = data.get(name)
        return chosen if chosen else (data.get(f"{name}_search") or "").strip() or None


class ProductPickerField(forms.Field):
    """A product of ``products()`` by id (what the script sets) or by exact SKU or barcode."""

    default_error_messages = {"unknown": _("No product has this SKU or barcode.")}

    def __init__(self, *, products, stock_only=False, prefill="", **kwargs):
        self.products = products
        kwargs.setdefault("widget", ProductPickerWidget(stock_only=stock_only, prefill=prefill))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Product):
            return value
        text = str(value).strip()
        lookup = Q(pk=int(text)) if text.isdigit() else Q()
        lookup |= Q(sku=text) | Q(barcode=text)
        product = self.products().filter(lookup).order_by("pk").first()
        if product is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return product

    def prepare_value(self, value):
        return value.pk if isinstance(value, Product) else value


@login_required
@require_GET
def product_picker_lookup(request):
    """JSON for the pickers: up to 20 products matching ``q``; ``stock=1`` only those holding
    stock. Costs only for roles that see money."""
    query = (request.GET.get("q") or "").strip()[:120]
    if not query or not has_perm(request.user, Perm.RECORD_SALES):
        return JsonResponse({"results": []})
    products = product_list(search=query, tracks_stock=True if request.GET.get("stock") == "1" else None)
    sees_money = has_perm(request.user, Perm.VIEW_MONEY)
    return JsonResponse(
        {
            "results": [
                {
                    "id": product.pk,
                    "label": str(product),
                    "sale_price": str(product.sale_price),
                    "cost": str(product.cost) if sees_money else None,
                }
                for product in products[:LOOKUP_LIMIT]
            ]
        }
    )
