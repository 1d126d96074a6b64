"""Imports (services): products, opening stock and sales history from CSV and Excel; every bad row
reported with its line and reason in Spanish, nothing written when any row is bad, dry runs, plan
limits, the audit log, and the real UCI Online Retail sample (and a corrupted copy of it)."""

import csv
import gzip
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import trans_real
from openpyxl import Workbook

from audit.models import AuditEvent
from inventory.dates import workspace_today
from inventory.exceptions import InvalidInput, InvalidStatus
from inventory.imports.selectors import import_job_progress
from inventory.imports.services import import_job_create, import_job_run, import_job_start, progress_key
from inventory.models import (
    Category,
    DocumentCounter,
    ImportJob,
    Product,
    Sale,
    SaleLine,
    SaleReturn,
    StockLevel,
    StockMovement,
)
from inventory.selectors import sales_history
from plans.models import Plan
from tenants.models import Tenant
from tests.inventory.conftest import on_hand
from tests.inventory.factories import ProductFactory

ROOT = Path(__file__).resolve().parents[2]
UCI_SAMPLE = ROOT / "tests" / "fixtures" / "data" / "uci_online_retail_40k_row_sample.csv.gz"
TRANSLATIONS = ROOT / "inventory" / "imports" / "TRANSLATIONS_ES.txt"


def spanish_catalogue_load() -> None:
    """Add this package's translations (TRANSLATIONS_ES.txt) to the Spanish catalogue when the
    compiled one does not have them yet (until the lead merges them into locale/es)."""
    catalog = trans_real.translation("es")._catalog
    for line in TRANSLATIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            msgid, msgstr = line.split("\t")
            if catalog.get(msgid) is None:
                catalog[msgid] = msgstr


@pytest.fixture(autouse=True)
def _imports_setup(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    spanish_catalogue_load()


def upload(data: bytes | str, name: str = "file.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode(encoding)
    return SimpleUploadedFile(name, data)


def run(user, kind, data, *, name="file.csv", location=None, dry_run=False, language="es", encoding="utf-8"):
    """Upload and run an import as ``user``; big files are run here as the worker would."""
    with translation.override(language):
        job = import_job_create(
            user=user, kind=kind, file=upload(data, name, encoding), default_location=location
        )
        job = import_job_start(job=job, user=user, dry_run=dry_run)
        if job.status == ImportJob.Status.QUEUED:
            job = import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def lines_of(job) -> list[tuple[int, str]]:
    return [(error["line"], error["message"]) for error in job.errors]


def xlsx_of(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "products": Product.objects.count(),
        "categories": Category.objects.count(),
        "sales": Sale.objects.count(),
        "sale_lines": SaleLine.objects.count(),
        "returns": SaleReturn.objects.count(),
        "movements": StockMovement.objects.count(),
        "levels": list(StockLevel.objects.order_by("pk").values_list("on_hand", flat=True)),
        "audit": AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED).count(),
    }


def use_plan(tenant, code):
    """Move the workspace to another plan for this test only: the row changes inside the test's
    transaction (rolled back), the session's shared Tenant object is left as it is."""
    Tenant.objects.filter(pk=tenant.pk).update(plan=Plan.objects.get(code=code))


def yesterday_text() -> str:
    return (workspace_today() - timedelta(days=1)).isoformat()


# --- Products ------------------------------------------------------------------------------------


def test_products_csv_with_semicolons_latin1_and_spanish_headers_imports_every_row(owner):
    data = (
        "Código;Nombre;Precio;Costo;Código de barras;Categoría;Unidad;IVA\n"
        "YER-1;Yerba mate 1 kg;1.234,50;800;7791234567898;Almacén;unidad;21\n"
        "QUE-1;Queso fresco;4500,75;;;Lácteos;kg;10,5\n"
    )
    job = run(owner, ImportJob.Kind.PRODUCTS, data, encoding="latin-1")

    assert (job.encoding, job.delimiter, job.total_rows) == ("latin-1", ";", 2)
    assert job.status == ImportJob.Status.DONE, job.errors
    yerba = Product.objects.get(sku="YER-1")
    assert yerba.sale_price == Decimal("1234.50") and yerba.cost == Decimal("800")
    assert yerba.barcode == "7791234567898" and yerba.category.name == "Almacén"
    cheese = Product.objects.get(sku="QUE-1")
    assert (cheese.unit, cheese.tax_rate, cheese.category.name) == ("kg", Decimal("10.5"), "Lácteos")
    assert job.counts["products_created"] == 2
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED)
    assert event.actor == owner and event.data["kind"] == "products"


