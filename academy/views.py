"""Academy screens: home, timetable, classes and enrolment, the teacher's roster, setup,
holidays, students' QR cards and the front desk's check-in."""

from datetime import date, timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy import selectors
from academy.exceptions import AcademyError, AcademyNotFound
from academy.forms import (
    BookingForm,
    ClassForm,
    ClassTypeForm,
    EnrolForm,
    HolidayForm,
    RoomForm,
    SessionChangeForm,
    TeacherForm,
)
from academy.models import Attendance, Holiday, Session
from academy.services import (
    ClassInput,
    attendance_mark,
    booking_create,
    checkin_by_token,
    class_create,
    class_type_create,
    enrolment_create,
    enrolment_drop,
    holiday_create,
    holidays_load,
    room_create,
    session_cancel,
    session_reschedule,
    student_pass_from_token,
    student_pass_get_or_create,
    student_pass_revoke,
    student_pass_rotate,
    student_pass_send,
    student_pass_token,
    teacher_create,
)
from academy.services.common import workspace_zone
from accounts.models import User
from accounts.permissions import Perm, has_perm, permission_required_view
from customers.models import Customer
from inventory.views import home as shop_home
from plans.exceptions import PlanLimitReached
from tenants.models import Tenant


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except AcademyNotFound as missing:
        raise Http404(str(missing)) from None


def _errors_to_form(form, error) -> None:
    if isinstance(error, ValidationError):
        for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, str(error.message))


# --- Home --------------------------------------------------------------------------------------


@login_required
def home_dispatch(request):
    """The workspace's front page: an academy opens on its day of classes, a shop on its sales."""
    if getattr(request.tenant, "kind", "") != Tenant.Kind.ACADEMY:
        return shop_home(request)
    if request.user.role == User.Role.TEACHER:
        return redirect("academy:timetable")
    return academy_home_view(request)


@permission_required_view(Perm.VIEW_TIMETABLE)
def academy_home_view(request):
    home = selectors.academy_home(user=request.user)
    return render(request, "academy/home.html", {"home": home})


# --- Timetable ---------------------------------------------------------------------------------


def _week_of(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate(timezone=workspace_zone())
    return selectors.week_start_of(day)


@permission_required_view(Perm.VIEW_TIMETABLE)
def timetable_view(request):
    week = _week_of(request)
    site = room = teacher = None
    if request.GET.get("site"):
        site = _get(selectors.site_get, site_id=request.GET["site"], user=request.user)
    if request.GET.get("room"):
        room = _get(selectors.room_get, room_id=request.GET["room"], user=request.user)
    if request.GET.get("teacher"):
        teacher = _get(selectors.teacher_get, teacher_id=request.GET["teacher"], user=request.user)
    own = selectors.teacher_of(request.user) if request.user.role == User.Role.TEACHER else None
    if request.GET.get("mine") and own is not None:
        teacher = own
    sessions = selectors.week_sessions(
        user=request.user, week_start=week, site=site, room=room, teacher=teacher
    )
    days = [{"date": week + timedelta(days=n), "sessions": []} for n in range(7)]
    zone = workspace_zone()
    for session in sessions:
        days[timezone.localtime(session.starts_at, zone).weekday()]["sessions"].append(session)
    return render(
        request,
        "academy/timetable.html",
        {
            "days": days,
            "week": week,
            "previous_week": week - timedelta(days=7),
            "next_week": week + timedelta(days=7),
            "sites": selectors.site_list(),
            "rooms": selectors.room_list(),
            "teachers": selectors.teacher_list(),
            "site": site,
            "room": room,
            "teacher": teacher,
            "own_teacher": own,
            "can_mark_any": request.user.role != User.Role.TEACHER
            and has_perm(request.user, Perm.TAKE_ATTENDANCE),
        },
    )


# --- Classes and enrolment ---------------------------------------------------------------------


@permission_required_view(Perm.VIEW_TIMETABLE)
def class_list_view(request):
    site = None
    if request.GET.get("site"):
        site = _get(selectors.site_get, site_id=request.GET["site"], user=request.user)
    return render(
        request,
        "academy/class_list.html",
        {
            "classes": selectors.class_list(user=request.user, site=site),
            "sites": selectors.site_list(),
            "site": site,
            "can_manage": has_perm(request.user, Perm.MANAGE_ACADEMY),
        },
    )


@permission_required_view(Perm.MANAGE_ACADEMY)
def class_create_view(request):
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            academy_class = class_create(
                data=ClassInput(**form.cleaned_data), user=request.user, request=request
            )
        except (AcademyError, ValidationError) as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("%(class)s was created with its sessions.") % {"class": academy_class.name}
            )
            return redirect("academy:class_detail", class_id=academy_class.pk)
    return render(
        request,
        "academy/form.html",
        {"form": form, "title": _("New class"), "back_url": reverse("academy:class_list")},
        status=400 if form.errors else 200,
    )


