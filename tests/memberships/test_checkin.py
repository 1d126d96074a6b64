"""What students bought, at the door: the check-in consumes a credit of the pack that expires first
or counts against the membership's week, and refuses with the reason and what to buy."""

from datetime import timedelta

from django.utils import timezone

from academy.models import Attendance, Session
from academy.services import (
    checkin_by_token,
    class_type_create,
    enrolment_create,
    student_pass_get_or_create,
    student_pass_token,
)
from academy.services.common import workspace_zone
from inventory.models import Sale
from inventory.services import sale_return, sale_void
from memberships.models import Entitlement, EntitlementUse
from memberships.services import entitlement_freeze
from tests.academy.test_attendance import scan
from tests.customers.fixtures import web_client


def token_of(student):
    return student_pass_token(student_pass=student_pass_get_or_create(student=student))


def next_week_sessions(academy_class):
    """Monday and Tuesday of next week (one ISO week, whatever today is)."""
    today = timezone.localdate(timezone=workspace_zone())
    monday = today + timedelta(days=7 - today.weekday())
    return [
        Session.objects.get(academy_class=academy_class, slot_date=monday),
        Session.objects.get(academy_class=academy_class, slot_date=monday + timedelta(days=1)),
    ]


def test_a_pack_sold_to_a_student_lets_them_in_and_consumes_one_class(
    client_for, academy, staff, site, session_now, make_student, make_offer, sell
):
    pack = make_offer("Paquete 8 clases", credits=8, valid_days=60)
    ana = make_student("Ana Paquete")
    sold = sell(pack, ana, amount_tendered="150000")
    client = web_client(client_for, academy, staff)

    first = scan(client, site, token_of(ana))
    again = scan(client, site, token_of(ana))

    assert sold.sale.total == 120000 and sold.sale.customer_name == "Ana Paquete"
    assert sold.sale.change_due == 30000 and sold.entitlement.sale_line.sale == sold.sale
    assert first["ok"] and first["code"] == "checked_in" and "Paquete 8 clases" in first["message"]
    assert again["ok"] and again["code"] == "already_checked_in"
    entitlement = Entitlement.objects.get(student=ana)
    assert entitlement.credits_used == 1 and entitlement.credits_left == 7
    use = EntitlementUse.objects.get()
    assert use.session == session_now and use.entitlement == entitlement


def test_the_pack_that_expires_first_is_used_first(
    academy, site, staff, session_now, make_student, make_offer, sell
):
    long_pack = make_offer("Paquete largo", credits=4, valid_days=90)
    short_pack = make_offer("Paquete corto", credits=4, valid_days=10)
    first_use_pack = make_offer(
        "Paquete desde la primera clase", credits=4, valid_days=5, valid_from="first_use"
    )
    student = make_student()
    for offer in (first_use_pack, long_pack, short_pack):
        sell(offer, student)

    result = checkin_by_token(token=token_of(student), site=site, user=staff)

    assert result.ok
    used = dict(Entitlement.objects.values_list("offer__name", "credits_used"))
    assert used == {"Paquete largo": 0, "Paquete corto": 1, "Paquete desde la primera clase": 0}


def test_a_pack_valid_from_its_first_class_starts_its_clock_then(
    academy, site, staff, session_now, make_student, make_offer, sell
):
    pack = make_offer("Paquete flexible", credits=2, valid_days=30, valid_from="first_use")
    student = make_student()
    sold = sell(pack, student)
    assert sold.entitlement.starts_on is None and sold.entitlement.ends_on is None

    checkin_by_token(token=token_of(student), site=site, user=staff)

    sold.entitlement.refresh_from_db()
    today = timezone.localdate(timezone=workspace_zone())
    assert sold.entitlement.starts_on == today and sold.entitlement.ends_on == today + timedelta(days=29)


def test_a_membership_counts_against_its_weekly_allowance(
    academy, site, staff, class_now, make_student, make_offer, sell
):
    membership = make_offer(
        "Mensualidad 1 clase por semana", kind="membership", price="90000", weekly_limit=1
    )
    student = make_student("Mateo Mensual")
    sell(membership, student)
    monday, tuesday = next_week_sessions(class_now)

    first = checkin_by_token(token=token_of(student), site=site, user=staff, now=monday.starts_at)
    second = checkin_by_token(token=token_of(student), site=site, user=staff, now=tuesday.starts_at)

    assert first.ok and first.session == monday
    assert not second.ok and second.code == "weekly_limit_reached"
    assert "Mensualidad 1 clase por semana" in second.message
    assert not Attendance.objects.filter(session=tuesday).exists()
    assert EntitlementUse.objects.count() == 1