def test_every_bad_product_row_is_reported_with_its_line_in_spanish_and_nothing_is_imported(owner):
    ProductFactory(sku="EXISTE", barcode="7790000000010")
    before = snapshot()
    data = (
        "sku,name,price,barcode,unit,tax\n"
        "OK-1,Bueno,10,,,\n"  # line 2: fine
        ",Sin código,10,,,\n"  # 3
        "OK-1,Repetido,10,,,\n"  # 4
        "EXISTE,Ya existe,10,,,\n"  # 5
        "BAR-1,Código malo,10,7791234567890,,\n"  # 6: wrong check digit
        "PRI-1,Precio,abc,,,\n"  # 7
        "PRI-2,Negativo,-5,,,\n"  # 8
        "UNI-1,Unidad,10,,caja,\n"  # 9
        "TAX-1,Impuesto,10,,,150\n"  # 10
        "BAR-2,Barra usada,10,7790000000010,,\n"  # 11
        "NOM-1,,10,,,\n"  # 12
    )
    job = run(owner, ImportJob.Kind.PRODUCTS, data)

    assert job.status == ImportJob.Status.FAILED
    assert lines_of(job) == [
        (3, "Este dato es obligatorio."),
        (4, "El SKU OK-1 está repetido: ya aparece en la línea 2."),
        (5, "Ya existe un producto con el SKU EXISTE."),
        (6, "El dígito verificador del código de barras es incorrecto; revise el número."),
        (7, "“abc” no es un número."),
        (8, "Este valor no puede ser negativo."),
        (9, "Unidad desconocida “caja”: usa unit, kg, litre o pack."),
        (10, "La tasa de impuesto debe estar entre 0 y 100."),
        (11, "Otro producto ya tiene el código de barras 7790000000010."),
        (12, "Este dato es obligatorio."),
    ]
    assert [error["column"] for error in job.errors][:2] == ["sku", "sku"]
    assert snapshot() == before


def test_products_dry_run_checks_every_row_and_writes_nothing(owner):
    before = snapshot()
    job = run(owner, ImportJob.Kind.PRODUCTS, "sku,name,price\nA-1,Uno,10\nA-2,Dos,20\n", dry_run=True)

    assert job.status == ImportJob.Status.CHECKED
    assert job.counts == {"rows": 2, "products": 2}
    assert snapshot() == before

    job = import_job_start(job=job, user=owner, dry_run=False)  # then import the same file
    assert job.status == ImportJob.Status.DONE
    assert Product.objects.filter(sku__in=["A-1", "A-2"]).count() == 2


def test_products_from_an_excel_workbook_are_imported(owner):
    data = xlsx_of(
        [
            ["SKU", "Nombre", "Precio de venta", "Costo", "Código de barras"],
            ["XL-1", "Alfajor", 350.5, 200, "7791234567898"],
            [21166, "Cartel de chapa", 2.08, None, None],  # a numeric code stays a whole number
        ]
    )
    job = run(owner, ImportJob.Kind.PRODUCTS, data, name="productos.xlsx")

    assert job.file_format == "xlsx"
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Product.objects.get(sku="XL-1").sale_price == Decimal("350.50")
    assert Product.objects.get(sku="21166").name == "Cartel de chapa"


def test_bad_rows_of_an_excel_workbook_carry_their_sheet_row_number(owner):
    data = xlsx_of([["SKU", "Nombre", "Precio"], ["XL-1", "Uno", 10], ["XL-2", "Dos", "diez"]])
    job = run(owner, ImportJob.Kind.PRODUCTS, data, name="productos.xlsx")

    assert lines_of(job) == [(3, "“diez” no es un número.")]
    assert not Product.objects.filter(sku="XL-1").exists()


