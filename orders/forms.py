"""Forms of the ordering page, the board and the ordering settings."""

from datetime import time
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory import hours
from inventory.models import Location, OpeningHours, PaymentMethod
from orders.models import Order, OrderSettings

QUANTITY_PREFIX = "qty-"
MAX_QUANTITY = Decimal(999)


def quantities_from(data, product_ids) -> tuple[dict[int, Decimal], list[str]]:
    """{product id: quantity} from the ``qty-<id>`` fields of a cart, for products in
    ``product_ids`` only; and the problems found (a word where a number goes, a negative...)."""
    found: dict[int, Decimal] = {}
    problems = []
    for product_id in product_ids:
        raw = (data.get(f"{QUANTITY_PREFIX}{product_id}") or "").strip().replace(",", ".")
        if not raw:
            continue
        try:
            quantity = Decimal(raw)
        except InvalidOperation:
            problems.append(str(_("Quantities are whole numbers.")))
            continue
        if not quantity.is_finite() or quantity < 0 or quantity > MAX_QUANTITY:
            problems.append(str(_("Quantities go from 0 to 999.")))
            continue
        if quantity:
            found[product_id] = quantity
    return found, problems


class BuyerForm(forms.Form):
    """Who orders and how they get it. ``website`` is a honeypot: people never see it."""

    fulfilment = forms.ChoiceField(label=_("How do you get it?"), choices=Order.Fulfilment.choices)
    table = forms.CharField(label=_("Table"), max_length=16, required=False)
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=200, required=False)
    customer_name = forms.CharField(label=_("Your name"), max_length=150)
    customer_phone = forms.CharField(label=_("Phone"), max_length=32)
    customer_email = forms.EmailField(label=_("Email (for the confirmation)"), max_length=254, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, settings: OrderSettings, **kwargs):
        super().__init__(*args, **kwargs)
        offered = {
            Order.Fulfilment.PICKUP: settings.offers_pickup,
            Order.Fulfilment.DELIVERY: settings.offers_delivery,
            Order.Fulfilment.TABLE: settings.offers_table,
        }
        self.fields["fulfilment"].choices = [
            (value, label) for value, label in Order.Fulfilment.choices if offered[value]
        ]
        self.fields["fulfilment"].widget = forms.RadioSelect(choices=self.fields["fulfilment"].choices)
        if len(self.fields["fulfilment"].choices) == 1:
            self.fields["fulfilment"].initial = self.fields["fulfilment"].choices[0][0]


class StaffOrderForm(forms.Form):
    """An order taken at the counter: for a table or over the phone."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    fulfilment = forms.ChoiceField(
        label=_("How"), choices=Order.Fulfilment.choices, initial=Order.Fulfilment.TABLE
    )
    table = forms.CharField(label=_("Table"), max_length=16, required=False)
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=200, required=False)
    customer_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    customer_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        if len(locations) == 1:
            self.fields["location"].initial = locations[0].pk


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=255)


class DeliverForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("Paid with"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )


class OrderSettingsForm(forms.ModelForm):
    class Meta:
        model = OrderSettings
        fields = ["is_open", "offers_pickup", "offers_delivery", "offers_table", "note_to_buyers"]


class LocationHoursForm(forms.Form):
    """A location's address and phone, and up to two intervals a day (9–13 and 16–20)."""

    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    SLOTS = 2

    def __init__(self, *args, location: Location, **kwargs):
        initial = {"address": location.address, "phone": location.phone}
        for weekday, intervals in _by_day(hours.week(location)).items():
            for slot, interval in enumerate(intervals[: self.SLOTS]):
                initial[f"d{weekday}_{slot}_opens"] = interval.opens
                initial[f"d{weekday}_{slot}_closes"] = interval.closes
        super().__init__(*args, initial=initial, **kwargs)
        for weekday in OpeningHours.Weekday:
            for slot in range(self.SLOTS):
                for end in ("opens", "closes"):
                    self.fields[f"d{weekday.value}_{slot}_{end}"] = forms.TimeField(
                        label=_("opens") if end == "opens" else _("closes"),
                        required=False,
                        widget=forms.TimeInput(
                            attrs={"type": "time", "aria-label": f"{weekday.label} {slot + 1} {end}"},
                            format="%H:%M",
                        ),
                    )

    def days(self):
        """Rows for the template: (day name, [(opens field, closes field) per slot])."""
        return [
            (
                weekday.label,
                [
                    (self[f"d{weekday.value}_{slot}_opens"], self[f"d{weekday.value}_{slot}_closes"])
                    for slot in range(self.SLOTS)
                ],
            )
            for weekday in OpeningHours.Weekday
        ]

    def clean(self):
        data = super().clean()
        intervals = []
        for weekday in OpeningHours.Weekday:
            for slot in range(self.SLOTS):
                opens: time | None = data.get(f"d{weekday.value}_{slot}_opens")
                closes: time | None = data.get(f"d{weekday.value}_{slot}_closes")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None or opens >= closes:
                    raise forms.ValidationError(
                        _("%(day)s: give both times, the closing one after the opening one.")
                        % {"day": weekday.label}
                    )
                intervals.append(hours.Interval(weekday.value, opens, closes))
        data["intervals"] = intervals
        return data


def _by_day(intervals):
    days: dict[int, list] = {}
    for interval in intervals:
        days.setdefault(interval.weekday, []).append(interval)
    return days
