"""The staff API (/api/v1/). Views check the role through api.permissions (the table of
accounts.permissions), read through selectors, write through services; errors become JSON in
api.errors."""

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Perm
from accounts.selectors import user_list_team
from api import serializers as s
from api.filters import (
    ExpenseFilter,
    LocationFilter,
    ProductFilter,
    PurchaseOrderFilter,
    QuoteFilter,
    SaleFilter,
    SeriesForecastFilter,
    StockLevelFilter,
    StockMovementFilter,
    SuggestionFilter,
    SupplierFilter,
    TransferFilter,
)
from api.models import ApiToken
from api.permissions import ANY_MEMBER
from api.selectors import api_token_get, api_token_list, category_list
from api.services import api_token_create, api_token_revoke, idempotent_execute, request_fingerprint
from forecasts.selectors import series_forecast_list, suggested_order_draft, suggestion_list
from forecasts.services import suggested_order_create
from inventory import selectors, services
from team.invitations import invitation_create


class ApiMixin:
    """Answers in the caller's language: Accept-Language when sent (else the workspace's, from
    the locale middleware)."""

    required_perms: dict = {}

    def initial(self, request, *args, **kwargs):
        if request.META.get("HTTP_ACCEPT_LANGUAGE") and not request.COOKIES.get("django_language"):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context={"request": self.request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, generics.ListAPIView):
    pass


@csrf_exempt  # it changes nothing; without this an unknown POST path is an HTML CSRF page
def api_not_found(request, *args, **kwargs):
    """The JSON 404 of any path under /api/ that names no endpoint."""
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)


def _created(serializer_class, instance, request=None) -> Response:
    context = {"request": request} if request is not None else {}
    return Response(serializer_class(instance, context=context).data, status=status.HTTP_201_CREATED)


# --- Tokens ------------------------------------------------------------------------------------


class ApiTokenListCreateApi(ApiListView):
    """Your personal API tokens (any member manages their own)."""

    required_perms = {"GET": ANY_MEMBER, "POST": ANY_MEMBER}
    serializer_class = s.ApiTokenOutput
    queryset = ApiToken.objects.none()  # for the schema only: the list is api_token_list
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    @extend_schema(request=s.ApiTokenInput, responses={201: s.ApiTokenCreatedOutput})
    def post(self, request):
        data = self.input(s.ApiTokenInput)
        token, raw = api_token_create(user=request.user, name=data["name"])
        token.token = raw
        return _created(s.ApiTokenCreatedOutput, token)