def test_products_past_the_plan_limit_import_nothing(owner, workspaces):
    use_plan(workspaces.alpha, "free")  # 25 products
    limit = Plan.objects.get(code="free").max_products
    existing = Product.objects.filter(is_active=True).count()
    rows = "".join(f"P-{n},Producto {n},10\n" for n in range(limit - existing + 1))
    job = run(owner, ImportJob.Kind.PRODUCTS, "sku,name,price\n" + rows)

    assert job.status == ImportJob.Status.FAILED
    [(line, message)] = lines_of(job)
    assert line == 0 and "Tu plan permite" in message
    assert Product.objects.filter(is_active=True).count() == existing


def test_a_file_without_a_required_column_is_refused_naming_it(owner):
    job = run(owner, ImportJob.Kind.PRODUCTS, "sku,name\nA,Uno\n")

    assert job.status == ImportJob.Status.FAILED
    assert lines_of(job) == [(0, "El archivo no tiene una columna de Precio de venta.")]


def test_an_unreadable_file_is_refused_on_upload(owner):
    with pytest.raises(InvalidInput):
        import_job_create(user=owner, kind=ImportJob.Kind.PRODUCTS, file=upload(b""))
    with pytest.raises(InvalidInput):
        import_job_create(user=owner, kind=ImportJob.Kind.PRODUCTS, file=upload(b"PK\x03\x04junk", "x.xlsx"))


def test_staff_cannot_import(staff):
    with pytest.raises(PermissionDenied):
        import_job_create(user=staff, kind=ImportJob.Kind.PRODUCTS, file=upload("sku,name,price\nA,B,1\n"))


def test_an_imported_file_cannot_be_imported_again_and_a_second_run_does_nothing(owner):
    job = run(owner, ImportJob.Kind.PRODUCTS, "sku,name,price\nA-1,Uno,10\n")
    assert job.status == ImportJob.Status.DONE

    with pytest.raises(InvalidStatus):
        import_job_start(job=job, user=owner, dry_run=False)
    assert import_job_run(job_id=job.pk) is None  # a redelivered task finds nothing queued
    assert Product.objects.filter(sku="A-1").count() == 1


# --- Opening stock -----------------------------------------------------------------------------