def test_an_unlimited_membership_only_for_other_class_types_does_not_cover(
    academy, site, staff, session_now, make_student, make_offer, sell
):
    tango = class_type_create(style="Tango", level="", colour="#111111")
    membership = make_offer("Ilimitado tango", kind="membership", class_types=(tango,))
    drop_in = make_offer("Clase suelta", kind="drop_in", price="20000")
    student = make_student()
    sell(membership, student)

    result = checkin_by_token(token=token_of(student), site=site, user=staff)

    assert not result.ok and result.code == "not_enrolled"
    assert "Salsa ahora" in result.message and drop_in.name in result.message
    assert "Ilimitado tango" not in result.message  # not offered: another class type
    assert not Attendance.objects.exists() and not EntitlementUse.objects.exists()


def test_nothing_left_is_refused_with_what_to_buy_and_nothing_changes(
    client_for, academy, staff, site, class_now, make_student, make_offer, sell
):
    pack = make_offer("Paquete 1 clase", credits=1, valid_days=30)
    make_offer("Clase suelta", kind="drop_in", price="20000")
    student = make_student("Sofía Sin Clases")
    sell(pack, student)
    monday, tuesday = next_week_sessions(class_now)
    assert checkin_by_token(token=token_of(student), site=site, user=staff, now=monday.starts_at).ok

    refused = checkin_by_token(token=token_of(student), site=site, user=staff, now=tuesday.starts_at)

    assert not refused.ok and refused.code == "no_classes_left"
    assert "Paquete 1 clase" in refused.message and "Clase suelta" in refused.message
    assert "20.000" in refused.message
    assert Entitlement.objects.get().credits_used == 1
    assert not Attendance.objects.filter(session=tuesday).exists()


def test_an_enrolled_student_spends_no_credit(
    academy, site, staff, session_now, make_student, make_offer, sell
):
    student = make_student()
    enrolment_create(academy_class=session_now.academy_class, student=student)
    sell(make_offer("Paquete 4", credits=4, valid_days=30), student)

    assert checkin_by_token(token=token_of(student), site=site, user=staff).ok
    assert Entitlement.objects.get().credits_used == 0


def test_a_voided_sale_takes_the_pack_away(
    academy, owner, site, staff, session_now, make_student, make_offer, sell
):
    student = make_student()
    sold = sell(make_offer("Paquete anulado", credits=4, valid_days=30), student)
    sale_void(sale=sold.sale, user=owner, reason="Error de caja")

    result = checkin_by_token(token=token_of(student), site=site, user=staff)

    assert Sale.objects.get().status == "voided"
    assert not result.ok and result.code == "not_enrolled"
    assert not Attendance.objects.exists()


def test_a_refunded_pack_no_longer_lets_the_student_in(
    academy, owner, site, staff, session_now, make_student, make_offer, sell
):
    student = make_student()
    sold = sell(make_offer("Paquete devuelto", credits=4, valid_days=30), student)
    sale_return(sale=sold.sale, user=owner, reason="El estudiante se retiró")

    result = checkin_by_token(token=token_of(student), site=site, user=staff)

    assert not result.ok and result.code == "not_enrolled"
    assert not Attendance.objects.exists() and Entitlement.objects.get().credits_used == 0


def test_a_paused_membership_refuses_and_its_month_ends_later(
    academy, owner, site, staff, session_now, make_student, make_offer, sell
):
    student = make_student()
    sold = sell(make_offer("Mensualidad ilimitada", kind="membership", price="150000"), student)
    ends_before = sold.entitlement.ends_on
    today = timezone.localdate(timezone=workspace_zone())

    entitlement_freeze(
        entitlement=sold.entitlement,
        starts_on=today,
        ends_on=today + timedelta(days=6),
        reason="Viaje",
        user=owner,
    )
    result = checkin_by_token(token=token_of(student), site=site, user=staff)

    assert not result.ok and result.code == "membership_paused"
    assert sold.entitlement.ends_on == ends_before + timedelta(days=7)
    assert not Attendance.objects.exists()


def test_a_membership_renewed_early_starts_when_the_current_one_ends(academy, make_student, make_offer, sell):
    membership = make_offer("Mensualidad", kind="membership", price="150000")
    student = make_student()
    current = sell(membership, student).entitlement
    renewal = sell(membership, student).entitlement

    assert renewal.starts_on == current.ends_on + timedelta(days=1)
    assert renewal.sale_line.sale.number == current.sale_line.sale.number + 1
