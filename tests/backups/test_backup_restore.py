"""Backups of one workspace round-trip: a committed workspace of its own (dropped at the end) with
sales, stock, a branding logo and a product image is backed up by the nightly task's service,
restored into a new schema by `manage.py workspace_restore` and from the super-admin's list, and
each restore equals the original table by table and file by file."""

import gzip
import io
import tarfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import override_settings
from django_tenants.utils import schema_context, schema_exists
from PIL import Image

from accounts.models import User
from accounts.services import user_create
from backups.database import RestoreFailed, rename_schema, schema_load, table_fingerprints
from backups.models import WorkspaceBackup
from backups.selectors import backups_to_keep
from backups.services import backup_restore, backups_prune
from backups.store import backup_storage
from backups.tasks import backup_workspace
from branding.selectors import branding_get
from branding.services import branding_update
from inventory.models import Product, Sale, StockLevel, StockMovement
from inventory.services import product_create, stock_receive
from inventory.services.catalogue import location_create
from inventory.services.sales import SaleLineInput, sale_create
from plans.models import Plan
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD

SLUG = "backup-rt"


def png(colour: str, size=(600, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def drop_schema(name: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="module")
def storage_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("backups")
    overrides = override_settings(
        MEDIA_ROOT=str(base / "media"),
        BACKUP_STORAGE={
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(base / "store")},
        },
    )
    overrides.enable()
    yield base
    overrides.disable()


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker, workspaces, storage_dirs):
    """A committed workspace with a logo, a product image, stock and two sales."""
    made_schemas: list[str] = []
    with django_db_blocker.unblock():
        Tenant.objects.filter(slug=SLUG).first() and Tenant.objects.get(slug=SLUG).delete(force_drop=True)
        plan, _ = Plan.objects.update_or_create(
            code="backup-test",
            defaults={
                "name": "Backup test",
                "branding_level": Plan.BrandingLevel.COLOURS,
                "is_public": False,
            },
        )
        tenant = tenant_create(
            slug=SLUG, name="Backup RT", owner_email="owner@backup-rt.test", owner_password=PASSWORD
        )
        Tenant.objects.filter(pk=tenant.pk).update(plan=plan, status=Tenant.Status.ACTIVE)
        tenant = Tenant.objects.select_related("plan").get(pk=tenant.pk)
        branding_update(
            tenant=tenant, logo=SimpleUploadedFile("logo.png", png("navy"), content_type="image/png")
        )
        with schema_context(tenant.schema_name):
            owner = User.objects.get(email="owner@backup-rt.test")
            store = location_create(name="Centro")
            yerba = product_create(
                sku="YER-1",
                # Text that looks like a schema-qualified name must come back as it was.
                name=f"Yerba {tenant.schema_name}.products",
                sale_price=Decimal("1500.50"),
                image=SimpleUploadedFile("yerba.png", png("green", (300, 300)), content_type="image/png"),
            )
            mate = product_create(sku="MAT-1", name="Mate de calabaza", sale_price=Decimal("9000"))
            stock_receive(product=yerba, location=store, quantity=40, user=owner)
            stock_receive(product=mate, location=store, quantity=12, user=owner)
            sale_create(
                location=store, seller=owner, lines=[SaleLineInput(product=yerba, quantity=Decimal(3))]
            )
            sale_create(
                location=store,
                seller=owner,
                lines=[
                    SaleLineInput(product=yerba, quantity=Decimal(1)),
                    SaleLineInput(product=mate, quantity=2),
                ],
            )
        connection.set_schema_to_public()
    yield {"tenant": tenant, "made_schemas": made_schemas}
    with django_db_blocker.unblock():
        for name in made_schemas:
            drop_schema(name)
        WorkspaceBackup.objects.filter(tenant_slug=SLUG).delete()
        Tenant.objects.get(slug=SLUG).delete(force_drop=True)


@pytest.fixture(scope="module")
def backup(shop, django_db_blocker):
    with django_db_blocker.unblock():
        backup_id = backup_workspace(shop["tenant"].pk)
        return WorkspaceBackup.objects.get(pk=backup_id)