def test_opening_stock_is_received_through_the_ledger_with_the_import_named(owner, store, warehouse):
    yerba = ProductFactory(sku="YER-1", cost=Decimal("50"))
    job = run(
        owner,
        ImportJob.Kind.OPENING_STOCK,
        f"sku,cantidad,sucursal,costo\nYER-1,10,{store.name},40\nYER-1,5,,\n",
        location=warehouse,
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    assert on_hand(yerba, store) == 10 and on_hand(yerba, warehouse) == 5
    movements = StockMovement.objects.filter(product=yerba).order_by("location__name")
    assert {m.kind for m in movements} == {StockMovement.Kind.RECEIPT}
    assert all(f"importación {job.pk}" in m.reason for m in movements)
    assert movements.get(location=store).unit_cost == Decimal("40")
    assert movements.get(location=warehouse).unit_cost == Decimal("50")
    assert movements.first().user == owner


def test_every_bad_opening_stock_row_is_reported_and_no_stock_moves(owner, store):
    ProductFactory(sku="YER-1")
    ProductFactory(sku="SERV-1", tracks_stock=False, name="Clase de yoga")
    before = snapshot()
    data = (
        "sku,quantity,location\n"
        f"YER-1,10,{store.name}\n"  # 2: fine
        f"NADA,1,{store.name}\n"  # 3
        "YER-1,1,Luna\n"  # 4
        f"YER-1,1.5,{store.name}\n"  # 5: units are whole
        f"YER-1,-3,{store.name}\n"  # 6
        f"SERV-1,1,{store.name}\n"  # 7
        "YER-1,2,\n"  # 8: no location and none chosen
    )
    job = run(owner, ImportJob.Kind.OPENING_STOCK, data)

    assert lines_of(job) == [
        (3, "Ningún producto tiene el SKU NADA."),
        (4, "Ninguna ubicación activa se llama “Luna”."),
        (5, f"{Product.objects.get(sku='YER-1').name} se cuenta en unidades enteras."),
        (6, "Ingresa una cantidad mayor que cero."),
        (7, "Clase de yoga no lleva stock."),
        (8, "Indica una ubicación: agrega una columna de ubicación o elige una para todo el archivo."),
    ]
    assert snapshot() == before


# --- Sales history --------------------------------------------------------------------------------


def test_sales_history_becomes_dated_sales_and_returns_that_sales_history_reads(owner, store):
    yerba = ProductFactory(sku="YER-1", sale_price=Decimal("100"))
    day = workspace_today() - timedelta(days=10)
    later = day + timedelta(days=2)
    data = (
        "fecha,factura,sku,cantidad,precio,cliente,descripcion\n"
        f"{day.isoformat()} 10:00,A1,YER-1,3,90,13607.0,\n"
        f"{day.isoformat()} 10:00,A1,NUEVO-1,2,15,13607.0,Taza de cerámica\n"
        f"{day.strftime('%d/%m/%Y')} 18:00,,YER-1,1,,,\n"  # no invoice: its own sale, list price
        f"{later.isoformat()},C9,YER-1,-2,90,,\n"  # a cancelled invoice: a return
    )
    movements = StockMovement.objects.count()
    job = run(owner, ImportJob.Kind.SALES_HISTORY, data, location=store)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.counts["sales"] == 2 and job.counts["returns"] == 1 and job.counts["products"] == 1
    mug = Product.objects.get(sku="NUEVO-1")
    assert (mug.name, mug.sale_price) == ("Taza de cerámica", Decimal("15"))
    history = {(row.day, row.product_id): row for row in sales_history(date_from=day, date_to=later)}
    assert history[(day, yerba.pk)].quantity == 4 and history[(day, yerba.pk)].amount == Decimal("370")
    assert history[(day, mug.pk)].quantity == 2
    assert history[(later, yerba.pk)].quantity == -2 and history[(later, yerba.pk)].amount == Decimal("-180")
    invoice = Sale.objects.get(status=Sale.Status.COMPLETED, lines__product=mug)
    assert invoice.customer_name == "13607" and invoice.total == Decimal("300")
    assert StockMovement.objects.count() == movements  # history moves no stock (see the service)


def test_sales_history_text_with_tabs_backslashes_and_line_breaks_arrives_as_written(owner, store):
    """The history is written with COPY: text that COPY would read as its own syntax is escaped."""
    day = workspace_today() - timedelta(days=3)
    name = 'Mate "imperial"\\ 1\tlitro\nde calabaza'
    data = (
        f'fecha,factura,sku,cantidad,precio,cliente,descripcion\n{day.isoformat()},B7,MAT-1,1,50,"Ana\\N",'
        + ('"' + name.replace('"', '""') + '"\n')
    )
    job = run(owner, ImportJob.Kind.SALES_HISTORY, data, location=store)

    assert job.status == ImportJob.Status.DONE, job.errors
    line = SaleLine.objects.get(product__sku="MAT-1")
    assert line.description == name
    assert line.sale.customer_name == "Ana\\N"
    assert line.sale.note.endswith("B7")
    month = DocumentCounter.objects.get(kind=f"sales:{day:%Y-%m}")
    assert (
        month.last_number
        == Sale.objects.filter(created_at__month=day.month, created_at__year=day.year).count()
    )


def test_every_bad_sales_history_row_is_reported_and_nothing_is_imported(owner, store):
    ProductFactory(sku="YER-1")
    ProductFactory(sku="KG-1", unit=Product.Unit.KG, name="Queso")
    before = snapshot()
    past = yesterday_text()
    tomorrow = (workspace_today() + timedelta(days=1)).isoformat()
    data = (
        "date,sku,quantity,price,location\n"
        f"{past},YER-1,2,10,\n"  # 2: fine (the chosen location)
        f"ayer,YER-1,1,10,\n"  # 3
        f"{tomorrow},YER-1,1,10,\n"  # 4
        f"{past},YER-1,0,10,\n"  # 5
        f"{past},YER-1,1,-10,\n"  # 6
        f"{past},,1,10,\n"  # 7
        f"{past},KG-1,1.2345,10,\n"  # 8
        f"{past},YER-1,1,10,Marte\n"  # 9
        f",YER-1,1,10,\n"  # 10
    )
    job = run(owner, ImportJob.Kind.SALES_HISTORY, data, location=store)

    assert lines_of(job) == [
        (3, "“ayer” no es una fecha: escríbela como 2024-03-31 o 31/03/2024."),
        (4, "El historial de ventas debe tener fechas anteriores a hoy."),
        (5, "Ingresa una cantidad distinta de cero."),
        (6, "Un precio no puede ser negativo."),
        (7, "Este dato es obligatorio."),
        (8, "Las cantidades admiten como máximo tres decimales."),
        (9, "Ninguna ubicación activa se llama “Marte”."),
        (10, "Este dato es obligatorio."),
    ]
    assert snapshot() == before


def test_english_speakers_read_the_errors_in_english(owner, store):
    job = run(
        owner, ImportJob.Kind.SALES_HISTORY, "date,sku,quantity\nnope,A,1\n", location=store, language="en"
    )

    assert lines_of(job) == [(2, "“nope” is not a date: write it as 2024-03-31 or 31/03/2024.")]


# --- The real UCI Online Retail sample ---------------------------------------------------------


def uci_bytes() -> bytes:
    # The client's data folder sits beside the checkout (as in CI); a missing file is a failure.
    assert UCI_SAMPLE.exists(), f"the UCI sample is missing: {UCI_SAMPLE}"
    return gzip.decompress(UCI_SAMPLE.read_bytes())


def test_the_real_uci_sample_imports_atomically_as_sales_history(owner, store, workspaces):
    use_plan(workspaces.alpha, "enterprise")  # 3,227 StockCodes: more than a trial's products
    data = uci_bytes()
    text = data.decode("utf-8").splitlines()[1:]
    sold = sum(Decimal(row.split(",")[3]) for row in _uci_rows(text))
    before_products = Product.objects.count()

    job = run(owner, ImportJob.Kind.SALES_HISTORY, data, name="uci.csv", location=store)

    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    assert job.progress == 100 and job.total_rows == 40_000
    assert Product.objects.count() - before_products == job.counts["products_created"] == 3227
    assert job.counts["returns"] > 0 and job.counts["sales"] > 0
    history = sales_history(
        date_from=timezone.datetime(2010, 12, 1).date(), date_to=timezone.datetime(2011, 12, 9).date()
    )
    assert sum(row.quantity for row in history) == sold  # returns subtract on their day


def _uci_rows(lines):
    return [",".join([row[0], row[1], "", row[3]]) for row in csv.reader(lines)]


def test_a_corrupted_copy_of_the_uci_sample_imports_nothing_and_names_the_bad_line(owner, store, workspaces):
    use_plan(workspaces.alpha, "enterprise")
    lines = uci_bytes().decode("utf-8").splitlines()
    lines.insert(
        20_001, "581999,22423,REGENCY CAKESTAND 3 TIER,2,2011-13-45 10:00:00,12.75,17850.0,United Kingdom"
    )
    before = snapshot()

    job = run(owner, ImportJob.Kind.SALES_HISTORY, "\n".join(lines) + "\n", name="uci.csv", location=store)

    assert job.status == ImportJob.Status.FAILED
    assert lines_of(job) == [
        (20_002, "“2011-13-45 10:00:00” no es una fecha: escríbela como 2024-03-31 o 31/03/2024.")
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ('\ufeffsku,name,price\nA,Ñandú,"1,5"\n'.encode(), "utf-8", ","),
        ("sku;nombre;precio\nA;Ñandú;1,5\n".encode("cp1252"), "latin-1", ";"),
        ("sku\tname\tprice\nA\tÑandú\t1.5\n".encode(), "utf-8", "\t"),
    ],
    ids=["comma-utf8-bom", "semicolon-latin1", "tab"],
)
def test_the_delimiter_and_encoding_of_a_csv_are_detected(owner, data, encoding, delimiter):
    job = run(owner, ImportJob.Kind.PRODUCTS, data)

    assert (job.encoding, job.delimiter, job.status) == (encoding, delimiter, ImportJob.Status.DONE)
    product = Product.objects.get(sku="A")
    assert (product.name, product.sale_price) == ("Ñandú", Decimal("1.50"))


def test_a_queued_import_reports_the_progress_the_running_job_left_in_the_cache(owner):
    job = import_job_create(user=owner, kind=ImportJob.Kind.PRODUCTS, file=upload("sku,name,price\nA,B,1\n"))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, progress=1)
    job.refresh_from_db()
    cache.set(progress_key(job.pk), 42)

    assert import_job_progress(job=job) == 42
