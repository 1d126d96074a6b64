"""The fields each kind of import takes and the column names (Spanish, English, the UCI Online
Retail export) recognised for them."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from inventory.models import ImportJob

Kind = ImportJob.Kind


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...]
    numeric: bool = False


def _field(name, label, aliases, required=False, numeric=False) -> Field:
    return Field(name, label, required, tuple(_normal(alias) for alias in (name, *aliases)), numeric)


def _normal(header: str) -> str:
    """Lower case, no accents, letters and digits only: "Código de barras" -> "codigodebarras"."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


SKU = _field("sku", _("SKU"), ("code", "codigo", "stockcode", "productcode", "item", "articulo", "ref"), True)
LOCATION = _field("location", _("Location"), ("ubicacion", "sucursal", "local", "sede", "deposito", "store"))

FIELDS: dict[str, tuple[Field, ...]] = {
    Kind.PRODUCTS: (
        SKU,
        _field("name", _("Name"), ("nombre", "producto", "product", "description", "descripcion"), True),
        _field(
            "sale_price",
            _("Sale price"),
            ("price", "precio", "precioventa", "preciodeventa", "pvp"),
            True,
            True,
        ),
        _field("cost", _("Cost"), ("costo", "unitcost", "costounitario", "preciocosto"), numeric=True),
        _field("barcode", _("Barcode"), ("ean", "upc", "gtin", "codigodebarras", "codigobarras")),
        _field("category", _("Category"), ("categoria", "rubro")),
        _field("unit", _("Unit"), ("unidad", "unidaddemedida", "uom")),
        _field("tax_rate", _("Tax rate (%)"), ("tax", "iva", "impuesto", "vat", "taxrate"), numeric=True),
        _field("min_stock", _("Minimum stock"), ("stockminimo", "minimo", "minstock"), numeric=True),
    ),
    Kind.OPENING_STOCK: (
        SKU,
        _field("quantity", _("Quantity"), ("cantidad", "qty", "stock", "onhand", "existencias"), True, True),
        LOCATION,
        _field("unit_cost", _("Unit cost"), ("cost", "costo", "costounitario"), numeric=True),
    ),
    Kind.SALES_HISTORY: (
        _field("date", _("Date"), ("fecha", "invoicedate", "fechaventa", "datetime", "when"), True),
        SKU,
        _field("quantity", _("Quantity"), ("cantidad", "qty"), True, True),
        _field(
            "unit_price", _("Unit price"), ("unitprice", "price", "precio", "preciounitario"), numeric=True
        ),
        _field("invoice", _("Invoice"), ("invoiceno", "factura", "comprobante", "ticket", "receipt")),
        LOCATION,
        _field("description", _("Description"), ("descripcion", "name", "nombre", "producto", "product")),
        _field("customer", _("Customer"), ("customerid", "cliente")),
    ),
}


@dataclass(frozen=True)
class Mapping:
    """Which column holds each field (index into the row), and what is missing or left out."""

    columns: dict[str, int]
    fields: tuple[Field, ...]

    @property
    def missing(self) -> list[Field]:
        return [f for f in self.fields if f.required and f.name not in self.columns]

    def field_of(self, index: int) -> Field | None:
        for f in self.fields:
            if self.columns.get(f.name) == index:
                return f
        return None


def columns_map(*, kind: str, headers: list[str]) -> Mapping:
    """Map each field of ``kind`` to the first header that names it; a header serves one field."""
    fields = FIELDS[kind]
    normal = [_normal(header) for header in headers]
    columns: dict[str, int] = {}
    taken: set[int] = set()
    # Exact names first (a "Cost" column is cost even when "unit cost" also lists it), then aliases.
    for f in fields:
        for index, header in enumerate(normal):
            if index not in taken and header == f.aliases[0]:
                columns[f.name] = index
                taken.add(index)
                break
    for f in fields:
        if f.name in columns:
            continue
        for index, header in enumerate(normal):
            if index not in taken and header in f.aliases:
                columns[f.name] = index
                taken.add(index)
                break
    return Mapping(columns, fields)
