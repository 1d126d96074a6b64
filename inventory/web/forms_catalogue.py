"""Forms of the catalogue, stock and purchasing screens. They validate input only: the views hand
``cleaned_data`` to the services (no form here saves a model)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inventory.models import (
    Category,
    ExpenseCategory,
    Location,
    PaymentMethod,
    Product,
    StockMovement,
    Supplier,
)
from inventory.selectors import (
    category_tree,
    expense_category_list,
    location_list,
    product_list,
    supplier_list,
)
from tenants.selectors import tenant_current

YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in tree order, labelled with their path (Almacén › Infusiones)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.all(), **kwargs)
        self.choices = [("", "---------")] + [(node.category.pk, node.path) for node in category_tree()]


def _locations_field(*, required=True):
    return forms.ModelChoiceField(label=_("Location"), queryset=location_list(), required=required)


# --- Catalogue ---------------------------------------------------------------------------------


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "barcode",
            "name",
            "category",
            "unit",
            "sale_price",
            "cost",
            "tax_rate",
            "tracks_stock",
            "is_active",
            "image",
            "min_stock",
            "preferred_supplier",
            "lead_time_days",
            "pack_size",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = CategoryChoiceField(label=_("Category"), required=False)
        self.fields["preferred_supplier"].queryset = supplier_list()
        if self.instance.pk and self.instance.category_id:
            self.initial["category"] = self.instance.category_id
        if not self.instance.pk:
            tenant = tenant_current()
            if tenant is not None:
                self.initial.setdefault("tax_rate", tenant.default_tax_rate)

    def _post_clean(self):
        # Model validation (unique SKU, barcode) runs in the service, which owns the write.
        pass


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = CategoryChoiceField(label=_("Parent category"), required=False)


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "tax_id", "contact_name", "email", "phone", "address", "note", "is_active"]

    def _post_clean(self):
        pass


# --- List filters ------------------------------------------------------------------------------


class ProductFilterForm(forms.Form):
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False, initial="yes")
    tracks_stock = forms.ChoiceField(label=_("Holds stock"), choices=YES_NO, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = CategoryChoiceField(label=_("Category"), required=False)
        # Keep the order: category first.
        self.order_fields(["category", "active", "tracks_stock"])


class StockLevelFilterForm(forms.Form):
    location = _locations_field(required=False)
    below_minimum = forms.BooleanField(label=_("Below minimum only"), required=False)


class MovementFilterForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *StockMovement.Kind.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = product_list(active=None, tracks_stock=True)
        self.fields["location"].queryset = location_list(active=None)


class StatusFilterForm(forms.Form):
    """A status filter for documents; ``choices`` is the document's Status.choices."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label=_("Status"), choices=[("", _("All")), *choices], required=False
        )


class ExpenseFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ExpenseCategory.objects.none(), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = expense_category_list(active=None)


# --- Stock -------------------------------------------------------------------------------------


class AdjustmentForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=3,
        help_text=_("Positive adds stock, negative removes it."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = product_list(tracks_stock=True)
        self.fields["location"].queryset = location_list()


class TransferForm(forms.Form):
    origin = forms.ModelChoiceField(label=_("From"), queryset=Location.objects.none())
    destination = forms.ModelChoiceField(label=_("To"), queryset=Location.objects.none())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = location_list()
        self.fields["destination"].queryset = location_list()


class LineForm(forms.Form):
    """A product and a quantity (transfers); empty lines are skipped."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, required=False)

    products = staticmethod(lambda: product_list(tracks_stock=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = self.products()

    def clean(self):
        data = super().clean()
        if data.get("product") and data.get("quantity") is None:
            self.add_error("quantity", _("Enter a quantity."))
        if data.get("quantity") is not None and not data.get("product"):
            self.add_error("product", _("Choose a product."))
        return data


class PurchaseLineForm(LineForm):
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), max_digits=14, decimal_places=2, required=False, min_value=Decimal(0)
    )


class QuoteLineForm(LineForm):
    products = staticmethod(lambda: product_list())
    unit_price = forms.DecimalField(
        label=_("Unit price"), max_digits=14, decimal_places=2, required=False, min_value=Decimal(0)
    )


def lines_formset(form_class, *, data=None, extra=5):
    formset_class = forms.formset_factory(form_class, extra=extra)
    return formset_class(data=data, prefix="lines")


def filled_lines(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("product")]


class StockCountCreateForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = location_list()


class StockCountSheetForm(forms.Form):
    """One field per line of a count sheet: ``line_<id>``, empty when not counted."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=str(line.product),
                max_digits=14,
                decimal_places=3,
                min_value=Decimal(0),
                required=False,
                initial=line.counted_quantity,
            )

    def counted(self):
        """[(line, counted quantity or None)] for the lines whose value changed."""
        return [
            (line, self.cleaned_data.get(f"line_{line.pk}"))
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}") != line.counted_quantity
        ]


# --- Purchasing --------------------------------------------------------------------------------


class PurchaseOrderForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    location = forms.ModelChoiceField(label=_("Deliver to"), queryset=Location.objects.none())
    expected_on = forms.DateField(
        label=_("Expected on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = supplier_list()
        self.fields["location"].queryset = location_list()


class PurchaseSendForm(forms.Form):
    notify_supplier = forms.BooleanField(
        label=_("Email the order to the supplier"), required=False, initial=True
    )


class ReceiveForm(forms.Form):
    """What arrived of each outstanding line: ``line_<id>`` quantities (empty: nothing)."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.quantity_outstanding > 0]
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=str(line.product),
                max_digits=14,
                decimal_places=3,
                min_value=Decimal(0),
                required=False,
                initial=line.quantity_outstanding,
            )

    def arrived(self):
        return [
            (line, self.cleaned_data[f"line_{line.pk}"])
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]


class QuoteForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    customer_name = forms.CharField(label=_("Customer"), max_length=160, required=False)
    customer_email = forms.EmailField(label=_("Customer email"), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = location_list()


class QuoteConvertForm(forms.Form):
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)


class ExpenseForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ExpenseCategory.objects.none())
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("Leave empty for the whole business."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = expense_category_list()
        self.fields["location"].queryset = location_list()


class ExpenseCategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


def validation_error_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field when the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