class ApiTokenRevokeApi(ApiView):
    required_perms = {"DELETE": ANY_MEMBER}

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        api_token_revoke(token=api_token_get(token_id=token_id, user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Catalogue ---------------------------------------------------------------------------------


class ProductListCreateApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES, "POST": Perm.MANAGE_PRODUCTS}
    serializer_class = s.ProductOutput
    filterset_class = ProductFilter
    ordering_fields = ["name", "sku", "sale_price", "created_at", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.product_list(active=None)

    @extend_schema(request=s.ProductInput, responses={201: s.ProductOutput})
    def post(self, request):
        return _created(s.ProductOutput, services.product_create(**self.input(s.ProductInput)), request)


class ProductDetailUpdateApi(ApiView):
    required_perms = {"GET": Perm.RECORD_SALES, "PATCH": Perm.MANAGE_PRODUCTS}

    @extend_schema(responses=s.ProductOutput)
    def get(self, request, product_id: int):
        product = selectors.product_get(product_id=product_id, user=request.user)
        return Response(s.ProductOutput(product, context={"request": request}).data)

    @extend_schema(request=s.ProductInput(partial=True), responses=s.ProductOutput)
    def patch(self, request, product_id: int):
        product = selectors.product_get(product_id=product_id, user=request.user)
        fields = self.input(s.ProductInput, partial=True)
        product = services.product_update(product=product, **fields)
        return Response(s.ProductOutput(product, context={"request": request}).data)


class CategoryListCreateApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES, "POST": Perm.MANAGE_PRODUCTS}
    serializer_class = s.CategoryOutput
    filterset_fields = ["parent"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return category_list()

    @extend_schema(request=s.CategoryInput, responses={201: s.CategoryOutput})
    def post(self, request):
        return _created(s.CategoryOutput, services.category_create(**self.input(s.CategoryInput)))


class CategoryDetailUpdateApi(ApiView):
    required_perms = {"GET": Perm.RECORD_SALES, "PATCH": Perm.MANAGE_PRODUCTS}

    @extend_schema(responses=s.CategoryOutput)
    def get(self, request, category_id: int):
        return Response(
            s.CategoryOutput(selectors.category_get(category_id=category_id, user=request.user)).data
        )

    @extend_schema(request=s.CategoryInput(partial=True), responses=s.CategoryOutput)
    def patch(self, request, category_id: int):
        category = selectors.category_get(category_id=category_id, user=request.user)
        fields = self.input(s.CategoryInput, partial=True)
        return Response(s.CategoryOutput(services.category_update(category=category, **fields)).data)


class LocationListCreateApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES, "POST": Perm.MANAGE_PRODUCTS}
    serializer_class = s.LocationOutput
    filterset_class = LocationFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.location_list(active=None)

    @extend_schema(request=s.LocationInput, responses={201: s.LocationOutput})
    def post(self, request):
        data = self.input(s.LocationInput)
        data.pop("is_active", None)
        return _created(s.LocationOutput, services.location_create(**data))


class LocationDetailUpdateApi(ApiView):
    required_perms = {"GET": Perm.RECORD_SALES, "PATCH": Perm.MANAGE_PRODUCTS}

    @extend_schema(responses=s.LocationOutput)
    def get(self, request, location_id: int):
        return Response(
            s.LocationOutput(selectors.location_get(location_id=location_id, user=request.user)).data
        )

    @extend_schema(request=s.LocationInput(partial=True), responses=s.LocationOutput)
    def patch(self, request, location_id: int):
        location = selectors.location_get(location_id=location_id, user=request.user)
        fields = self.input(s.LocationInput, partial=True)
        return Response(s.LocationOutput(services.location_update(location=location, **fields)).data)


# --- Stock -------------------------------------------------------------------------------------


class StockLevelListApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES}
    serializer_class = s.StockLevelOutput
    filterset_class = StockLevelFilter
    ordering_fields = ["id", "on_hand", "updated_at"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.stock_level_list(active_only=False)


class StockMovementListApi(ApiListView):
    required_perms = {"GET": Perm.MANAGE_STOCK}
    serializer_class = s.StockMovementOutput
    filterset_class = StockMovementFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.stock_movement_list()


class StockAdjustmentCreateApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_STOCK}

    @extend_schema(request=s.StockAdjustmentInput, responses={201: s.StockMovementOutput})
    def post(self, request):
        data = self.input(s.StockAdjustmentInput)
        return _created(
            s.StockMovementOutput, services.stock_adjust(user=request.user, request=request, **data), request
        )


# --- Sales -------------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Retries with the same key (and body) record the sale once and replay its answer.",
)


class SaleListCreateApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES, "POST": Perm.RECORD_SALES}
    serializer_class = s.SaleOutput
    filterset_class = SaleFilter
    ordering_fields = ["created_at", "number", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.sale_list()

    @extend_schema(request=s.SaleInput, parameters=[IDEMPOTENCY_HEADER], responses={201: s.SaleDetailOutput})
    def post(self, request):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return Response(self._create(), status=status.HTTP_201_CREATED)
        fingerprint = request_fingerprint(method="POST", path=request.path, body=request.data)
        code, body, replayed = idempotent_execute(
            key=key,
            user=request.user,
            fingerprint=fingerprint,
            execute=lambda: (status.HTTP_201_CREATED, self._create()),
        )
        return Response(body, status=code, headers={"Idempotent-Replayed": "true" if replayed else "false"})

    def _create(self) -> dict:
        data = self.input(s.SaleInput)
        lines = [services.SaleLineInput(**line) for line in data.pop("lines")]
        sale = services.sale_create(seller=self.request.user, lines=lines, **data)
        sale = selectors.sale_get(sale_id=sale.pk, user=self.request.user)
        return s.SaleDetailOutput(sale, context={"request": self.request}).data


class SaleDetailApi(ApiView):
    required_perms = {"GET": Perm.RECORD_SALES}

    @extend_schema(responses=s.SaleDetailOutput)
    def get(self, request, sale_id: int):
        sale = selectors.sale_get(sale_id=sale_id, user=request.user)
        return Response(s.SaleDetailOutput(sale, context={"request": request}).data)


class SaleVoidApi(ApiView):
    required_perms = {"POST": Perm.VOID_SALES}

    @extend_schema(request=s.SaleVoidInput, responses=s.SaleDetailOutput)
    def post(self, request, sale_id: int):
        sale = selectors.sale_get(sale_id=sale_id, user=request.user)
        data = self.input(s.SaleVoidInput)
        services.sale_void(sale=sale, user=request.user, reason=data["reason"], request=request)
        sale = selectors.sale_get(sale_id=sale.pk, user=request.user)
        return Response(s.SaleDetailOutput(sale, context={"request": request}).data)


class SaleReturnCreateApi(ApiView):
    required_perms = {"POST": Perm.VOID_SALES}

    @extend_schema(request=s.SaleReturnInput, responses={201: s.SaleReturnOutput})
    def post(self, request, sale_id: int):
        sale = selectors.sale_get(sale_id=sale_id, user=request.user)
        data = self.input(s.SaleReturnInput)
        lines = None
        if data.get("lines"):
            sale_lines = {line.pk: line for line in sale.lines.all()}
            lines = []
            for line in data["lines"]:
                if line["sale_line"] not in sale_lines:
                    raise ValidationError(
                        {"lines": [_("This sale has no line %(id)s.") % {"id": line["sale_line"]}]}
                    )
                lines.append(
                    services.ReturnLineInput(
                        sale_line=sale_lines[line["sale_line"]], quantity=line["quantity"]
                    )
                )
        sale_return = services.sale_return(
            sale=sale, user=request.user, reason=data["reason"], lines=lines, request=request
        )
        return _created(s.SaleReturnOutput, sale_return)


# --- Team --------------------------------------------------------------------------------------


class UserListApi(ApiListView):
    required_perms = {"GET": Perm.MANAGE_TEAM}
    serializer_class = s.UserOutput
    filterset_fields = ["role", "is_active"]
    ordering_fields = ["email", "id"]
    ordering = ["email", "id"]

    def get_queryset(self):
        return user_list_team()


class InvitationCreateApi(ApiView):
    required_perms = {"POST": Perm.INVITE_USERS}

    @extend_schema(request=s.InvitationInput, responses={201: s.InvitationOutput})
    def post(self, request):
        data = self.input(s.InvitationInput)
        invitation = invitation_create(
            invited_by=request.user,
            email=data["email"],
            role=data["role"],
            base_url=request.build_absolute_uri("/"),
            request=request,
        )
        return _created(s.InvitationOutput, invitation)


# --- Suppliers and purchase orders ------------------------------------------------------------


class SupplierListCreateApi(ApiListView):
    required_perms = {"GET": Perm.MANAGE_SUPPLIER_INVOICES, "POST": Perm.MANAGE_SUPPLIER_INVOICES}
    serializer_class = s.SupplierOutput
    filterset_class = SupplierFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.supplier_list(active=None)

    @extend_schema(request=s.SupplierInput, responses={201: s.SupplierOutput})
    def post(self, request):
        return _created(s.SupplierOutput, services.supplier_create(**self.input(s.SupplierInput)))


class SupplierDetailUpdateApi(ApiView):
    required_perms = {"GET": Perm.MANAGE_SUPPLIER_INVOICES, "PATCH": Perm.MANAGE_SUPPLIER_INVOICES}

    @extend_schema(responses=s.SupplierOutput)
    def get(self, request, supplier_id: int):
        return Response(
            s.SupplierOutput(selectors.supplier_get(supplier_id=supplier_id, user=request.user)).data
        )

    @extend_schema(request=s.SupplierUpdateInput(partial=True), responses=s.SupplierOutput)
    def patch(self, request, supplier_id: int):
        supplier = selectors.supplier_get(supplier_id=supplier_id, user=request.user)
        fields = self.input(s.SupplierUpdateInput, partial=True)
        return Response(s.SupplierOutput(services.supplier_update(supplier=supplier, **fields)).data)


class PurchaseOrderListCreateApi(ApiListView):
    required_perms = {"GET": Perm.MANAGE_SUPPLIER_INVOICES, "POST": Perm.MANAGE_SUPPLIER_INVOICES}
    serializer_class = s.PurchaseOrderOutput
    filterset_class = PurchaseOrderFilter
    ordering_fields = ["number", "id"]
    ordering = ["-number"]

    def get_queryset(self):
        return selectors.purchase_order_list()

    @extend_schema(request=s.PurchaseOrderInput, responses={201: s.PurchaseOrderDetailOutput})
    def post(self, request):
        data = self.input(s.PurchaseOrderInput)
        lines = [services.PurchaseLineInput(**line) for line in data.pop("lines")]
        order = services.purchase_order_create(user=request.user, lines=lines, **data)
        order = selectors.purchase_order_get(purchase_order_id=order.pk, user=request.user)
        return _created(s.PurchaseOrderDetailOutput, order)


class PurchaseOrderDetailApi(ApiView):
    required_perms = {"GET": Perm.MANAGE_SUPPLIER_INVOICES}

    @extend_schema(responses=s.PurchaseOrderDetailOutput)
    def get(self, request, purchase_order_id: int):
        order = selectors.purchase_order_get(purchase_order_id=purchase_order_id, user=request.user)
        return Response(s.PurchaseOrderDetailOutput(order).data)


class PurchaseOrderSendApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_SUPPLIER_INVOICES}

    @extend_schema(request=s.PurchaseOrderSendInput, responses=s.PurchaseOrderDetailOutput)
    def post(self, request, purchase_order_id: int):
        order = selectors.purchase_order_get(purchase_order_id=purchase_order_id, user=request.user)
        data = self.input(s.PurchaseOrderSendInput)
        services.purchase_order_send(order=order, user=request.user, notify_supplier=data["notify_supplier"])
        order = selectors.purchase_order_get(purchase_order_id=order.pk, user=request.user)
        return Response(s.PurchaseOrderDetailOutput(order).data)


class PurchaseOrderReceiveApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_SUPPLIER_INVOICES}

    @extend_schema(request=s.PurchaseOrderReceiveInput, responses=s.PurchaseOrderDetailOutput)
    def post(self, request, purchase_order_id: int):
        order = selectors.purchase_order_get(purchase_order_id=purchase_order_id, user=request.user)
        data = self.input(s.PurchaseOrderReceiveInput)
        lines = None
        if data.get("lines"):
            order_lines = {line.pk: line for line in order.lines.all()}
            lines = []
            for line in data["lines"]:
                if line["line"] not in order_lines:
                    raise ValidationError(
                        {"lines": [_("This order has no line %(id)s.") % {"id": line["line"]}]}
                    )
                lines.append(
                    services.ReceiveLineInput(
                        line=order_lines[line["line"]],
                        quantity=line["quantity"],
                        unit_cost=line.get("unit_cost"),
                    )
                )
        services.purchase_order_receive(order=order, user=request.user, lines=lines)
        order = selectors.purchase_order_get(purchase_order_id=order.pk, user=request.user)
        return Response(s.PurchaseOrderDetailOutput(order).data)


# --- Transfers ---------------------------------------------------------------------------------


class TransferListCreateApi(ApiListView):
    required_perms = {"GET": Perm.MANAGE_STOCK, "POST": Perm.MANAGE_STOCK}
    serializer_class = s.TransferOutput
    filterset_class = TransferFilter
    ordering_fields = ["number", "id"]
    ordering = ["-number"]

    def get_queryset(self):
        return selectors.transfer_list()

    @extend_schema(request=s.TransferInput, responses={201: s.TransferOutput})
    def post(self, request):
        data = self.input(s.TransferInput)
        lines = [services.TransferLineInput(**line) for line in data.pop("lines")]
        transfer = services.transfer_send(user=request.user, lines=lines, **data)
        return _created(s.TransferOutput, selectors.transfer_get(transfer_id=transfer.pk, user=request.user))


class TransferDetailApi(ApiView):
    required_perms = {"GET": Perm.MANAGE_STOCK}

    @extend_schema(responses=s.TransferOutput)
    def get(self, request, transfer_id: int):
        return Response(
            s.TransferOutput(selectors.transfer_get(transfer_id=transfer_id, user=request.user)).data
        )


class TransferReceiveApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_STOCK}

    @extend_schema(request=None, responses=s.TransferOutput)
    def post(self, request, transfer_id: int):
        transfer = selectors.transfer_get(transfer_id=transfer_id, user=request.user)
        services.transfer_receive(transfer=transfer, user=request.user)
        return Response(
            s.TransferOutput(selectors.transfer_get(transfer_id=transfer.pk, user=request.user)).data
        )


# --- Quotes ------------------------------------------------------------------------------------


class QuoteListCreateApi(ApiListView):
    required_perms = {"GET": Perm.CREATE_QUOTES, "POST": Perm.CREATE_QUOTES}
    serializer_class = s.QuoteOutput
    filterset_class = QuoteFilter
    ordering_fields = ["number", "id"]
    ordering = ["-number"]

    def get_queryset(self):
        return selectors.quote_list()

    @extend_schema(request=s.QuoteInput, responses={201: s.QuoteDetailOutput})
    def post(self, request):
        data = self.input(s.QuoteInput)
        lines = [services.SaleLineInput(**line) for line in data.pop("lines")]
        quote = services.quote_create(user=request.user, lines=lines, **data)
        return _created(s.QuoteDetailOutput, selectors.quote_get(quote_id=quote.pk, user=request.user))


