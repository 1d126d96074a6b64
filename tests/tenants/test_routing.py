"""Each host is served from the right schema: bare domain, a workspace, or nobody."""

from django.test import Client

from inventory.services import product_create
from tests.conftest import in_schema


def test_bare_domain_serves_the_public_site(client_for):
    response = client_for(None).get("/")

    assert response.status_code == 200
    assert "Stock, ventas y pronósticos" in response.text


def test_workspace_subdomain_asks_for_sign_in(client_for, workspaces):
    response = client_for(workspaces.alpha).get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_workspace_pages_show_that_workspace_data_only(client_for, workspaces):
    with in_schema(workspaces.alpha):
        product_create(sku="ALPHA-1", name="Producto de Alpha", sale_price=10)
    with in_schema(workspaces.beta):
        product_create(sku="BETA-1", name="Producto de Beta", sale_price=10)
    client = client_for(workspaces.alpha)
    client.post("/accounts/login/", {"login": "owner@alpha.test", "password": "correct-horse-battery-staple"})

    response = client.get("/products/")

    assert response.status_code == 200
    assert "Producto de Alpha" in response.text
    assert "Producto de Beta" not in response.text
    assert "Alpha SRL" in response.text


def test_unknown_subdomain_gets_a_friendly_404(db, workspaces):
    response = Client(HTTP_HOST="nobody-here.localhost").get("/")

    assert response.status_code == 404
    assert "No existe ese espacio de trabajo" in response.text
    assert "nobody-here" in response.text
    assert "Traceback" not in response.text


def test_unknown_subdomain_404_on_any_path(db, workspaces):
    response = Client(HTTP_HOST="nobody-here.localhost").get("/accounts/login/")

    assert response.status_code == 404


def test_django_admin_lives_on_the_bare_domain_only(client_for, workspaces):
    assert client_for(None).get("/admin/login/").status_code == 200
    assert client_for(workspaces.alpha).get("/admin/login/").status_code == 404


def test_static_files_are_served_on_workspace_hosts(client_for, workspaces):
    response = client_for(workspaces.alpha).get("/static/css/app.css")

    assert response.status_code == 200
    assert "--brand-primary" in b"".join(response.streaming_content).decode()
