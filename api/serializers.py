"""Input and output shapes of the API. Inputs validate and resolve ids through selectors; they never
write: the views pass their ``validated_data`` to services."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Invitation, User
from accounts.permissions import Perm, has_perm
from api.models import ApiToken
from api.selectors import expense_category_get
from forecasts.models import ReorderSuggestion, SeriesForecast
from forecasts.selectors import suggestion_explanation
from inventory.exceptions import NotFound
from inventory.models import (
    Category,
    Expense,
    ExpenseCategory,
    Location,
    PaymentMethod,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    QuoteLine,
    Sale,
    SaleLine,
    SaleReturn,
    StockLevel,
    StockMovement,
    Supplier,
    Transfer,
    TransferLine,
)
from inventory.selectors import category_get, location_get, product_get, supplier_get

MONEY = {"max_digits": 12, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 3}


class MoneyHiddenMixin:
    """Costs, margins and totals across sales follow the money permission (VIEW_MONEY): for a
    caller without it the ``money_fields`` come out as null. With ``own_sale_money``, a seller
    still sees the amounts of a sale they made. Without a request in the context, hidden."""

    money_fields: tuple[str, ...] = ()
    own_sale_money = False

    def sees_money(self, instance) -> bool:
        user = getattr(self.context.get("request"), "user", None)
        if has_perm(user, Perm.VIEW_MONEY):
            return True
        return bool(
            self.own_sale_money and user is not None and getattr(instance, "seller_id", None) == user.pk
        )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.money_fields and not self.sees_money(instance):
            for name in self.money_fields:
                if name in data:
                    data[name] = None
        return data


def _nullable(*names: str) -> dict:
    return {name: {"allow_null": True} for name in names}


class ResolvedIdField(serializers.IntegerField):
    """An id resolved through a selector (current schema, role checked); unknown ids are field errors."""

    default_error_messages = {"unknown": _("No such object.")}

    def __init__(self, *, getter, arg: str, **kwargs):
        self.getter, self.arg = getter, arg
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        pk = super().run_validation(data)
        if pk is None:
            return None
        try:
            return self.getter(**{self.arg: pk, "user": self.context["request"].user})
        except NotFound:
            self.fail("unknown")

    def to_representation(self, value):
        return getattr(value, "pk", value)


def product_field(**kwargs):
    return ResolvedIdField(getter=product_get, arg="product_id", **kwargs)


def location_field(**kwargs):
    return ResolvedIdField(getter=location_get, arg="location_id", **kwargs)


def category_field(**kwargs):
    return ResolvedIdField(getter=category_get, arg="category_id", **kwargs)


def supplier_field(**kwargs):
    return ResolvedIdField(getter=supplier_get, arg="supplier_id", **kwargs)


# --- Tokens ------------------------------------------------------------------------------------


class ApiTokenOutput(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]


class ApiTokenCreatedOutput(ApiTokenOutput):
    token = serializers.CharField(help_text="The raw token: shown this once, never again.")

    class Meta(ApiTokenOutput.Meta):
        fields = [*ApiTokenOutput.Meta.fields, "token"]


class ApiTokenInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


# --- Catalogue ---------------------------------------------------------------------------------


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "parent", "created_at", "updated_at"]


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    parent = category_field(required=False, allow_null=True)


class LocationOutput(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "kind", "is_active", "created_at", "updated_at"]


class LocationInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Location.Kind.choices, default=Location.Kind.STORE)
    is_active = serializers.BooleanField(required=False)


class ProductOutput(MoneyHiddenMixin, serializers.ModelSerializer):
    money_fields = ("cost",)
    category_name = serializers.CharField(source="category.name", default=None, allow_null=True)

    class Meta:
        model = Product
        extra_kwargs = _nullable("cost")
        fields = [
            "id",
            "sku",
            "barcode",
            "name",
            "category",
            "category_name",
            "unit",
            "sale_price",
            "cost",
            "tax_rate",
            "tracks_stock",
            "is_active",
            "min_stock",
            "preferred_supplier",
            "lead_time_days",
            "pack_size",
            "created_at",
            "updated_at",
        ]


class ProductInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    sale_price = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    cost = serializers.DecimalField(min_value=Decimal(0), required=False, **MONEY)
    barcode = serializers.CharField(max_length=13, required=False, allow_blank=True)
    category = category_field(required=False, allow_null=True)
    unit = serializers.ChoiceField(choices=Product.Unit.choices, required=False)
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    tracks_stock = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    min_stock = serializers.DecimalField(min_value=Decimal(0), required=False, **QUANTITY)
    preferred_supplier = supplier_field(required=False, allow_null=True)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    pack_size = serializers.DecimalField(min_value=Decimal("0.001"), required=False, **QUANTITY)


class SupplierOutput(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "tax_id",
            "contact_name",
            "email",
            "phone",
            "address",
            "note",
            "is_active",
            "created_at",
            "updated_at",
        ]


# --- Stock -------------------------------------------------------------------------------------


class StockLevelOutput(MoneyHiddenMixin, serializers.ModelSerializer):
    money_fields = ("average_cost",)
    product_sku = serializers.CharField(source="product.sku")
    product_name = serializers.CharField(source="product.name")
    location_name = serializers.CharField(source="location.name")

    class Meta:
        model = StockLevel
        extra_kwargs = _nullable("average_cost")
        fields = [
            "id",
            "product",
            "product_sku",
            "product_name",
            "location",
            "location_name",
            "on_hand",
            "average_cost",
            "updated_at",
        ]


class StockMovementOutput(MoneyHiddenMixin, serializers.ModelSerializer):
    money_fields = ("unit_cost",)

    class Meta:
        model = StockMovement
        extra_kwargs = _nullable("unit_cost")
        fields = [
            "id",
            "product",
            "location",
            "kind",
            "quantity",
            "unit_cost",
            "user",
            "created_at",
            "reason",
            "sale",
            "sale_return",
            "purchase_order",
            "transfer",
        ]


class StockAdjustmentInput(serializers.Serializer):
    product = product_field()
    location = location_field()
    quantity = serializers.DecimalField(**QUANTITY)
    reason = serializers.CharField(max_length=255)


# --- Sales -------------------------------------------------------------------------------------


SALE_MONEY = ("amount_tendered", "change_due", "subtotal", "discount_total", "tax_total", "total")
SALE_LINE_MONEY = ("tax_amount", "total")


class SaleLineOutput(serializers.ModelSerializer):
    returnable_quantity = serializers.DecimalField(read_only=True, **QUANTITY)

    class Meta:
        model = SaleLine
        extra_kwargs = _nullable(*SALE_LINE_MONEY)
        fields = [
            "id",
            "product",
            "description",
            "quantity",
            "unit_price",
            "discount",
            "tax_rate",
            "tax_amount",
            "total",
            "returned_quantity",
            "returnable_quantity",
        ]


class SaleOutput(MoneyHiddenMixin, serializers.ModelSerializer):
    """A sale in a list: no lines (see the detail). Amounts: VIEW_MONEY or the seller's own."""

    money_fields = SALE_MONEY
    own_sale_money = True

    class Meta:
        model = Sale
        extra_kwargs = _nullable(*SALE_MONEY)
        fields = [
            "id",
            "number",
            "created_at",
            "location",
            "seller",
            "customer_name",
            "payment_method",
            "amount_tendered",
            "change_due",
            "subtotal",
            "discount_total",
            "tax_total",
            "total",
            "status",
            "note",
            "voided_at",
            "void_reason",
        ]


