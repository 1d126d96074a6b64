"""`make run`'s demo platform (`manage.py seed_demo`): what a new user finds behind the printed logins."""

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django_tenants.utils import schema_context

from academy.demo import TEACHER_LOGIN
from academy.models import AcademyClass
from accounts.models import User
from customers.models import Customer
from demo.seed import DEMO_WORKSPACES, SUPERADMIN_EMAIL, demo_password
from forecasts.models import SeriesForecast
from inventory.models import Product, Sale
from orders.models import MenuItem, Order
from tenants.models import Tenant


def _can_sign_in(email: str) -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=email, password=demo_password()) is not None


def test_the_demo_shop_has_a_catalogue_a_sales_history_and_forecasts(db, demo_platform):
    with schema_context(demo_platform["demo-shop"].schema_name):
        assert Product.objects.filter(is_active=True).count() >= 5
        assert Sale.objects.count() > 300  # two years of daily sales
        assert SeriesForecast.objects.exists()  # the first forecast run is done
        assert MenuItem.objects.exists() and Order.objects.count() == 4  # /pedir/ and the board
        assert _can_sign_in("owner@demo-shop.example.com")


def test_every_printed_login_works_and_a_second_run_changes_nothing(demo_platform, django_db_blocker, capsys):
    with django_db_blocker.unblock():
        with schema_context(demo_platform["demo-shop"].schema_name):
            sales = Sale.objects.count()
        call_command("seed_demo")  # typed again by `make run`
        call_command("seed_demo", "--print-only")
        printed = capsys.readouterr().out

        assert Tenant.objects.filter(slug__in=[demo.slug for demo in DEMO_WORKSPACES]).count() == 2
        with schema_context(demo_platform["demo-shop"].schema_name):
            assert Sale.objects.count() == sales
        with schema_context("public"):
            assert User.objects.get(email=SUPERADMIN_EMAIL).is_superuser
        for demo in DEMO_WORKSPACES:
            assert demo.owner_email in printed
            assert f"http://{demo.slug}." in printed
            with schema_context(demo_platform[demo.slug].schema_name):
                assert _can_sign_in(demo.owner_email)
        assert SUPERADMIN_EMAIL in printed and demo_password() in printed


def test_the_demo_academy_has_classes_students_and_a_teacher_who_signs_in(db, demo_platform):
    with schema_context(demo_platform["demo-academy"].schema_name):
        assert AcademyClass.objects.count() >= 10
        assert Customer.objects.count() >= 100
        assert _can_sign_in(TEACHER_LOGIN)


def test_both_demo_workspaces_have_a_whatsapp_number_and_answered_conversations(db, demo_platform):
    from messaging.models import Conversation, Message, WhatsAppAccount  # noqa: PLC0415  (the one messaging check)
    from whatsapp_routes.selectors import tenant_for_phone_number_id  # noqa: PLC0415

    for slug in ("demo-shop", "demo-academy"):
        with schema_context(demo_platform[slug].schema_name):
            account = WhatsAppAccount.objects.get()
            assert Conversation.objects.count() == 3
            assert Message.objects.filter(direction="out", from_assistant=True, status="sent").exists()
            assert Conversation.objects.filter(handed_over_at__isnull=False).exists()
        assert tenant_for_phone_number_id(account.phone_number_id).slug == slug