def ledger(schema_name: str) -> dict:
    with schema_context(schema_name):
        levels = {
            (level.product.sku, level.location.name): level.on_hand
            for level in StockLevel.objects.select_related("product", "location")
        }
        movements = {
            (row["product__sku"], row["location__name"]): row["total"]
            for row in StockMovement.objects.values("product__sku", "location__name").annotate(
                total=Sum("quantity")
            )
        }
        return {
            "sales": sorted(Sale.objects.values_list("number", "total")),
            "levels": levels,
            "movements": movements,
            "products": sorted(Product.objects.values_list("sku", "name", "image")),
            "logo": branding_get().logo,
        }


def test_nightly_backup_writes_one_archive_with_schema_public_rows_and_media(backup, shop, storage_dirs, db):
    tenant = shop["tenant"]
    assert backup.status == WorkspaceBackup.Status.OK
    assert backup.tenant_id == tenant.pk and backup.schema_name == tenant.schema_name
    archive = storage_dirs / "store" / backup.path
    assert archive.stat().st_size == backup.size_bytes > 0
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        dump = gzip.decompress(tar.extractfile("schema.sql.gz").read()).decode()
        manifest = __import__("json").load(tar.extractfile("manifest.json"))
    assert f"CREATE SCHEMA {tenant.schema_name};" in dump
    assert manifest["tables"]["inventory_sale"]["rows"] == 2
    models = {row["model"] for row in manifest["public_rows"]}
    assert {"tenants.tenant", "tenants.domain"} <= models
    logo = f"media/branding/{ledger(tenant.schema_name)['logo']}"
    assert logo in names
    assert any(name.startswith("media/product-images/") for name in names)
    assert backup.media_files == len(manifest["media"]) >= 5  # logo, logo 2x, two favicons, image


def test_workspace_restore_makes_a_new_schema_equal_to_the_backup(backup, shop, storage_dirs, db):
    tenant = shop["tenant"]
    new_schema = "backup_rt_restored"
    shop["made_schemas"].append(new_schema)
    out = io.StringIO()
    call_command("workspace_restore", str(backup.pk), "--schema", new_schema, stdout=out)

    assert f"into schema {new_schema}" in out.getvalue()
    assert table_fingerprints(new_schema) == table_fingerprints(tenant.schema_name)
    original, restored = ledger(tenant.schema_name), ledger(new_schema)
    assert restored == original
    assert len(restored["sales"]) == 2
    # On hand equals the sum of movements, in the copy as in the original.
    assert restored["levels"] == restored["movements"] == {("YER-1", "Centro"): 36, ("MAT-1", "Centro"): 10}
    # Branding files follow the schema; product images keep their recorded key.
    media = storage_dirs / "media"
    assert (media / "workspaces" / new_schema / "branding" / restored["logo"]).read_bytes() == (
        media / "workspaces" / tenant.schema_name / "branding" / original["logo"]
    ).read_bytes()
    assert (media / restored["products"][1][2]).exists()
    # The original is untouched and still served.
    assert Tenant.objects.get(pk=tenant.pk).schema_name == tenant.schema_name

    # A restore never writes into an existing schema.
    with pytest.raises(CommandError, match="already exists"):
        call_command("workspace_restore", str(backup.pk), "--schema", new_schema)


def test_super_admin_lists_backups_per_workspace_and_restores_one(
    backup, shop, client_for, django_db_blocker
):
    superadmin = user_create(email="root@backups.test", password=PASSWORD, is_superuser=True)
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(superadmin)

    listing = client.get("/admin/backups/workspacebackup/", {"q": SLUG})
    assert listing.status_code == 200
    assert f"/admin/backups/workspacebackup/{backup.pk}/change/" in listing.content.decode()

    response = client.post(
        "/admin/backups/workspacebackup/",
        {"action": "restore_into_new_schema", "_selected_action": [backup.pk]},
        follow=True,
    )
    backup.refresh_from_db()
    shop["made_schemas"].append(backup.restored_schema)
    assert "restored into schema" in response.content.decode()
    assert backup.restored_by == "root@backups.test"
    assert schema_exists(backup.restored_schema)
    assert table_fingerprints(backup.restored_schema) == table_fingerprints(shop["tenant"].schema_name)