@permission_required_view(Perm.VIEW_TIMETABLE)
def class_detail_view(request, class_id: int):
    academy_class = _get(selectors.class_get, class_id=class_id, user=request.user)
    can_enrol = has_perm(request.user, Perm.MANAGE_ENROLMENTS)
    upcoming = (
        Session.objects.filter(academy_class=academy_class, ends_at__gte=timezone.now())
        .select_related("room", "teacher")
        .order_by("starts_at")[:12]
    )
    return render(
        request,
        "academy/class_detail.html",
        {
            "academy_class": academy_class,
            "enrolments": selectors.class_enrolments(academy_class=academy_class) if can_enrol else None,
            "upcoming": upcoming,
            "enrol_form": EnrolForm() if can_enrol else None,
            "can_enrol": can_enrol,
        },
    )


@require_POST
@permission_required_view(Perm.MANAGE_ENROLMENTS)
def class_enrol_view(request, class_id: int):
    academy_class = _get(selectors.class_get, class_id=class_id, user=request.user)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a student."))
    else:
        try:
            enrolment = enrolment_create(
                academy_class=academy_class,
                student=form.cleaned_data["student"],
                user=request.user,
                request=request,
            )
        except (AcademyError, PlanLimitReached) as error:
            messages.error(request, str(error.message))
        else:
            if enrolment.status == enrolment.Status.WAITLISTED:
                messages.warning(
                    request,
                    _("%(class)s is full: %(student)s is on the waitlist.")
                    % {"class": academy_class.name, "student": enrolment.student.full_name},
                )
            else:
                messages.success(
                    request,
                    _("%(student)s is enrolled in %(class)s.")
                    % {"class": academy_class.name, "student": enrolment.student.full_name},
                )
    return redirect("academy:class_detail", class_id=academy_class.pk)


@require_POST
@permission_required_view(Perm.MANAGE_ENROLMENTS)
def enrolment_drop_view(request, enrolment_id: int):
    enrolment = _get(selectors.enrolment_get, enrolment_id=enrolment_id, user=request.user)
    enrolment_drop(enrolment=enrolment, user=request.user, request=request)
    messages.success(
        request,
        _("%(student)s left %(class)s.")
        % {"student": enrolment.student.full_name, "class": enrolment.academy_class.name},
    )
    return redirect("academy:class_detail", class_id=enrolment.academy_class_id)


# --- Sessions: roster, bookings, changes -------------------------------------------------------


@permission_required_view(Perm.TAKE_ATTENDANCE)
def session_roster_view(request, session_id: int):
    """The teacher's roster, made for a phone: tap present, late or absent; add a walk-in."""
    session = _get(selectors.session_get_for_attendance, session_id=session_id, user=request.user)
    if request.method == "POST":
        student_id = request.POST.get("student")
        status = request.POST.get("status")
        student = Customer.objects.filter(pk=selectors._as_id(student_id) or 0).first()
        on_roster = {row.student.pk for row in selectors.session_roster(session=session)}
        walk_in = request.POST.get("walk_in") == "1"
        if (
            student is None
            or status not in Attendance.Status.values
            or not (walk_in or student.pk in on_roster)
        ):
            messages.error(request, _("Choose a student and a mark."))
        else:
            attendance_mark(
                session=session,
                student=student,
                status=status,
                walk_in=walk_in,
                user=request.user,
                request=request,
            )
        return redirect("academy:session_roster", session_id=session.pk)
    query = request.GET.get("q", "")
    can_book = has_perm(request.user, Perm.MANAGE_ENROLMENTS)
    return render(
        request,
        "academy/roster.html",
        {
            "session": session,
            "roster": selectors.session_roster(session=session),
            "statuses": Attendance.Status.choices,
            "query": query,
            "found": selectors.student_search(user=request.user, text=query),
            "can_book": can_book,
            "can_change": has_perm(request.user, Perm.MANAGE_ACADEMY),
            "booking_form": BookingForm(session=session) if can_book else None,
        },
    )


