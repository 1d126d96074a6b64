"""Payment reminders: before a charge is due, on the due date and a week late, one email per account
and stage in the workspace's language, with a link to stop them. Safe to run twice a day (a
reminder is recorded once per charge and stage)."""

from collections import defaultdict
from datetime import date, timedelta

from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.services.common import workspace_zone
from core.emails import email_branding
from core.money import money_text
from fees.models import Charge, Reminder, ReminderOptOut
from fees.services import charges_with_open_amount

BEFORE_DAYS = 3
LATE_DAYS = 7


def _salt() -> str:
    return f"fees.reminders:{connection.schema_name}"


def unsubscribe_token(payer_id: int) -> str:
    return signing.dumps(payer_id, salt=_salt())


def unsubscribe_payer_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=_salt()))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _stage(charge: Charge, today: date) -> str | None:
    if charge.due_on - timedelta(days=BEFORE_DAYS) <= today < charge.due_on:
        return Reminder.Stage.BEFORE_DUE
    if charge.due_on <= today < charge.due_on + timedelta(days=LATE_DAYS):
        return Reminder.Stage.ON_DUE
    if charge.due_on + timedelta(days=LATE_DAYS) <= today <= charge.due_on + timedelta(days=30):
        return Reminder.Stage.LATE
    return None


def reminders_send(*, today: date | None = None, base_url: str = "") -> int:
    """Send the reminders due today; returns how many emails went out."""
    today = today or timezone.localdate(timezone=workspace_zone())
    opted_out = set(ReminderOptOut.objects.values_list("payer_id", flat=True))
    charges = (
        charges_with_open_amount(
            Charge.objects.filter(
                due_on__gte=today - timedelta(days=30), due_on__lte=today + timedelta(days=BEFORE_DAYS)
            )
        )
        .filter(open_amount__gt=0)
        .select_related("payer", "student")
    )
    done = set(Reminder.objects.filter(charge__in=charges).values_list("charge_id", "stage"))
    batches = defaultdict(list)
    for charge in charges:
        stage = _stage(charge, today)
        if stage and (charge.pk, stage) not in done:
            batches[(charge.payer_id, stage)].append(charge)
    branding = email_branding()
    language = getattr(connection.tenant, "language", "") or "es"
    sent = 0
    for (payer_id, stage), owed in batches.items():
        payer = owed[0].payer
        email = "" if payer_id in opted_out else payer.email
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create(
                    [Reminder(charge=c, stage=stage, sent_at=timezone.now(), email=email) for c in owed]
                )
        except IntegrityError:  # another run sent this one
            continue
        if not email:
            continue
        with translation.override(language):
            subject = {
                Reminder.Stage.BEFORE_DUE: _("Your payment is due soon"),
                Reminder.Stage.ON_DUE: _("Your payment is due today"),
                Reminder.Stage.LATE: _("Your payment is a week late"),
            }[stage]
            lines = "\n".join(
                f"- {c.description} · {c.student.full_name}: {money_text(c.open_amount)} "
                f"({c.due_on:%d/%m/%Y})"
                for c in owed
            )
            link = base_url + reverse("fees:unsubscribe", args=[unsubscribe_token(payer_id)])
            body = _("Hi %(name)s,\n\n%(lines)s\n\nTo stop these reminders: %(link)s\n\n%(business)s") % {
                "name": payer.full_name,
                "lines": lines,
                "link": link,
                "business": branding.name,
            }
        send_mail(subject, body, branding.from_email, [email])
        sent += 1
    return sent
