"""The decimal shapes used across the app, so money and quantities are written alike everywhere."""

from decimal import Decimal

from django.db import models

MONEY = {"max_digits": 14, "decimal_places": 2}
# Quantities allow three decimals (1.250 kg).
QUANTITY = {"max_digits": 14, "decimal_places": 3}
# Unit costs at moving average keep four decimals, so averaging receipt after receipt does not
# drift by a cent each time; amounts derived from them are rounded to two.
UNIT_COST = {"max_digits": 14, "decimal_places": 4}

CENT = Decimal("0.01")
QUANTITY_STEP = Decimal("0.001")
UNIT_COST_STEP = Decimal("0.0001")
ZERO = Decimal("0")
# The largest magnitudes the columns above hold (14 digits in all): anything as large or larger is
# refused with a message before it reaches the database.
MONEY_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
QUANTITY_LIMIT = Decimal(10) ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"])


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


def quantity_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, **QUANTITY, **kwargs)


def unit_cost_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, **UNIT_COST, **kwargs)
