"""A child process of test_concurrency: sells one unit of a product, again and again, against the
committed test database, and prints how many sales went through and how many were refused.

    python -m tests.inventory.concurrent_seller SCHEMA PRODUCT_ID LOCATION_ID USER_ID SALES \
        READY_FILE GO_FILE [SHORT_EVERY]

It writes READY_FILE once Django is set up, then waits for GO_FILE so that every seller starts at
the same moment. With SHORT_EVERY, every SHORT_EVERY-th sale asks for more than any stock (refused:
InsufficientStock); a sale past the plan's sales a month is refused too (PlanLimitReached).
"""

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> dict:
    schema, product_id, location_id, user_id, sales, ready_file, go_file, *rest = argv
    short_every = int(rest[0]) if rest else 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    # Django must be set up before models and services are imported.
    from django_tenants.utils import schema_context

    from accounts.models import User
    from inventory.exceptions import InsufficientStock
    from inventory.models import Location, Product
    from inventory.services import SaleLineInput, sale_create
    from plans.exceptions import PlanLimitReached

    sold = refused = short = over_plan = 0
    with schema_context(schema):
        product = Product.objects.get(pk=product_id)
        location = Location.objects.get(pk=location_id)
        user = User.objects.get(pk=user_id)
        Path(ready_file).touch()
        deadline = time.monotonic() + 60
        while not Path(go_file).exists():
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.005)
        for index in range(int(sales)):
            quantity = 100_000 if short_every and index % short_every == short_every - 1 else 1
            try:
                sale_create(location=location, seller=user, lines=[SaleLineInput(product, quantity)])
                sold += 1
            except InsufficientStock:
                refused += 1
                short += quantity > 1
            except PlanLimitReached:
                refused += 1
                over_plan += 1
    return {"sold": sold, "refused": refused, "short": short, "over_plan": over_plan}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1:])) + "\n")