def test_workspace_admin_is_refused_the_backup_list(backup, shop, client_for):
    client = client_for(shop["tenant"])
    with schema_context(shop["tenant"].schema_name):
        client.force_login(User.objects.get(email="owner@backup-rt.test"))
    assert client.get("/admin/backups/workspacebackup/").status_code == 404
    assert client_for(None).get("/admin/backups/workspacebackup/").status_code == 302  # to the sign-in


def test_a_restore_is_strict_the_first_error_rolls_everything_back(tmp_path, db):
    dump = tmp_path / "bad.sql.gz"
    dump.write_bytes(
        gzip.compress(
            b"CREATE SCHEMA src;\nCREATE TABLE src.t (id integer);\n"
            b"COPY src.t (id) FROM stdin;\n1\n\\.\nCREATE TABLE src.t (id integer);\n"
        )
    )
    with pytest.raises(RestoreFailed, match="already exists"):
        schema_load(dump=dump, old_schema="src", new_schema="strict_target")
    assert not schema_exists("strict_target")


def test_schema_renaming_leaves_copied_rows_alone():
    lines = [
        b"CREATE SCHEMA shop;\n",
        b"CREATE TABLE shop.product (name text);\n",
        b"COPY shop.product (name) FROM stdin;\n",
        b"shop.product and shop.x stay\n",
        b"\\.\n",
        b"SELECT pg_catalog.setval('shop.product_id_seq', 5, true);\n",
        b"ALTER TABLE ONLY shopping.x ADD CONSTRAINT c;\n",
    ]
    assert list(rename_schema(lines, old="shop", new="copy")) == [
        b'CREATE SCHEMA "copy";\n',
        b'CREATE TABLE "copy".product (name text);\n',
        b'COPY "copy".product (name) FROM stdin;\n',
        b"shop.product and shop.x stay\n",
        b"\\.\n",
        b"SELECT pg_catalog.setval('\"copy\".product_id_seq', 5, true);\n",
        b"ALTER TABLE ONLY shopping.x ADD CONSTRAINT c;\n",
    ]


def test_a_damaged_archive_is_refused(backup, storage_dirs, db):
    archive = storage_dirs / "store" / backup.path
    original = archive.read_bytes()
    try:
        archive.write_bytes(original[:-10] + b"x" * 10)
        with pytest.raises(RestoreFailed, match="SHA-256"):
            backup_restore(backup=backup, schema_name="never_made")
        assert not schema_exists("never_made")
    finally:
        archive.write_bytes(original)


def test_retention_keeps_seven_days_and_four_weeks():
    start = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # a Thursday
    taken = [(day, start + timedelta(days=day)) for day in range(60)]
    taken.append((100, start + timedelta(days=59, hours=2)))  # a second one on the last day
    keep = backups_to_keep(taken, daily=7, weekly=4)
    # The newest of each of the last 7 days (day 59's newest is id 100), and each ISO week's
    # newest for the 4 last weeks (day 59 is a Sunday): 100, then days 52, 45 and 38.
    assert keep == {100, 58, 57, 56, 55, 54, 53, 52, 45, 38}


def test_prune_deletes_the_archives_retention_drops(shop, storage_dirs, django_db_blocker):
    storage = backup_storage()
    start = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    with django_db_blocker.unblock():
        old = []
        for day in range(10):
            name = storage.save(f"prune-test/p-{day}.tar", io.BytesIO(b"x"))
            old.append(
                WorkspaceBackup.objects.create(
                    tenant_slug="prune-test",
                    schema_name="prune_test",
                    created_at=start + timedelta(days=day),
                    status=WorkspaceBackup.Status.OK,
                    path=name,
                )
            )
        try:
            # Days 3..9 are the last 7; day 3 is also its ISO week's newest (Thursday 1 .. Sunday 4).
            assert backups_prune(tenant_slug="prune-test") == 3
            left = set(
                WorkspaceBackup.objects.filter(tenant_slug="prune-test").values_list("path", flat=True)
            )
            assert left == {backup.path for backup in old[3:]}
            assert not storage.exists(old[0].path) and storage.exists(old[3].path)
        finally:
            WorkspaceBackup.objects.filter(tenant_slug="prune-test").delete()