class QuoteDetailApi(ApiView):
    required_perms = {"GET": Perm.CREATE_QUOTES}

    @extend_schema(responses=s.QuoteDetailOutput)
    def get(self, request, quote_id: int):
        return Response(s.QuoteDetailOutput(selectors.quote_get(quote_id=quote_id, user=request.user)).data)


class QuoteConvertApi(ApiView):
    required_perms = {"POST": Perm.CONVERT_QUOTES}

    @extend_schema(request=s.QuoteConvertInput, responses={201: s.SaleDetailOutput})
    def post(self, request, quote_id: int):
        quote = selectors.quote_get(quote_id=quote_id, user=request.user)
        sale = services.quote_convert(quote=quote, user=request.user, **self.input(s.QuoteConvertInput))
        return _created(s.SaleDetailOutput, selectors.sale_get(sale_id=sale.pk, user=request.user), request)


# --- Expenses and dashboard ----------------------------------------------------------------------


class ExpenseListCreateApi(ApiListView):
    required_perms = {"GET": Perm.VIEW_BALANCE, "POST": Perm.MANAGE_SUPPLIER_INVOICES}
    serializer_class = s.ExpenseOutput
    filterset_class = ExpenseFilter
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return selectors.expense_list()

    @extend_schema(request=s.ExpenseInput, responses={201: s.ExpenseOutput})
    def post(self, request):
        return _created(
            s.ExpenseOutput, services.expense_create(user=request.user, **self.input(s.ExpenseInput))
        )


class ExpenseCategoryListApi(ApiListView):
    required_perms = {"GET": Perm.VIEW_BALANCE}
    serializer_class = s.ExpenseCategoryOutput
    filterset_fields = ["is_active"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.expense_category_list(active=None)


class DashboardApi(ApiView):
    required_perms = {"GET": Perm.VIEW_BALANCE}

    @extend_schema(
        parameters=[OpenApiParameter("location", int, description="Only this location's figures.")],
        responses=s.DashboardOutput,
    )
    def get(self, request):
        location = None
        raw = request.query_params.get("location")
        if raw:
            location = selectors.location_get(location_id=raw, user=request.user)
        return Response(
            s.DashboardOutput(selectors.dashboard_get(location=location), context={"request": request}).data
        )


# --- Forecasts (plans with forecasts, like the web screens) ------------------------------------


class SeriesForecastListApi(ApiListView):
    """The latest demand forecast of each product at each place (from the last forecast run)."""

    required_perms = {"GET": Perm.VIEW_FORECASTS}
    required_plan_feature = "has_forecasts"
    serializer_class = s.SeriesForecastOutput
    filterset_class = SeriesForecastFilter
    ordering_fields = ["id"]
    ordering = ["id"]

    def get_queryset(self):
        return series_forecast_list()


class SuggestionListApi(ApiListView):
    """What to order of each product for each place, with the figures and their explanation."""

    required_perms = {"GET": Perm.VIEW_FORECASTS}
    required_plan_feature = "has_forecasts"
    serializer_class = s.SuggestionOutput
    filterset_class = SuggestionFilter
    ordering_fields = ["id"]
    ordering = ["id"]

    def get_queryset(self):
        return suggestion_list(to_order_only=False)


class SuggestedOrderCreateApi(ApiView):
    """One draft purchase order from a supplier's suggestions for a place; asking again returns
    the same draft (200 instead of 201)."""

    required_perms = {"POST": Perm.MANAGE_SUPPLIER_INVOICES}
    required_plan_feature = "has_forecasts"

    @extend_schema(
        request=s.SuggestedOrderInput,
        responses={201: s.PurchaseOrderDetailOutput, 200: s.PurchaseOrderDetailOutput},
    )
    def post(self, request):
        data = self.input(s.SuggestedOrderInput)
        existing = suggested_order_draft(supplier=data["supplier"], location=data["location"])
        order = suggested_order_create(
            supplier=data["supplier"], location=data["location"], user=request.user
        )
        order = selectors.purchase_order_get(purchase_order_id=order.pk, user=request.user)
        created = existing is None or existing.pk != order.pk
        return Response(
            s.PurchaseOrderDetailOutput(order).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
