"""The orders API: the board's orders (list, one, place for a table or the phone) and their moves.

Same rules as the board (orders.services): WORK_ORDERS for everything here; placing through the
API is a staff order (the ordering page is the buyers' way in)."""

from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.permissions import Perm
from api.views import ApiListView, ApiView
from inventory.models import Location, PaymentMethod, Product
from orders.models import Order, OrderLine
from orders.selectors import order_get, order_list, ordering_locations
from orders.services import OrderLineInput, order_place, order_status_set


class OrderLineOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["id", "product", "description", "quantity", "unit_price", "total"]


class OrderOutput(serializers.ModelSerializer):
    lines = OrderLineOutput(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "business_date",
            "location",
            "status",
            "source",
            "fulfilment",
            "table",
            "delivery_address",
            "customer",
            "customer_name",
            "customer_phone",
            "customer_email",
            "notes",
            "total",
            "payment_status",
            "payment_provider",
            "payment_reference",
            "paid_amount",
            "paid_at",
            "cancel_reason",
            "sale",
            "created_at",
            "accepted_at",
            "ready_at",
            "delivered_at",
            "cancelled_at",
            "lines",
        ]


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))


class OrderInputSerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.filter(is_active=True))
    fulfilment = serializers.ChoiceField(choices=Order.Fulfilment.choices, default=Order.Fulfilment.TABLE)
    table = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    delivery_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    customer_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    customer_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    customer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    lines = OrderLineInputSerializer(many=True, allow_empty=False, max_length=200)


class OrderMoveInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.Status.choices)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, allow_blank=True, default=""
    )


class OrderListCreateApi(ApiListView):
    """Orders, newest first (``status``, ``location`` filter), and an order taken by staff."""

    required_perms = {"GET": Perm.WORK_ORDERS, "POST": Perm.WORK_ORDERS}
    serializer_class = OrderOutput
    queryset = Order.objects.none()  # for the schema only: the list is order_list
    filterset_class = None
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at"]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Order.Status.values),
            OpenApiParameter("location", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        status_filter = self.request.query_params.get("status", "")
        if status_filter not in Order.Status.values:
            status_filter = ""
        raw = str(self.request.query_params.get("location", ""))
        location = (
            ordering_locations().filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
        )
        if raw and location is None:
            return Order.objects.none()
        return order_list(user=self.request.user, status=status_filter, location=location)

    @extend_schema(request=OrderInputSerializer, responses={201: OrderOutput})
    def post(self, request):
        data = self.input(OrderInputSerializer)
        order = order_place(
            location=data["location"],
            lines=[OrderLineInput(line["product"], line["quantity"]) for line in data["lines"]],
            fulfilment=data["fulfilment"],
            table=data["table"],
            delivery_address=data["delivery_address"],
            customer_name=data["customer_name"],
            customer_phone=data["customer_phone"],
            customer_email=data["customer_email"],
            notes=data["notes"],
            source=Order.Source.API,
            user=request.user,
        )
        return Response(
            OrderOutput(order_get(order_id=order.pk, user=request.user)).data, status=status.HTTP_201_CREATED
        )


class OrderDetailApi(ApiView):
    required_perms = {"GET": Perm.WORK_ORDERS}

    @extend_schema(responses=OrderOutput)
    def get(self, request, order_id: int):
        return Response(OrderOutput(order_get(order_id=order_id, user=request.user)).data)


class OrderMoveApi(ApiView):
    """Move an order on the board: accepted, preparing, ready, delivered (``payment_method`` when
    collected), or cancelled (``reason``). 409 for a move the board does not allow."""

    required_perms = {"POST": Perm.WORK_ORDERS}

    @extend_schema(request=OrderMoveInput, responses=OrderOutput)
    def post(self, request, order_id: int):
        order = order_get(order_id=order_id, user=request.user)
        data = self.input(OrderMoveInput)
        order_status_set(
            order=order,
            user=request.user,
            to=data["status"],
            reason=data["reason"],
            payment_method=data["payment_method"],
            request=request,
        )
        return Response(OrderOutput(order_get(order_id=order_id, user=request.user)).data)
