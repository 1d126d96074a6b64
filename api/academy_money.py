"""The API of what academy students buy and owe (issue 15): offers, a student's entitlements (and
selling one), family balances and statements, payments, payroll statements. Kinds and statuses are
plain strings in the schema (their choice sets repeat across models)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from academy.exceptions import AcademyNotFound
from academy.selectors import site_get
from accounts.permissions import Perm
from api.views import ApiListView, ApiView
from customers.selectors import customer_get
from fees import selectors as fee_selectors
from fees.accounts import Account
from fees.models import Payment
from fees.services import AllocationInput, payment_record
from memberships import selectors as membership_selectors
from memberships.models import Entitlement, Offer
from memberships.services import entitlement_sell
from payroll import selectors as payroll_selectors
from payroll.models import PayrollLine, PayrollStatement

# --- Serializers -------------------------------------------------------------------------------


class OfferOutput(serializers.ModelSerializer):
    kind = serializers.CharField()
    valid_from = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2, source="product.sale_price")
    class_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "name",
            "price",
            "class_types",
            "credits",
            "valid_days",
            "valid_from",
            "weekly_limit",
            "is_active",
        ]


class EntitlementOutput(serializers.ModelSerializer):
    kind = serializers.CharField()
    offer_name = serializers.CharField(source="offer.name")
    sale = serializers.IntegerField(source="sale_line.sale.number")
    credits_left = serializers.IntegerField(allow_null=True)
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "offer",
            "offer_name",
            "kind",
            "sale",
            "credits_total",
            "credits_used",
            "credits_left",
            "weekly_limit",
            "starts_on",
            "ends_on",
            "standing",
        ]

    def get_standing(self, entitlement) -> bool:
        return membership_selectors.entitlement_is_standing(entitlement)


class SellInput(serializers.Serializer):
    offer = serializers.IntegerField()
    site = serializers.IntegerField()
    payment_method = serializers.CharField(default="cash")
    amount_tendered = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )


class BalanceOutput(serializers.Serializer):
    account = serializers.CharField(source="key")
    name = serializers.CharField()
    charged = serializers.DecimalField(max_digits=14, decimal_places=2)
    credited = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class StatementLineOutput(serializers.Serializer):
    day = serializers.DateField()
    text = serializers.CharField()
    charge = serializers.DecimalField(max_digits=14, decimal_places=2)
    credit = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class OpenChargeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    student = serializers.IntegerField(source="student_id")
    due_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class AccountDetailOutput(serializers.Serializer):
    account = serializers.CharField()
    name = serializers.CharField()
    statement = StatementLineOutput(many=True)
    open_charges = OpenChargeOutput(many=True)


class AllocationSerializer(serializers.Serializer):
    charge = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PaymentInput(serializers.Serializer):
    account = serializers.RegexField(r"^[fp][0-9]{1,18}$", help_text="f<family id> or p<payer id>")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    method = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    allocations = AllocationSerializer(many=True, required=False, allow_null=True, default=None)


class PaymentOutput(serializers.ModelSerializer):
    method = serializers.CharField()

    class Meta:
        model = Payment
        fields = ["id", "number", "payer", "family", "amount", "method", "received_at", "note"]


class PayrollLineOutput(serializers.ModelSerializer):
    class Meta:
        model = PayrollLine
        fields = ["id", "session", "description", "quantity", "amount"]


class PayrollStatementOutput(serializers.ModelSerializer):
    status = serializers.CharField()
    lines = PayrollLineOutput(many=True, read_only=True)

    class Meta:
        model = PayrollStatement
        fields = ["id", "teacher", "period_start", "period_end", "status", "total", "approved_at", "lines"]


# --- Views -------------------------------------------------------------------------------------


class OfferListApi(ApiListView):
    required_perms = {"GET": Perm.RECORD_SALES}
    serializer_class = OfferOutput
    filterset_class = None
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return membership_selectors.offer_list(active_only=True)


class StudentEntitlementListCreateApi(ApiView):
    """What a student bought that grants classes; POST sells an offer to the student."""

    required_perms = {"GET": Perm.VIEW_CUSTOMERS, "POST": Perm.RECORD_SALES}

    @extend_schema(responses=EntitlementOutput(many=True))
    def get(self, request, customer_id: int):
        student = customer_get(customer_id=customer_id, user=request.user)
        return Response(
            EntitlementOutput(membership_selectors.entitlement_list(student=student), many=True).data
        )

    @extend_schema(request=SellInput, responses={201: EntitlementOutput})
    def post(self, request, customer_id: int):
        student = membership_selectors.student_for_offers(student_id=customer_id, user=request.user)
        data = self.input(SellInput)
        offer = membership_selectors.offer_list(active_only=True).filter(pk=data["offer"]).first()
        if offer is None:
            raise AcademyNotFound()
        sold = entitlement_sell(
            offer=offer,
            student=student,
            location=site_get(site_id=data["site"], user=request.user),
            seller=request.user,
            payment_method=data["payment_method"],
            amount_tendered=data.get("amount_tendered"),
            request=request,
        )
        body = EntitlementOutput(sold.entitlement).data if sold.entitlement else {"sale": sold.sale.number}
        return Response(body, status=status.HTTP_201_CREATED)


class AccountListApi(ApiView):
    required_perms = {"GET": Perm.RECORD_PAYMENTS}

    @extend_schema(responses=BalanceOutput(many=True))
    def get(self, request):
        return Response(BalanceOutput(fee_selectors.account_balances(), many=True).data)


def _account(user, key: str) -> Account:
    return fee_selectors.account_get(kind=key[:1], account_id=key[1:], user=user)


class AccountDetailApi(ApiView):
    """An account's statement (running balance) and unpaid charges; the key is f<family> or p<payer>."""

    required_perms = {"GET": Perm.RECORD_PAYMENTS}

    @extend_schema(responses=AccountDetailOutput)
    def get(self, request, account: str):
        found = _account(request.user, account)
        return Response(
            {
                "account": found.key,
                "name": found.name,
                "statement": StatementLineOutput(
                    fee_selectors.account_statement(account=found), many=True
                ).data,
                "open_charges": OpenChargeOutput(
                    fee_selectors.account_open_charges(account=found), many=True
                ).data,
            }
        )


class PaymentCreateApi(ApiView):
    required_perms = {"POST": Perm.RECORD_PAYMENTS}

    @extend_schema(request=PaymentInput, responses={201: PaymentOutput})
    def post(self, request):
        data = self.input(PaymentInput)
        account = _account(request.user, data["account"])
        allocations = None
        if data["allocations"] is not None:
            charges = {c.pk: c for c in fee_selectors.account_open_charges(account=account)}
            allocations = []
            for row in data["allocations"]:
                if row["charge"] not in charges:
                    raise AcademyNotFound()
                allocations.append(AllocationInput(charge=charges[row["charge"]], amount=row["amount"]))
        payment = payment_record(
            account=account,
            amount=data["amount"],
            method=data["method"],
            note=data["note"],
            allocations=allocations,
            user=request.user,
        )
        return Response(PaymentOutput(payment).data, status=status.HTTP_201_CREATED)


class PayrollStatementListApi(ApiListView):
    """Payroll statements: every one for owners and admins, a teacher's own for a teacher."""

    required_perms = {"GET": Perm.VIEW_OWN_PAYROLL}
    serializer_class = PayrollStatementOutput
    filterset_class = None
    ordering_fields = ["period_start", "id"]
    ordering = ["-period_start", "id"]

    def get_queryset(self):
        return payroll_selectors.statement_list(user=self.request.user).prefetch_related("lines")
