"""Forms of the sales screens: they check the shape of what was typed; the services own the rules."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from inventory.models import PaymentMethod, Sale


class SaleForm(forms.Form):
    """The POS ticket's header. Lines arrive as parallel lists (``line_product``, ``line_quantity``,
    ``line_discount``) read by the view, as many as the cashier added."""

    location = forms.CharField(label=_("Location"))
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    amount_tendered = forms.DecimalField(
        label=_("Amount tendered"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    customer_name = forms.CharField(label=_("Customer"), required=False, max_length=160)


class SaleLinesError(ValueError):
    """A line whose quantity or discount is not a number."""


def sale_lines_from(data) -> list[tuple[str, Decimal, Decimal]]:
    """[(product id, quantity, discount)] from the POS's parallel lists; blank discounts are zero."""
    products = data.getlist("line_product")
    quantities = data.getlist("line_quantity")
    discounts = data.getlist("line_discount")
    lines = []
    for index, product_id in enumerate(products):
        try:
            quantity = Decimal((quantities[index] if index < len(quantities) else "").strip() or "1")
            discount = Decimal((discounts[index] if index < len(discounts) else "").strip() or "0")
        except (ArithmeticError, ValueError) as error:
            raise SaleLinesError(str(_("Quantities and discounts must be numbers."))) from error
        if not quantity.is_finite() or not discount.is_finite():
            raise SaleLinesError(str(_("Quantities and discounts must be numbers.")))
        lines.append((product_id, quantity, discount))
    return lines


class SaleFilterForm(forms.Form):
    SORTS = [
        ("-created_at", _("Newest first")),
        ("created_at", _("Oldest first")),
        ("-total", _("Highest total")),
        ("total", _("Lowest total")),
        ("-number", _("Number (high to low)")),
    ]

    q = forms.CharField(label=_("Number or customer"), required=False, max_length=160)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    location = forms.CharField(label=_("Location"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Sale.Status.choices]
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), required=False, choices=[("", _("Any method")), *PaymentMethod.choices]
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].widget = forms.Select(
            choices=[("", _("All locations")), *[(str(loc.pk), loc.name) for loc in locations]]
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class SaleVoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class SaleReturnForm(forms.Form):
    """The reason, and either ``all`` or a quantity per line in ``return_<line id>``."""

    reason = forms.CharField(label=_("Reason"), max_length=255)
    everything = forms.BooleanField(label=_("Return everything left"), required=False)

    def __init__(self, *args, sale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sale_lines = list(sale.lines.all()) if sale is not None else []
        for line in self.sale_lines:
            self.fields[f"return_{line.pk}"] = forms.DecimalField(
                label=line.description,
                required=False,
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=3,
            )

    def line_quantities(self) -> list[tuple[object, Decimal]]:
        """[(sale line, quantity)] of the lines with a quantity above zero."""
        return [
            (line, self.cleaned_data[f"return_{line.pk}"])
            for line in self.sale_lines
            if self.cleaned_data.get(f"return_{line.pk}")
        ]