class SaleDetailOutput(SaleOutput):
    lines = SaleLineOutput(many=True, read_only=True)

    class Meta(SaleOutput.Meta):
        fields = [*SaleOutput.Meta.fields, "lines"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.sees_money(instance):
            for line in data["lines"]:
                line.update(dict.fromkeys(SALE_LINE_MONEY))
        return data


class SaleLineInput(serializers.Serializer):
    product = product_field()
    quantity = serializers.DecimalField(min_value=Decimal("0.001"), **QUANTITY)
    unit_price = serializers.DecimalField(min_value=Decimal(0), required=False, allow_null=True, **MONEY)
    discount = serializers.DecimalField(min_value=Decimal(0), required=False, **MONEY)


class SaleInput(serializers.Serializer):
    location = location_field()
    lines = SaleLineInput(many=True, allow_empty=False, max_length=500)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    amount_tendered = serializers.DecimalField(min_value=Decimal(0), required=False, allow_null=True, **MONEY)
    customer_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class SaleVoidInput(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class ReturnLineInput(serializers.Serializer):
    sale_line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.DecimalField(min_value=Decimal("0.001"), **QUANTITY)


class SaleReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
    lines = ReturnLineInput(many=True, required=False, allow_empty=False, max_length=500)


class SaleReturnOutput(serializers.ModelSerializer):
    class Meta:
        model = SaleReturn
        fields = ["id", "number", "sale", "user", "reason", "refund_total", "created_at"]


# --- Team --------------------------------------------------------------------------------------


class UserOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "is_active", "last_login", "date_joined"]


class SupplierInput(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    tax_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SupplierUpdateInput(SupplierInput):
    is_active = serializers.BooleanField(required=False)


# --- Transfers ---------------------------------------------------------------------------------


class TransferLineOutput(serializers.ModelSerializer):
    class Meta:
        model = TransferLine
        fields = ["id", "product", "quantity", "unit_cost"]


class TransferOutput(serializers.ModelSerializer):
    lines = TransferLineOutput(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "number",
            "origin",
            "destination",
            "status",
            "note",
            "sent_by",
            "sent_at",
            "received_by",
            "received_at",
            "lines",
        ]


class TransferLineInput(serializers.Serializer):
    product = product_field()
    quantity = serializers.DecimalField(min_value=Decimal("0.001"), **QUANTITY)


class TransferInput(serializers.Serializer):
    origin = location_field()
    destination = location_field()
    lines = TransferLineInput(many=True, allow_empty=False, max_length=500)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


# --- Purchasing --------------------------------------------------------------------------------


class PurchaseOrderLineOutput(serializers.ModelSerializer):
    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "product", "quantity_ordered", "quantity_received", "unit_cost"]


class PurchaseOrderOutput(serializers.ModelSerializer):
    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "supplier",
            "location",
            "status",
            "expected_on",
            "note",
            "total",
            "created_at",
            "sent_at",
            "received_at",
        ]


