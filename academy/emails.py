"""Emails of the academy, written in the workspace's language to the student's contact (the
guardian for a minor). Each takes ids and runs inside the workspace's schema (a Celery task)."""

import io

import segno
from django.core.mail import EmailMessage, send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.models import Enrolment, Session, StudentPass
from academy.services.attendance import student_pass_token
from academy.services.common import workspace_zone
from core.emails import email_branding
from tenants.selectors import tenant_current
from tenants.services import workspace_url


def _language() -> str:
    return getattr(connection.tenant, "language", "") or "es"


def enrolment_promoted_email_send(*, enrolment_id: int) -> bool:
    """Tell a student promoted from the waitlist that they have a place; sent once."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("student__guardian", "academy_class")
            .filter(pk=enrolment_id, status=Enrolment.Status.ACTIVE, promotion_notified_at__isnull=True)
            .first()
        )
        if enrolment is None:
            return False
        contact = enrolment.student.contact
        if contact.email:
            branding = email_branding()
            with translation.override(_language()):
                subject = _("You have a place in %(class)s") % {"class": enrolment.academy_class.name}
                body = _(
                    "Hi %(name)s,\n\nA place freed up in %(class)s and it is now %(student)s's. "
                    "See you in class!\n\n%(business)s"
                ) % {
                    "name": contact.full_name,
                    "class": enrolment.academy_class.name,
                    "student": enrolment.student.full_name,
                    "business": branding.name,
                }
            send_mail(subject, body, branding.from_email, [contact.email])
        enrolment.promotion_notified_at = timezone.now()
        enrolment.save(update_fields=["promotion_notified_at"])
    return bool(contact.email)


def session_cancelled_email_send(*, session_id: int) -> int:
    """Tell the students enrolled in a cancelled session; returns how many emails went out."""
    session = Session.objects.select_related("academy_class").filter(pk=session_id).first()
    if session is None or session.status != Session.Status.CANCELLED:
        return 0
    enrolments = Enrolment.objects.filter(
        academy_class_id=session.academy_class_id, status=Enrolment.Status.ACTIVE
    ).select_related("student__guardian")
    branding = email_branding()
    local = timezone.localtime(session.starts_at, workspace_zone())
    sent = 0
    with translation.override(_language()):
        for enrolment in enrolments:
            contact = enrolment.student.contact
            if not contact.email:
                continue
            subject = _("Class cancelled: %(class)s on %(when)s") % {
                "class": session.academy_class.name,
                "when": f"{local:%d/%m %H:%M}",
            }
            body = _("Hi %(name)s,\n\n%(class)s on %(when)s is cancelled%(reason)s.\n\n%(business)s") % {
                "name": contact.full_name,
                "class": session.academy_class.name,
                "when": f"{local:%d/%m %H:%M}",
                "reason": f" ({session.note})" if session.note else "",
                "business": branding.name,
            }
            send_mail(subject, body, branding.from_email, [contact.email])
            sent += 1
    return sent


def student_pass_email_send(*, student_id: int) -> bool:
    """Email a student's QR (as a PNG, and the link of the page to keep on the phone) to their
    contact. Sends the current QR: a rotated pass sends the new one."""
    student_pass = (
        StudentPass.objects.select_related("student__guardian")
        .filter(student_id=student_id, revoked_at__isnull=True)
        .first()
    )
    if student_pass is None or not student_pass.student.contact.email:
        return False
    token = student_pass_token(student_pass=student_pass)
    link = workspace_url(tenant_current(), reverse("academy:student_pass_page", kwargs={"token": token}))
    branding = email_branding()
    contact = student_pass.student.contact
    with translation.override(_language()):
        subject = _("Your check-in QR at %(business)s") % {"business": branding.name}
        body = _(
            "Hi %(name)s,\n\nThis is %(student)s's QR to check in at the front desk. Keep it on your "
            "phone: %(link)s\n\n%(business)s"
        ) % {
            "name": contact.full_name,
            "student": student_pass.student.full_name,
            "link": link,
            "business": branding.name,
        }
    png = io.BytesIO()
    segno.make(token, error="m").save(png, kind="png", scale=8, border=2)
    message = EmailMessage(subject, body, branding.from_email, [contact.email])
    message.attach("qr.png", png.getvalue(), "image/png")
    message.send()
    return True
