"""Lists on the web screens: search, sort, paginate, and export the filtered rows to CSV or Excel.

Generic on purpose (catalogue, stock, purchasing, and later the POS and sales screens use it). A
view gets its rows from a selector (which applies the domain filters and joins), describes the
columns once, and hands both to ``listing_build``::

    COLUMNS = [
        Column("sku", _("SKU"), "sku", sort="sku"),
        Column("name", _("Name"), "name", sort="name", link=lambda p: reverse(...)),
        Column("price", _("Sale price"), "sale_price", kind=Column.MONEY, sort="sale_price"),
    ]
    listing = listing_build(request, rows, columns=COLUMNS, search_fields=("name", "sku"),
                            default_sort="name", filename="products")
    if listing.export:
        return listing.export       # ?export=csv or ?export=xlsx: every filtered row, not one page
    return render(request, "...", {"listing": listing})

and the template includes ``inventory/_list_table.html`` (sortable headers, typed cells, pager)
and ``inventory/_list_export.html`` (the two export links). Query parameters: ``q`` (search),
``sort`` (a column key, ``-key`` for descending), ``page``, ``export``; any other parameter (the
view's filters) is kept by the sort, page and export links.

Sorting is only by the columns' declared ``sort`` expressions, so a request cannot order by an
arbitrary field. Exports carry plain values (numbers as numbers, dates as dates) so a spreadsheet
can add them up; cells that a spreadsheet would run as a formula are neutralised.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook

from accounts.permissions import Perm, has_perm
from inventory.dates import day_start

PER_PAGE = 25
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Leading characters that make a spreadsheet treat a text cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a list.

    ``value``: an attribute path ("product.name") or a callable(row) giving the cell's value.
    ``kind``: how the value is shown and exported (text, money, quantity, date, datetime, bool).
    ``sort``: the ORM expression the column sorts by (None: not sortable).
    ``link``: callable(row) -> URL, to make the cell a link on screen.
    ``export``: False keeps the column off the CSV/Excel files (action columns).
    ``needs``: the permission a viewer must hold to see the column at all, on screen, in exports
    and as a sort (``Perm.VIEW_MONEY`` for costs and margins).
    """

    TEXT = "text"
    MONEY = "money"
    QUANTITY = "quantity"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"

    key: str
    label: Any
    value: str | Callable[[Any], Any]
    kind: str = TEXT
    sort: str | None = None
    link: Callable[[Any], str | None] | None = None
    export: bool = True
    needs: Perm | None = None

    def value_of(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        value = row
        for part in self.value.split("."):
            value = getattr(value, part, None) if value is not None else None
        if callable(value):  # get_status_display and the like
            value = value()
        return value

    @property
    def numeric(self) -> bool:
        return self.kind in (self.MONEY, self.QUANTITY)


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str
    label: Any
    url: str | None = None


@dataclass(frozen=True)
class Header:
    column: Column
    sort_value: str | None  # the ``sort`` parameter the header's link sets (None: not sortable)
    direction: str  # "asc", "desc" or "" (not the current sort)


@dataclass
class Listing:
    """What a list template needs: ``headers``, ``rows`` (lists of Cell) of ``page``, ``search``,
    ``sort``, ``total`` and the query strings to keep; ``export`` is a response when one was asked."""

    page: Page
    headers: list[Header]
    rows: list[tuple[Any, list[Cell]]]
    search: str
    sort: str
    total: int
    export: HttpResponse | None = None
    searchable: bool = True
    objects: list = field(default_factory=list)


def date_range_filter(
    rows: QuerySet, field: str, *, date_from: date | None, date_to: date | None
) -> QuerySet:
    """Rows whose ``field`` falls on the workspace days ``date_from``..``date_to`` (inclusive, either
    may be None). A DateTimeField is bounded by instants in the workspace's time zone."""
    is_datetime = isinstance(rows.model._meta.get_field(field), DateTimeField)
    if date_from:
        rows = rows.filter(**{f"{field}__gte": day_start(date_from) if is_datetime else date_from})
    if date_to:
        if is_datetime:
            rows = rows.filter(**{f"{field}__lt": day_start(date_to + timedelta(days=1))})
        else:
            rows = rows.filter(**{f"{field}__lte": date_to})
    return rows


def search_text(request: HttpRequest) -> str:
    """The ``q`` parameter, trimmed (for views that pass the search to their selector)."""
    return (request.GET.get("q") or "").strip()[:100]


def search_filter(rows: QuerySet, search: str, fields: Sequence[str]) -> QuerySet:
    """Rows where any of ``fields`` contains ``search`` (case-insensitive); every word must match
    somewhere, so "yerba 500" finds "Yerba mate 500 g"."""
    for word in search.split():
        rows = rows.filter(reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)))
    return rows


