"""The API of customers and academies: customers, classes, sessions (and their rosters),
enrolments and check-ins (a front-desk tablet checks students in with a token)."""

from datetime import date, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from academy import selectors as academy_selectors
from academy.models import AcademyClass, Enrolment, Session
from academy.services import checkin_by_token, enrolment_create, enrolment_drop
from academy.services.common import workspace_zone
from accounts.permissions import Perm
from api.views import ApiListView, ApiView
from customers.models import ConsentSource, Customer
from customers.selectors import customer_get, customer_list
from customers.services import CustomerInput, customer_create, customer_update

# --- Serializers -------------------------------------------------------------------------------


class CustomerOutput(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "full_name",
            "document_type",
            "document_number",
            "email",
            "phone",
            "birth_date",
            "notes",
            "tags",
            "guardian",
            "family",
            "marketing_email_consent",
            "marketing_email_consent_at",
            "marketing_email_consent_source",
            "whatsapp_consent",
            "whatsapp_consent_at",
            "whatsapp_consent_source",
            "is_active",
            "created_at",
            "updated_at",
        ]


class CustomerInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    document_type = serializers.ChoiceField(choices=Customer.DocumentType.choices, default="CC")
    document_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    guardian = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True, default=None
    )
    marketing_email_consent = serializers.BooleanField(required=False, default=False)
    marketing_email_consent_source = serializers.ChoiceField(
        choices=ConsentSource.choices, required=False, allow_blank=True, default=""
    )
    whatsapp_consent = serializers.BooleanField(required=False, default=False)
    whatsapp_consent_source = serializers.ChoiceField(
        choices=ConsentSource.choices, required=False, allow_blank=True, default=""
    )
    allow_duplicate = serializers.BooleanField(required=False, default=False)


class ClassOutput(serializers.ModelSerializer):
    site = serializers.IntegerField(source="room.site_id")
    enrolled = serializers.IntegerField()
    waiting = serializers.IntegerField()

    class Meta:
        model = AcademyClass
        fields = [
            "id",
            "name",
            "class_type",
            "room",
            "site",
            "teacher",
            "weekdays",
            "start_time",
            "duration_minutes",
            "capacity",
            "start_date",
            "end_date",
            "term",
            "enrolled",
            "waiting",
        ]


class SessionOutput(serializers.ModelSerializer):
    class_name = serializers.CharField(source="academy_class.name")
    site = serializers.IntegerField(source="room.site_id")
    enrolled = serializers.IntegerField(source="enrolled_count")
    booked = serializers.IntegerField(source="booked_count")
    checked_in = serializers.IntegerField(source="checked_in_count")

    class Meta:
        model = Session
        fields = [
            "id",
            "academy_class",
            "class_name",
            "starts_at",
            "ends_at",
            "room",
            "site",
            "teacher",
            "status",
            "note",
            "enrolled",
            "booked",
            "checked_in",
        ]


class RosterRowOutput(serializers.Serializer):
    student = serializers.IntegerField(source="student.pk")
    name = serializers.CharField(source="student.full_name")
    kind = serializers.CharField()
    attendance = serializers.CharField(source="attendance.status", default=None)


class EnrolmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "academy_class", "student", "status", "waitlisted_at", "enrolled_at", "dropped_at"]


class EnrolmentInput(serializers.Serializer):
    academy_class = serializers.IntegerField()
    student = serializers.IntegerField()
    waitlist = serializers.BooleanField(required=False, default=True)


class CheckInInput(serializers.Serializer):
    site = serializers.IntegerField()
    token = serializers.CharField(max_length=400)


class CheckInOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    code = serializers.CharField()
    detail = serializers.CharField(source="message")
    name = serializers.CharField(source="student_name")
    session = serializers.IntegerField(source="session.pk", default=None)


# --- Views -------------------------------------------------------------------------------------


def _customer_input(data: dict) -> CustomerInput:
    data = dict(data)
    data.pop("allow_duplicate", None)
    return CustomerInput(**data)


