"""The import screens: upload, preview, dry run, import, the status endpoint; the role table over
every view, another workspace's session refused and another workspace's imports unreachable."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.models import User
from accounts.permissions import ROLE_PERMISSIONS, Perm
from inventory.imports.services import import_job_create
from inventory.models import ImportJob, Product
from tests.conftest import in_schema
from tests.inventory.test_imports import spanish_catalogue_load, upload

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PATH = "/accounts/login/"
PRODUCTS_CSV = "sku;nombre;precio\nWEB-1;Mate de calabaza;5.500,00\nWEB-2;Bombilla;1200\n"


@pytest.fixture(autouse=True)
def _imports_setup(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    spanish_catalogue_load()


def web_client(client_for, tenant, user, *, language="es"):
    """A client on ``tenant``'s host signed in as ``user`` (the session lives in that schema)."""
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with in_schema(tenant):
        client.force_login(user, backend=SIGN_IN_BACKEND)
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


@pytest.fixture
def job(alpha, owner):
    return import_job_create(user=owner, kind=ImportJob.Kind.PRODUCTS, file=upload(PRODUCTS_CSV))


# name, method, data (a callable of the job: POST bodies)
VIEWS = [
    ("import_list", "get", None),
    ("import_list", "post", lambda job: {"kind": "products", "file": upload(PRODUCTS_CSV)}),
    ("import_detail", "get", None),
    ("import_run", "post", lambda job: {"dry_run": "1"}),
    ("import_status", "get", None),
]


def url_of(name, job) -> str:
    return (
        reverse(f"workspace:{name}") if name == "import_list" else reverse(f"workspace:{name}", args=[job.pk])
    )


def call(client, method, url, data=None):
    return client.post(url, data or {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method", "data"), VIEWS, ids=[f"{v[0]}-{v[1]}" for v in VIEWS])
def test_each_import_view_follows_the_role_table(
    client_for, workspaces, job, owner, admin, staff, name, method, data
):
    url = url_of(name, job)

    assert is_login_redirect(call(client_for(workspaces.alpha), method, url, data and data(job)))  # anonymous
    for user in (owner, admin, staff):
        response = call(web_client(client_for, workspaces.alpha, user), method, url, data and data(job))
        if Perm.IMPORT_DATA in ROLE_PERMISSIONS[user.role]:
            assert response.status_code in (200, 302), (user.role, response.status_code)
            assert not is_login_redirect(response)
        else:
            assert response.status_code == 403, (user.role, response.status_code)


@pytest.mark.parametrize(("name", "method", "data"), VIEWS, ids=[f"{v[0]}-{v[1]}" for v in VIEWS])
def test_another_workspaces_session_is_refused_on_import_views(
    client_for, workspaces, job, name, method, data
):
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
    beta_client = web_client(client_for, workspaces.beta, beta_owner)
    alpha_client = client_for(workspaces.alpha)
    alpha_client.cookies = beta_client.cookies  # beta's session cookie on alpha's host

    assert is_login_redirect(call(alpha_client, method, url_of(name, job), data and data(job)))


@pytest.mark.parametrize("name", ["import_detail", "import_run", "import_status"])
def test_another_workspaces_import_is_not_found(client_for, workspaces, owner, name):
    with in_schema(workspaces.beta):
        with connection.cursor() as cursor:  # beta's id must name nothing in alpha
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('inventory_importjob', 'id'), "
                "nextval(pg_get_serial_sequence('inventory_importjob', 'id')) + 100000)"
            )
        beta_owner = User.objects.get(email="owner@beta.test")
        beta_job = import_job_create(user=beta_owner, kind=ImportJob.Kind.PRODUCTS, file=upload(PRODUCTS_CSV))
    client = web_client(client_for, workspaces.alpha, owner)

    response = call(
        client, "post" if name == "import_run" else "get", url_of(name, beta_job), {"dry_run": "0"}
    )

    assert response.status_code == 404
    with in_schema(workspaces.beta):
        assert ImportJob.objects.get(pk=beta_job.pk).status == ImportJob.Status.UPLOADED
        assert not Product.objects.filter(sku="WEB-1").exists()


def test_upload_preview_dry_run_and_import_through_the_screens(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)

    response = client.post(
        reverse("workspace:import_list"), {"kind": "products", "file": upload(PRODUCTS_CSV)}
    )
    assert response.status_code == 302
    with in_schema(workspaces.alpha):
        job = ImportJob.objects.get()
    detail = client.get(response["Location"])
    page = detail.content.decode()
    assert "punto y coma" in page and "UTF-8" in page  # the detected delimiter and encoding
    # Each column's field, detected from its header and editable before the check.
    assert '<option value="sku" selected>SKU</option>' in page
    assert (
        '<option value="sale_price" selected>Precio de venta</option>' in page and "Mate de calabaza" in page
    )

    checked = client.post(reverse("workspace:import_run", args=[job.pk]), {"dry_run": "1"}, follow=True)
    assert "El archivo no tiene errores; todavía no se importó nada." in checked.content.decode()
    with in_schema(workspaces.alpha):
        assert not Product.objects.filter(sku__startswith="WEB-").exists()

    imported = client.post(reverse("workspace:import_run", args=[job.pk]), {"dry_run": "0"}, follow=True)
    assert "El archivo se importó." in imported.content.decode()
    with in_schema(workspaces.alpha):
        assert Product.objects.get(sku="WEB-1").sale_price == 5500

    status = client.get(reverse("workspace:import_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and not status["active"]


def test_bad_rows_are_listed_on_the_page_with_their_lines(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)
    client.post(
        reverse("workspace:import_list"),
        {"kind": "products", "file": upload("sku,name,price\nA,Uno,x\n,Dos,1\n")},
    )
    with in_schema(workspaces.alpha):
        job = ImportJob.objects.get()

    page = client.post(reverse("workspace:import_run", args=[job.pk]), {"dry_run": "0"}, follow=True)

    text = page.content.decode()
    assert "Problemas encontrados: 2. No se importó nada." in text
    assert "“x” no es un número." in text and "Este dato es obligatorio." in text
    with in_schema(workspaces.alpha):
        assert not Product.objects.filter(sku="A").exists()


def test_an_unreadable_upload_is_shown_on_the_form(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)

    response = client.post(
        reverse("workspace:import_list"), {"kind": "products", "file": upload(b"", "x.csv")}
    )

    assert response.status_code == 200
    with in_schema(workspaces.alpha):
        assert not ImportJob.objects.exists()


def test_a_running_import_shows_a_progress_bar_that_polls_the_status_endpoint(
    client_for, workspaces, job, owner
):
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, progress=7)
    client = web_client(client_for, workspaces.alpha, owner)

    page = client.get(reverse("workspace:import_detail", args=[job.pk])).content.decode()
    status = client.get(reverse("workspace:import_status", args=[job.pk])).json()

    assert f'data-status-url="{reverse("workspace:import_status", args=[job.pk])}"' in page
    assert '<progress max="100" value="7"' in page and "inventory/imports" in page and ".js" in page
    assert "Revisar sin importar" not in page  # no second run while one is under way
    assert (status["status"], status["progress"], status["active"]) == ("running", 7, True)