def _sorted(rows, columns: Sequence[Column], requested: str, default_sort: str) -> tuple[Any, str]:
    by_key = {column.key: column for column in columns if column.sort}
    key = requested.removeprefix("-")
    if key not in by_key:
        requested = default_sort
        key = requested.removeprefix("-")
    column = by_key.get(key)
    if column is None or not isinstance(rows, QuerySet):
        return rows, requested
    descending = requested.startswith("-")
    expression = f"-{column.sort}" if descending else column.sort
    # The primary key last keeps pages stable when many rows share a value.
    return rows.order_by(expression, "-pk" if descending else "pk"), requested


def listing_build(
    request: HttpRequest,
    rows: QuerySet | Iterable,
    *,
    columns: Sequence[Column],
    default_sort: str = "",
    search_fields: Sequence[str] = (),
    filename: str = "export",
    per_page: int = PER_PAGE,
    searchable: bool | None = None,
) -> Listing:
    """Search (``q`` over ``search_fields``, when given), sort, paginate ``rows`` and, when
    ``export`` is asked for, build the CSV/Excel answer with every filtered row.

    ``searchable=True`` shows the search box when the view searched ``rows`` itself (through its
    selector, with ``search_text(request)``)."""
    columns = [column for column in columns if column.needs is None or has_perm(request.user, column.needs)]
    search = search_text(request)
    if search and search_fields and isinstance(rows, QuerySet):
        rows = search_filter(rows, search, search_fields)
    rows, sort = _sorted(rows, columns, request.GET.get("sort") or "", default_sort)
    export_format = request.GET.get("export")
    export = None
    if export_format in EXPORT_FORMATS:
        export = export_response(rows, columns=columns, export_format=export_format, filename=filename)
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    current_key, descending = sort.removeprefix("-"), sort.startswith("-")
    headers = []
    for column in columns:
        if not column.sort:
            headers.append(Header(column, None, ""))
        elif column.key == current_key:
            headers.append(
                Header(
                    column, column.key if descending else f"-{column.key}", "desc" if descending else "asc"
                )
            )
        else:
            headers.append(Header(column, column.key, ""))
    objects = list(page.object_list)
    table = [
        (
            row,
            [
                Cell(
                    _shown(column.value_of(row), column.kind),
                    column.kind,
                    column.label,
                    column.link(row) if column.link else None,
                )
                for column in columns
            ],
        )
        for row in objects
    ]
    return Listing(
        page=page,
        headers=headers,
        rows=table,
        search=search,
        sort=sort,
        total=page.paginator.count,
        export=export,
        searchable=bool(search_fields) if searchable is None else searchable,
        objects=objects,
    )


def _shown(value: Any, kind: str) -> Any:
    """Quantities without trailing zeros (5, 2.5, 1.25), for ``{% number %}`` to group and localise."""
    if kind == Column.QUANTITY and value is not None:
        value = Decimal(value)
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return value


# --- Export ------------------------------------------------------------------------------------


def _plain(value: Any, kind: str) -> Any:
    """A cell's value as a spreadsheet should hold it."""
    if value is None:
        return ""
    if kind == Column.BOOL or isinstance(value, bool):
        return bool(value)
    if isinstance(value, datetime):
        # Local wall-clock time, without tzinfo (Excel has none).
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | Decimal | int | float):
        return value
    text = force_str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def export_rows(rows: Iterable, columns: Sequence[Column]) -> tuple[list[str], list[list[Any]]]:
    """The header labels (in the active language) and every row's plain values."""
    exported = [column for column in columns if column.export]
    header = [force_str(column.label) for column in exported]
    body = [[_plain(column.value_of(row), column.kind) for column in exported] for row in rows]
    return header, body


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_response(
    rows: Iterable, *, columns: Sequence[Column], export_format: str, filename: str
) -> HttpResponse:
    """``rows`` as a CSV (UTF-8 with BOM, so Excel reads accents) or an .xlsx download."""
    header, body = export_rows(rows, columns)
    stamp = timezone.localdate().isoformat()
    if export_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([_csv_text(value) for value in row] for row in body)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