class CustomerListCreateApi(ApiListView):
    required_perms = {"GET": Perm.VIEW_CUSTOMERS, "POST": Perm.MANAGE_CUSTOMERS}
    serializer_class = CustomerOutput
    filterset_class = None
    ordering_fields = ["full_name", "id"]
    ordering = ["full_name", "id"]

    @extend_schema(parameters=[OpenApiParameter("search", str), OpenApiParameter("tag", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return customer_list(
            user=self.request.user, search=params.get("search", ""), tag=params.get("tag", "")
        )

    @extend_schema(request=CustomerInputSerializer, responses={201: CustomerOutput})
    def post(self, request):
        data = self.input(CustomerInputSerializer)
        customer = customer_create(
            data=_customer_input(data),
            user=request.user,
            request=request,
            allow_duplicate=data["allow_duplicate"],
        )
        return Response(CustomerOutput(customer).data, status=status.HTTP_201_CREATED)


class CustomerDetailUpdateApi(ApiView):
    required_perms = {"GET": Perm.VIEW_CUSTOMERS, "PUT": Perm.MANAGE_CUSTOMERS}

    @extend_schema(responses=CustomerOutput)
    def get(self, request, customer_id: int):
        return Response(CustomerOutput(customer_get(customer_id=customer_id, user=request.user)).data)

    @extend_schema(request=CustomerInputSerializer, responses=CustomerOutput)
    def put(self, request, customer_id: int):
        customer = customer_get(customer_id=customer_id, user=request.user)
        data = self.input(CustomerInputSerializer)
        customer = customer_update(
            customer=customer,
            data=_customer_input(data),
            user=request.user,
            request=request,
            allow_duplicate=data["allow_duplicate"],
        )
        return Response(CustomerOutput(customer).data)


class ClassListApi(ApiListView):
    required_perms = {"GET": Perm.VIEW_TIMETABLE}
    serializer_class = ClassOutput
    filterset_class = None
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return academy_selectors.class_list(user=self.request.user)


class ClassDetailApi(ApiView):
    required_perms = {"GET": Perm.VIEW_TIMETABLE}

    @extend_schema(responses=ClassOutput)
    def get(self, request, class_id: int):
        return Response(ClassOutput(academy_selectors.class_get(class_id=class_id, user=request.user)).data)


class SessionListApi(ApiListView):
    """The sessions of one week (``week``: any day of it, default this week)."""

    required_perms = {"GET": Perm.VIEW_TIMETABLE}
    serializer_class = SessionOutput
    filterset_class = None
    ordering_fields = ["starts_at", "id"]
    ordering = ["starts_at", "id"]

    @extend_schema(parameters=[OpenApiParameter("week", str, description="YYYY-MM-DD")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        raw = self.request.query_params.get("week", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day = datetime.now(workspace_zone()).date()
        return academy_selectors.week_sessions(
            user=self.request.user, week_start=academy_selectors.week_start_of(day)
        )


class SessionRosterApi(ApiView):
    required_perms = {"GET": Perm.TAKE_ATTENDANCE}

    @extend_schema(responses=RosterRowOutput(many=True))
    def get(self, request, session_id: int):
        session = academy_selectors.session_get_for_attendance(session_id=session_id, user=request.user)
        return Response(RosterRowOutput(academy_selectors.session_roster(session=session), many=True).data)


class EnrolmentCreateApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_ENROLMENTS}

    @extend_schema(request=EnrolmentInput, responses={201: EnrolmentOutput})
    def post(self, request):
        data = self.input(EnrolmentInput)
        academy_class = academy_selectors.class_get(class_id=data["academy_class"], user=request.user)
        student = academy_selectors.student_get(student_id=data["student"], user=request.user)
        enrolment = enrolment_create(
            academy_class=academy_class,
            student=student,
            waitlist=data["waitlist"],
            user=request.user,
            request=request,
        )
        return Response(EnrolmentOutput(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentDropApi(ApiView):
    required_perms = {"POST": Perm.MANAGE_ENROLMENTS}

    @extend_schema(request=None, responses=EnrolmentOutput)
    def post(self, request, enrolment_id: int):
        enrolment = academy_selectors.enrolment_get(enrolment_id=enrolment_id, user=request.user)
        return Response(
            EnrolmentOutput(enrolment_drop(enrolment=enrolment, user=request.user, request=request)).data
        )


class CheckInCreateApi(ApiView):
    """Check a student in by the text of their QR at a site: 200 when in (or already in), 409
    with the reason when refused."""

    required_perms = {"POST": Perm.CHECK_IN}

    @extend_schema(request=CheckInInput, responses={200: CheckInOutput, 409: CheckInOutput})
    def post(self, request):
        data = self.input(CheckInInput)
        site = academy_selectors.site_get(site_id=data["site"], user=request.user)
        result = checkin_by_token(token=data["token"], site=site, user=request.user, request=request)
        return Response(
            CheckInOutput(result).data, status=status.HTTP_200_OK if result.ok else status.HTTP_409_CONFLICT
        )
