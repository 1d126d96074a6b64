"""Forms of the academy screens: they validate input; the views call the services."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import Booking, ClassType, Room, Session, Teacher
from academy.selectors import room_list, site_list, teacher_list
from accounts.models import User
from customers.models import Customer

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class RoomForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=site_list())
    name = forms.CharField(label=_("Name"), max_length=80)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000, initial=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_list()


class ClassTypeForm(forms.Form):
    style = forms.CharField(label=_("Style"), max_length=80)
    level = forms.CharField(label=_("Level"), max_length=60, required=False)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    default_duration_minutes = forms.IntegerField(
        label=_("Default duration (minutes)"), min_value=15, max_value=600, initial=60
    )
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#2563eb",
        widget=forms.TextInput(attrs={"type": "color"}),
    )


class TeacherForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    user = forms.ModelChoiceField(
        label=_("Signs in as"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A team member with the Teacher role; leave empty for a teacher who does not sign in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role=User.Role.TEACHER, is_active=True, teacher__isnull=True
        )


class ClassForm(forms.Form):
    class_type = forms.ModelChoiceField(label=_("Class type"), queryset=ClassType.objects.none())
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("e.g. Salsa caleña I · Lunes y miércoles")
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=600, initial=60
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000, initial=15)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term = forms.CharField(label=_("Term"), max_length=40, required=False, help_text=_("e.g. 2026-I"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_type"].queryset = ClassType.objects.order_by("style", "level")
        self.fields["room"].queryset = room_list()
        self.fields["teacher"].queryset = teacher_list()


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.document_number})" if obj.document_number else obj.full_name


class EnrolForm(forms.Form):
    student = StudentChoiceField(label=_("Student"), queryset=Customer.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Customer.objects.active().order_by("full_name")


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        local = timezone.localtime(obj.starts_at)
        return f"{obj.academy_class.name} · {local:%d/%m %H:%M}"


class BookingForm(EnrolForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Booking.Kind.choices)
    makeup_for = SessionChoiceField(
        label=_("Makes up for"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("For a makeup: the missed session of the student's own class."),
    )

    def __init__(self, *args, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            # Sessions of the same class type in the last 30 days, or cancelled ones.
            self.fields["makeup_for"].queryset = (
                Session.objects.filter(academy_class__class_type_id=session.academy_class.class_type_id)
                .filter(
                    Q(starts_at__gte=timezone.now() - timedelta(days=30), starts_at__lt=timezone.now())
                    | Q(status=Session.Status.CANCELLED)
                )
                .exclude(academy_class_id=session.academy_class_id)
                .select_related("academy_class")
                .order_by("-starts_at")
            )


class SessionChangeForm(forms.Form):
    ACTIONS = [
        ("move", _("Move or change room")),
        ("substitute", _("Substitute teacher")),
        ("cancel", _("Cancel")),
    ]
    action = forms.ChoiceField(label=_("Change"), choices=ACTIONS)
    starts_at = forms.DateTimeField(
        label=_("New start"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = room_list()
        self.fields["teacher"].queryset = teacher_list()


class HolidayForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Room.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_list()
