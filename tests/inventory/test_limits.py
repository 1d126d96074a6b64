"""Plan limits say the way up and come with everything else: a refused product carries a button to
the plans, and an import's dry run lists the limit together with the file's other problems."""

from django.urls import reverse

from inventory.models import ImportJob, Product
from plans.models import Plan
from tests.inventory.factories import ProductFactory
from tests.inventory.test_imports import lines_of, run, spanish_catalogue_load, use_plan
from tests.team.test_team import signed_in


def test_a_product_past_the_limit_is_refused_with_a_button_to_the_plans(client_for, workspaces, owner):
    use_plan(workspaces.alpha, "free")
    limit = Plan.objects.get(code="free").max_products
    ProductFactory.create_batch(limit - Product.objects.filter(is_active=True).count())
    client = signed_in(client_for, workspaces.alpha, owner)

    response = client.post(
        reverse("workspace:product_create"),
        {
            "sku": "ONE-MORE",
            "name": "Uno más",
            "unit": "unit",
            "sale_price": "10",
            "cost": "5",
            "tax_rate": "0",
            "tracks_stock": "on",
            "is_active": "on",
            "min_stock": "0",
            "lead_time_days": "7",
            "pack_size": "1",
        },
    )

    page = response.content.decode()
    assert 'data-testid="plan-link"' in page and f'href="{reverse("billing:index")}"' in page
    assert not Product.objects.filter(sku="ONE-MORE").exists()


def test_a_dry_run_lists_the_limit_with_the_files_other_problems(owner, workspaces, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    spanish_catalogue_load()
    use_plan(workspaces.alpha, "free")
    limit = Plan.objects.get(code="free").max_products
    existing = Product.objects.filter(is_active=True).count()
    rows = "".join(f"P-{n},Producto {n},10\n" for n in range(limit - existing + 1))
    job = run(owner, ImportJob.Kind.PRODUCTS, "sku,name,price\n" + rows + "BAD-1,,abc\n", dry_run=True)

    problems = lines_of(job)
    assert job.status == ImportJob.Status.FAILED
    assert any(line == 0 and "Tu plan permite" in message for line, message in problems)
    assert any(line > 0 and "no es un número" in message for line, message in problems)
    assert Product.objects.filter(is_active=True).count() == existing
