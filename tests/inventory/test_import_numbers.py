"""Numbers in imports read the way the file writes them: "4.500" from a Colombian Excel is 4500,
"4,500.00" from a Mexican one is 4500, decided per column from all its values and the workspace's
locale, shown in the preview ("4.500 → 4500,00"); a column that can be read two ways waits for the
importer's choice and nothing is written meanwhile. Files as the region's spreadsheets save them:
Latin-1, semicolons, quoted values."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.imports.values import COMMA, EITHER, POINT, number_parse, number_shape
from inventory.models import ImportJob, Product
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.inventory.test_imports import spanish_catalogue_load, upload
from tests.inventory.test_imports_web import web_client

# The reported file: Spanish Excel in Bogotá, "CSV (delimitado por punto y coma)", Windows-1252.
COLOMBIA = (
    "Código;Nombre;Precio;Costo;Categoría;Código de barras\r\n"
    "AZU-1K;Azúcar 1 kg;4.500;3.100;Despensa;\r\n"
    "CAF-500;Café molido 500 g;18.900;12.400;Despensa;\r\n"
    "ACE-900;Aceite de girasol 900 ml;3.200,50;2.450,75;Despensa;\r\n"
)
# Buenos Aires: same convention, prices with the currency sign and quotes around them.
ARGENTINA = (
    'SKU;Descripción;"Precio de venta";Costo;IVA\r\n'
    'YER-1K;"Yerba mate 1 kg";"$ 4.500";"$ 3.100";21\r\n'
    'ALF-6;"Alfajores x 6";"$ 12.350,50";"$ 8.000";10,5\r\n'
)
# Ciudad de México: commas group thousands, quoted because the delimiter is a comma too.
MEXICO = (
    "SKU,Nombre,Precio,Costo,IVA\r\n"
    '"AZU-1K","Azúcar 1 kg","4,500","3,100",16\r\n'
    '"TOR-1K","Tortillas 1 kg","1,250.50","980.25",0\r\n'
)
# The United States: the same, plus a price under a thousand with cents.
UNITED_STATES = (
    "sku,name,price,cost,tax\r\n"
    '"SUG-1K","Sugar 1 kg","4,500","3,100",8.25\r\n'
    '"CHO-1","Chocolate bar","2.99","1.10",8.25\r\n'
)


@pytest.fixture(autouse=True)
def _imports_setup(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    spanish_catalogue_load()


def workspace_in(tenant, *, country, language="es", currency="USD"):
    Tenant.objects.filter(pk=tenant.pk).update(country=country, language=language, currency=currency)


def upload_file(client, content, *, encoding="cp1252", name="productos.csv"):
    response = client.post(
        reverse("workspace:import_list"), {"kind": "products", "file": upload(content, name, encoding)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def import_file(client, detail_url):
    job_id = int(detail_url.rstrip("/").rsplit("/", 1)[-1])
    return client.post(reverse("workspace:import_run", args=[job_id]), {"dry_run": "0"}, follow=True)


def prices(tenant, *skus):
    with in_schema(tenant):
        return {
            sku: (sale_price, cost)
            for sku, sale_price, cost in Product.objects.filter(sku__in=skus).values_list(
                "sku", "sale_price", "cost"
            )
        }


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("4.500", EITHER),
        ("4,500", EITHER),
        ("3.200,50", COMMA),
        ("1,234.56", POINT),
        ("1.234.567", COMMA),
        ("1,234,567", POINT),
        ("12,5", COMMA),
        ("0.500", POINT),
        ("4500", None),
        ("$ 4.500", EITHER),
    ],
)
def test_each_written_number_says_what_it_can_about_its_convention(text, shape):
    assert number_shape(text) == shape


def test_a_number_written_the_other_way_is_refused_instead_of_misread():
    assert number_parse("4.500", COMMA) == Decimal("4500")
    assert number_parse("4.500", POINT) == Decimal("4.5")
    with pytest.raises(ValueError):
        number_parse("1,234.56", COMMA)
    with pytest.raises(ValueError):
        number_parse("1.234,56", POINT)


def test_colombia_latin1_semicolon_file_reads_4_500_as_four_thousand_five_hundred(
    client_for, workspaces, owner
):
    tenant = workspaces.alpha
    workspace_in(tenant, country="CO", currency="COP")
    client = web_client(client_for, tenant, owner)

    detail_url = upload_file(client, COLOMBIA)
    page = client.get(detail_url).content.decode()
    assert "Latin-1" in page and "punto y coma" in page
    assert '4.500 <span class="import-read">→ 4500,00</span>' in page
    assert '3.200,50 <span class="import-read">→ 3200,50</span>' in page

    imported = import_file(client, detail_url)
    assert "El archivo se importó." in imported.content.decode()
    assert prices(tenant, "AZU-1K", "CAF-500", "ACE-900") == {
        "AZU-1K": (Decimal("4500.00"), Decimal("3100.00")),
        "CAF-500": (Decimal("18900.00"), Decimal("12400.00")),
        "ACE-900": (Decimal("3200.50"), Decimal("2450.75")),
    }


def test_colombia_file_with_only_thousands_follows_the_workspace_locale(client_for, workspaces, owner):
    tenant = workspaces.alpha
    workspace_in(tenant, country="CO", currency="COP")
    client = web_client(client_for, tenant, owner)

    detail_url = upload_file(client, "Código;Nombre;Precio\r\nAZU-1K;Azúcar 1 kg;4.500\r\n")
    import_file(client, detail_url)

    assert prices(tenant, "AZU-1K") == {"AZU-1K": (Decimal("4500.00"), Decimal("0.00"))}


def test_argentina_prices_with_currency_sign_and_quotes(client_for, workspaces, owner):
    tenant = workspaces.alpha
    workspace_in(tenant, country="AR", currency="ARS")
    client = web_client(client_for, tenant, owner)

    import_file(client, upload_file(client, ARGENTINA))

    assert prices(tenant, "YER-1K", "ALF-6") == {
        "YER-1K": (Decimal("4500.00"), Decimal("3100.00")),
        "ALF-6": (Decimal("12350.50"), Decimal("8000.00")),
    }
    with in_schema(tenant):
        assert Product.objects.get(sku="ALF-6").tax_rate == Decimal("10.5")


def test_mexico_commas_group_thousands(client_for, workspaces, owner):
    tenant = workspaces.alpha
    workspace_in(tenant, country="MX", currency="MXN")
    client = web_client(client_for, tenant, owner)

    detail_url = upload_file(client, MEXICO, encoding="utf-8")
    assert '4,500 <span class="import-read">→ 4500.00</span>' in client.get(detail_url).content.decode()
    import_file(client, detail_url)

    assert prices(tenant, "AZU-1K", "TOR-1K") == {
        "AZU-1K": (Decimal("4500.00"), Decimal("3100.00")),
        "TOR-1K": (Decimal("1250.50"), Decimal("980.25")),
    }


def test_united_states_commas_group_thousands(client_for, workspaces, owner):
    tenant = workspaces.alpha
    workspace_in(tenant, country="US", language="en", currency="USD")
    client = web_client(client_for, tenant, owner, language="en")

    detail_url = upload_file(client, UNITED_STATES, encoding="utf-8")
    assert '4,500 <span class="import-read">→ 4500.00</span>' in client.get(detail_url).content.decode()
    import_file(client, detail_url)

    assert prices(tenant, "SUG-1K", "CHO-1") == {
        "SUG-1K": (Decimal("4500.00"), Decimal("3100.00")),
        "CHO-1": (Decimal("2.99"), Decimal("1.10")),
    }


def test_an_ambiguous_column_waits_for_the_importers_choice_and_nothing_is_written(
    client_for, workspaces, owner
):
    """A Colombian workspace gets a file whose costs are written the English way ("1,250.50"):
    its prices ("4.500") could be 4.5 or 4500, so the importer says which."""
    tenant = workspaces.alpha
    workspace_in(tenant, country="CO", currency="COP")
    client = web_client(client_for, tenant, owner)
    content = 'sku,name,price,cost\r\nAZU-1K,Sugar,4.500,"1,250.50"\r\nSAL-1K,Salt,2.300,"1,100.00"\r\n'

    detail_url = upload_file(client, content, encoding="utf-8")
    page = client.get(detail_url).content.decode()
    assert "elegí una" in page or "elige una" in page
    assert "4.500 <span" not in page  # nothing shown as read while ambiguous

    refused = import_file(client, detail_url).content.decode()
    assert "Elige cómo escribe sus números la columna “price”" in refused
    with in_schema(tenant):
        assert not Product.objects.filter(sku__in=["AZU-1K", "SAL-1K"]).exists()
        assert ImportJob.objects.get().status == ImportJob.Status.UPLOADED

    job_id = int(detail_url.rstrip("/").rsplit("/", 1)[-1])
    client.post(
        reverse("workspace:import_numbers", args=[job_id]), {"column-2": "comma", "column-3": "point"}
    )
    import_file(client, detail_url)

    assert prices(tenant, "AZU-1K", "SAL-1K") == {
        "AZU-1K": (Decimal("4500.00"), Decimal("1250.50")),
        "SAL-1K": (Decimal("2300.00"), Decimal("1100.00")),
    }


def test_a_value_written_the_other_way_in_a_decided_column_is_an_error_not_a_misreading(
    client_for, workspaces, owner
):
    tenant = workspaces.alpha
    workspace_in(tenant, country="CO", currency="COP")
    client = web_client(client_for, tenant, owner)
    content = 'sku;nombre;precio\r\nA-1;Uno;1.234,50\r\nA-2;Dos;"1,234.50"\r\nA-3;Tres;2.000,00\r\n'

    detail_url = upload_file(client, content)
    job_id = int(detail_url.rstrip("/").rsplit("/", 1)[-1])
    # Both conventions in one column: the importer chooses, and the odd value is then reported.
    client.post(reverse("workspace:import_numbers", args=[job_id]), {"column-2": "comma"})
    page = import_file(client, detail_url).content.decode()

    assert "“1,234.50” no es un número escrito como 1.234,56." in page
    with in_schema(tenant):
        assert not Product.objects.filter(sku__startswith="A-").exists()
