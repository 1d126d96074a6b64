"""The API of payment links (issue 19): list and create links for anything owed (a family's
balance, a quote, a manual amount, an order once the orders app registers it), read one with its
payments, email it, cancel it. Provider credentials are not in the API (screens only)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.permissions import Perm
from api.views import ApiListView, ApiView
from payments import payables
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.exceptions import PaymentsError
from payments.models import PaymentLink, Provider, ProviderPayment


class ProviderPaymentOutput(serializers.ModelSerializer):
    status = serializers.CharField()
    provider = serializers.CharField()

    class Meta:
        model = ProviderPayment
        fields = [
            "id",
            "provider",
            "provider_payment_id",
            "status",
            "amount",
            "currency",
            "method",
            "approved_at",
            "settled",
            "reversed",
            "problem",
        ]


class PaymentLinkOutput(serializers.ModelSerializer):
    status = serializers.CharField()
    provider = serializers.CharField()
    pay_url = serializers.SerializerMethodField()
    payments = ProviderPaymentOutput(many=True, read_only=True)

    class Meta:
        model = PaymentLink
        fields = [
            "id",
            "kind",
            "ref",
            "provider",
            "status",
            "amount",
            "currency",
            "description",
            "payer_name",
            "payer_email",
            "pay_url",
            "emailed_at",
            "paid_at",
            "created_at",
            "payments",
        ]

    def get_pay_url(self, link) -> str:
        request = self.context.get("request")
        path = f"/pay/{link.token}/"
        return request.build_absolute_uri(path) if request else path


class PaymentLinkInput(serializers.Serializer):
    kind = serializers.CharField(
        max_length=32, help_text="family_balance, quote, manual (and order with the orders app)"
    )
    ref = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="f12 / p34 (account), the quote's id",
    )
    provider = serializers.ChoiceField(
        choices=Provider.choices, required=False, allow_null=True, default=None
    )
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    payer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=160)
    payer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    send_email = serializers.BooleanField(required=False, default=False)


class EmailInput(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class PaymentLinkListCreateApi(ApiListView):
    required_perms = {"GET": Perm.SEND_PAYMENT_LINKS, "POST": Perm.SEND_PAYMENT_LINKS}
    serializer_class = PaymentLinkOutput
    filterset_class = None
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema asks with no user
            return PaymentLink.objects.none()
        status_filter = self.request.query_params.get("status", "")
        return payment_selectors.link_list(
            user=self.request.user,
            status=status_filter if status_filter in PaymentLink.Status.values else "",
            kind=self.request.query_params.get("kind", "")[:32],
        )

    @extend_schema(request=PaymentLinkInput, responses={201: PaymentLinkOutput})
    def post(self, request):
        data = self.input(PaymentLinkInput)
        kind, ref = data["kind"], data["ref"]
        if payables.get(kind) is None:
            raise PaymentsError(_("Choose what is owed: %(kinds)s.") % {"kinds": ", ".join(payables.kinds())})
        if kind == "manual":
            ref = payment_services.manual_charge_create(
                description=data["description"],
                amount=data.get("amount") or 0,
                payer_name=data["payer_name"],
                payer_email=data["payer_email"],
                user=request.user,
            ).pk
        link = payment_services.payment_link_create(
            kind=kind, ref=ref, created_by=request.user, provider=data["provider"]
        )
        if data["send_email"]:
            link = payment_services.payment_link_email(
                link=link, user=request.user, email=data["payer_email"]
            )
        link = payment_selectors.link_get(link_id=link.pk, user=request.user)
        return Response(
            PaymentLinkOutput(link, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PaymentLinkDetailApi(ApiView):
    required_perms = {"GET": Perm.SEND_PAYMENT_LINKS}

    @extend_schema(responses=PaymentLinkOutput)
    def get(self, request, link_id: int):
        link = payment_selectors.link_get(link_id=link_id, user=request.user)
        return Response(PaymentLinkOutput(link, context={"request": request}).data)


class PaymentLinkEmailApi(ApiView):
    required_perms = {"POST": Perm.SEND_PAYMENT_LINKS}

    @extend_schema(request=EmailInput, responses=PaymentLinkOutput)
    def post(self, request, link_id: int):
        link = payment_selectors.link_get(link_id=link_id, user=request.user)
        data = self.input(EmailInput)
        payment_services.payment_link_email(link=link, user=request.user, email=data["email"])
        link = payment_selectors.link_get(link_id=link_id, user=request.user)
        return Response(PaymentLinkOutput(link, context={"request": request}).data)


class PaymentLinkCancelApi(ApiView):
    required_perms = {"POST": Perm.SEND_PAYMENT_LINKS}

    @extend_schema(request=None, responses=PaymentLinkOutput)
    def post(self, request, link_id: int):
        link = payment_selectors.link_get(link_id=link_id, user=request.user)
        payment_services.payment_link_cancel(link=link, user=request.user)
        link = payment_selectors.link_get(link_id=link_id, user=request.user)
        return Response(PaymentLinkOutput(link, context={"request": request}).data)