@require_POST
@permission_required_view(Perm.MANAGE_ENROLMENTS)
def session_book_view(request, session_id: int):
    session = _get(selectors.session_get, session_id=session_id, user=request.user)
    form = BookingForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Choose a student."))
    else:
        try:
            booking = booking_create(
                session=session,
                student=form.cleaned_data["student"],
                kind=form.cleaned_data["kind"],
                makeup_for=form.cleaned_data["makeup_for"],
                user=request.user,
                request=request,
            )
        except AcademyError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(student)s is booked (%(kind)s).")
                % {"student": booking.student.full_name, "kind": booking.get_kind_display()},
            )
    return redirect("academy:session_roster", session_id=session.pk)


@permission_required_view(Perm.MANAGE_ACADEMY)
def session_change_view(request, session_id: int):
    session = _get(selectors.session_get, session_id=session_id, user=request.user)
    form = SessionChangeForm(
        request.POST or None, initial={"room": session.room_id, "teacher": session.teacher_id}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "cancel":
                session_cancel(session=session, reason=data["reason"], user=request.user, request=request)
            elif data["action"] == "substitute":
                session_reschedule(
                    session=session, teacher=data["teacher"], user=request.user, request=request
                )
            else:
                session_reschedule(
                    session=session,
                    starts_at=data["starts_at"],
                    room=data["room"],
                    user=request.user,
                    request=request,
                )
        except AcademyError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("academy:session_roster", session_id=session.pk)
    return render(
        request,
        "academy/form.html",
        {
            "form": form,
            "title": _("Change %(session)s") % {"session": session.academy_class.name},
            "subtitle": timezone.localtime(session.starts_at),
            "back_url": reverse("academy:session_roster", kwargs={"session_id": session.pk}),
        },
        status=400 if form.errors else 200,
    )


# --- Setup and holidays ------------------------------------------------------------------------


SETUP_FORMS = {"room": RoomForm, "class_type": ClassTypeForm, "teacher": TeacherForm}


@permission_required_view(Perm.MANAGE_ACADEMY)
def setup_view(request):
    forms = {name: form_class(prefix=name) for name, form_class in SETUP_FORMS.items()}
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which not in SETUP_FORMS:
            raise Http404()
        form = forms[which] = SETUP_FORMS[which](request.POST, prefix=which)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "room":
                    created = room_create(user=request.user, request=request, **data)
                elif which == "class_type":
                    created = class_type_create(user=request.user, request=request, **data)
                else:
                    data["user_account"] = data.pop("user")
                    created = teacher_create(user=request.user, request=request, **data)
            except (AcademyError, ValidationError, PlanLimitReached) as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": created})
                return redirect("academy:setup")
        status = 400
    return render(
        request,
        "academy/setup.html",
        {
            "forms": forms,
            "sites": selectors.site_list(),
            "rooms": selectors.room_list(),
            "class_types": selectors.class_type_list(),
            "teachers": selectors.teacher_list(),
        },
        status=status,
    )


@permission_required_view(Perm.MANAGE_ACADEMY)
def holiday_view(request):
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("load_year"):
            site = _get(selectors.site_get, site_id=request.POST.get("site"), user=request.user)
            try:
                year = int(request.POST["load_year"])
            except ValueError:
                raise Http404() from None
            created = holidays_load(site=site, year=year, user=request.user, request=request)
            messages.success(request, _("%(count)s holidays loaded.") % {"count": created})
            return redirect("academy:holidays")
        if form.is_valid():
            holiday_create(
                site=form.cleaned_data["site"],
                day=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
                user=request.user,
                request=request,
            )
            messages.success(request, _("Holiday saved; that day's classes are cancelled."))
            return redirect("academy:holidays")
    return render(
        request,
        "academy/holidays.html",
        {
            "form": form,
            "holidays": Holiday.objects.select_related("site").filter(date__gte=timezone.localdate()),
            "sites": selectors.site_list(),
            "year": timezone.localdate().year,
        },
    )


# --- Students' QR and the front desk -----------------------------------------------------------


def _qr_svg(text: str) -> str:
    """An inline SVG QR code (segno, written here: no image service, no CDN)."""
    return segno.make(text, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")


@permission_required_view(Perm.CHECK_IN)
def student_card_view(request, student_id: int):
    """The student's QR, to print as a card or to keep on the phone."""
    student = _get(selectors.student_get, student_id=student_id, user=request.user)
    student_pass = student_pass_get_or_create(student=student)
    return render(
        request,
        "academy/card.html",
        {
            "student": student,
            "student_pass": student_pass,
            "qr_svg": _qr_svg(student_pass_token(student_pass=student_pass))
            if not student_pass.revoked_at
            else "",
            "history": selectors.student_attendance_history(student=student, limit=20),
            "enrolments": student.enrolments.exclude(status="dropped").select_related("academy_class"),
        },
    )


@require_POST
@permission_required_view(Perm.CHECK_IN)
def student_pass_rotate_view(request, student_id: int):
    student = _get(selectors.student_get, student_id=student_id, user=request.user)
    student_pass_rotate(student=student, user=request.user, request=request)
    messages.success(request, _("New QR issued; the previous one no longer works."))
    return redirect("academy:student_card", student_id=student.pk)


@require_POST
@permission_required_view(Perm.CHECK_IN)
def student_pass_revoke_view(request, student_id: int):
    student = _get(selectors.student_get, student_id=student_id, user=request.user)
    student_pass_revoke(student=student, user=request.user, request=request)
    messages.success(request, _("QR revoked."))
    return redirect("academy:student_card", student_id=student.pk)


@require_POST
@permission_required_view(Perm.CHECK_IN)
def student_pass_send_view(request, student_id: int):
    student = _get(selectors.student_get, student_id=student_id, user=request.user)
    if not student.contact.email:
        messages.error(request, _("%(name)s has no email address.") % {"name": student.contact.full_name})
    else:
        student_pass_send(student=student, user=request.user, request=request)
        messages.success(request, _("QR sent to %(email)s.") % {"email": student.contact.email})
    return redirect("academy:student_card", student_id=student.pk)


def student_pass_page(request, token: str):
    """The student's own QR page, to keep on the phone: no sign-in, the link is the secret (it
    shows what the QR shows). A rotated or revoked QR's page is gone."""
    student_pass = student_pass_from_token(token=token)
    if student_pass is None:
        raise Http404()
    return render(
        request,
        "academy/pass_page.html",
        {"student": student_pass.student, "qr_svg": _qr_svg(token)},
    )


@permission_required_view(Perm.CHECK_IN)
def checkin_view(request):
    """The front desk: pick the site once, then scan. A keyboard-wedge scanner types the QR's text
    and Enter into the box; the answer (green or red, with the name and why) comes back as JSON
    to the page's script, or as a page without JavaScript."""
    sites = list(selectors.site_list())
    site = None
    site_id = (
        request.POST.get("site") or request.GET.get("site") or (sites[0].pk if len(sites) == 1 else None)
    )
    if site_id:
        site = _get(selectors.site_get, site_id=site_id, user=request.user)
    result = None
    if request.method == "POST":
        if site is None:
            raise Http404()
        result = checkin_by_token(
            token=request.POST.get("token", ""), site=site, user=request.user, request=request
        )
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(
                {
                    "ok": result.ok,
                    "code": result.code,
                    "name": result.student_name,
                    "message": str(result.message),
                    "session": result.session.academy_class.name if result.session else None,
                }
            )
    return render(
        request,
        "academy/checkin.html",
        {"sites": sites, "site": site, "result": result, "schema": connection.schema_name},
    )