class PurchaseOrderDetailOutput(PurchaseOrderOutput):
    lines = PurchaseOrderLineOutput(many=True, read_only=True)

    class Meta(PurchaseOrderOutput.Meta):
        fields = [*PurchaseOrderOutput.Meta.fields, "lines"]


class PurchaseLineInput(serializers.Serializer):
    product = product_field()
    quantity = serializers.DecimalField(min_value=Decimal("0.001"), **QUANTITY)
    unit_cost = serializers.DecimalField(min_value=Decimal(0), required=False, allow_null=True, **MONEY)


class PurchaseOrderInput(serializers.Serializer):
    supplier = supplier_field()
    location = location_field()
    lines = PurchaseLineInput(many=True, allow_empty=False, max_length=500)
    expected_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReceiveLineInput(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.DecimalField(min_value=Decimal("0.001"), **QUANTITY)
    unit_cost = serializers.DecimalField(min_value=Decimal(0), required=False, allow_null=True, **MONEY)


class PurchaseOrderSendInput(serializers.Serializer):
    notify_supplier = serializers.BooleanField(default=True, help_text="Email the order to the supplier.")


class PurchaseOrderReceiveInput(serializers.Serializer):
    lines = ReceiveLineInput(many=True, required=False, allow_empty=False, max_length=500)


# --- Quotes ------------------------------------------------------------------------------------


class QuoteLineOutput(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["id", "product", "description", "quantity", "unit_price", "discount", "tax_amount", "total"]


class QuoteOutput(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = [
            "id",
            "number",
            "location",
            "customer_name",
            "customer_email",
            "valid_until",
            "status",
            "note",
            "sale",
            "subtotal",
            "discount_total",
            "tax_total",
            "total",
            "created_at",
        ]


class QuoteDetailOutput(QuoteOutput):
    lines = QuoteLineOutput(many=True, read_only=True)

    class Meta(QuoteOutput.Meta):
        fields = [*QuoteOutput.Meta.fields, "lines"]


class QuoteInput(serializers.Serializer):
    location = location_field()
    lines = SaleLineInput(many=True, allow_empty=False, max_length=500)
    valid_until = serializers.DateField(required=False, allow_null=True)
    customer_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    customer_email = serializers.EmailField(required=False, allow_blank=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class QuoteConvertInput(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    amount_tendered = serializers.DecimalField(min_value=Decimal(0), required=False, allow_null=True, **MONEY)


# --- Expenses and dashboard ----------------------------------------------------------------------


class ExpenseCategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = ExpenseCategory
        fields = ["id", "name", "is_active"]


class ExpenseOutput(serializers.ModelSerializer):
    class Meta:
        model = Expense
        fields = ["id", "date", "amount", "category", "location", "note", "created_by", "created_at"]


class ExpenseInput(serializers.Serializer):
    date = serializers.DateField()
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    category = ResolvedIdField(getter=expense_category_get, arg="expense_category_id")
    location = location_field(required=False, allow_null=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class DashboardFiguresOutput(serializers.Serializer):
    day = serializers.DateField()
    sales_total = serializers.DecimalField(**MONEY)
    sales_count = serializers.IntegerField()
    refunds = serializers.DecimalField(**MONEY)
    income = serializers.DecimalField(**MONEY)
    expenses = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)
    active_products = serializers.IntegerField()


class LowStockOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    min_stock = serializers.DecimalField(**QUANTITY)
    on_hand = serializers.DecimalField(max_digits=14, decimal_places=3)


class DaySalesOutput(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    count = serializers.IntegerField()


class DashboardOutput(serializers.Serializer):
    location = serializers.IntegerField(source="location.pk", allow_null=True, default=None)
    figures = DashboardFiguresOutput()
    low_stock = LowStockOutput(many=True)
    latest_sales = SaleOutput(many=True)
    sales_per_day = DaySalesOutput(many=True)


# --- Invitations -------------------------------------------------------------------------------


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=User.Role.choices)


class InvitationOutput(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "expires_at", "created_at"]


# --- Forecasts ---------------------------------------------------------------------------------

FORECAST_HORIZONS = (7, 28, 56)  # days; weekly series cover 56 days, monthly ones 6 months


class ForecastTotalsOutput(serializers.Serializer):
    next_7_days = serializers.FloatField()
    next_28_days = serializers.FloatField()
    next_56_days = serializers.FloatField()


class SeriesForecastOutput(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku")
    product_name = serializers.CharField(source="product.name")
    location_name = serializers.CharField(source="location.name")
    totals = serializers.SerializerMethodField(help_text="Expected demand over the next 7, 28 and 56 days.")

    class Meta:
        model = SeriesForecast
        fields = [
            "id",
            "product",
            "product_sku",
            "product_name",
            "location",
            "location_name",
            "demand_class",
            "model",
            "short_history",
            "first_day",
            "grain",
            "periods_start",
            "periods",
            "windows",
            "wape",
            "naive_wape",
            "moving_average_wape",
            "beats_naive",
            "beats_moving_average",
            "mase",
            "totals",
        ]

    @extend_schema_field(ForecastTotalsOutput)
    def get_totals(self, forecast) -> dict:
        return {f"next_{days}_days": round(sum(forecast.daily[:days]), 3) for days in FORECAST_HORIZONS}


class SuggestionOutput(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku")
    product_name = serializers.CharField(source="product.name")
    location_name = serializers.CharField(source="location.name")
    supplier_name = serializers.CharField(source="supplier.name", default=None, allow_null=True)
    explanation = serializers.SerializerMethodField(help_text="The figures in words, in your language.")

    class Meta:
        model = ReorderSuggestion
        fields = [
            "id",
            "product",
            "product_sku",
            "product_name",
            "location",
            "location_name",
            "supplier",
            "supplier_name",
            "on_hand",
            "on_order",
            "committed",
            "lead_time_days",
            "review_days",
            "service_level",
            "demand_lead",
            "sigma_lead",
            "safety_stock",
            "reorder_point",
            "order_up_to",
            "pack_size",
            "packs",
            "quantity",
            "purchase_order",
            "explanation",
        ]

    def get_explanation(self, suggestion) -> str:
        return suggestion_explanation(suggestion)


class SuggestedOrderInput(serializers.Serializer):
    supplier = supplier_field()
    location = location_field()
