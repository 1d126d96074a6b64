"""How each numeric column of a file writes its numbers, decided from all its values.

"4.500" is 4500 in Bogotá and 4.5 in Ciudad de México. A column decides for itself when any of its
values is unambiguous ("3.200,50", "12,5", "1,234.56"). A column whose values could be read both
ways ("4.500", "3.100") follows the rest of the file (decimal commas elsewhere: its points group
thousands) and the workspace's locale; when those two disagree, or the column's own values
disagree, the column is ambiguous and the person importing chooses before anything is written.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol

from core.money import locale_for
from inventory.imports.columns import Field, Mapping
from inventory.imports.reading import Table
from inventory.imports.values import COMMA, CONVENTIONS, EITHER, POINT, is_number_like, number_shape
from tenants.selectors import tenant_current


@dataclass(frozen=True)
class NumberColumn:
    index: int
    header: str
    field: Field
    detected: str | None  # COMMA or POINT; None when the file and the workspace disagree
    chosen: str  # the importer's choice ("" when none)
    sample: str  # a value that could be read both ways ("" when none)

    @property
    def convention(self) -> str | None:
        """How the column is read; None while it is ambiguous and nobody chose."""
        return self.chosen or self.detected

    @property
    def ambiguous(self) -> bool:
        return self.convention is None


def workspace_convention() -> str:
    """COMMA or POINT: how the workspace's language and country write a decimal."""
    tenant = tenant_current()
    locale = locale_for(tenant.language, tenant.country) if tenant else "es"
    return COMMA if get_decimal_symbol(locale) == "," else POINT


def _texts(table: Table, index: int) -> list[str]:
    """The column's written values (Excel's own numeric cells say nothing about the file)."""
    values = []
    for _line, row in table.rows:
        if index < len(row) and isinstance(row[index], str) and row[index].strip():
            values.append(row[index].strip())
    return values


def _file_evidence(table: Table) -> set[str]:
    """The conventions the file's number-only columns show by themselves."""
    evidence: set[str] = set()
    for index in range(len(table.headers)):
        texts = _texts(table, index)
        if texts and all(is_number_like(text) for text in texts):
            evidence.update(shape for shape in map(number_shape, texts) if shape in CONVENTIONS)
    return evidence


def number_columns_detect(
    *, table: Table, mapping: Mapping, chosen: dict | None = None, workspace: str | None = None
) -> list[NumberColumn]:
    """Every mapped numeric column with the convention it is read in (see the module's doc).
    ``chosen`` maps a column index (as text) to the importer's choice."""
    chosen = chosen or {}
    workspace = workspace or workspace_convention()
    file_evidence = None  # computed once, only when a column needs it
    columns = []
    for field in mapping.fields:
        index = mapping.columns.get(field.name)
        if not field.numeric or index is None:
            continue
        shapes = Counter(number_shape(text) for text in _texts(table, index))
        own = {shape for shape in shapes if shape in CONVENTIONS}
        sample = ""
        if len(own) == 1:
            detected = own.pop()
        elif len(own) == 2:
            detected = None
            sample = next(text for text in _texts(table, index) if number_shape(text) in CONVENTIONS)
        elif shapes[EITHER]:
            sample = next(text for text in _texts(table, index) if number_shape(text) == EITHER)
            if file_evidence is None:
                file_evidence = _file_evidence(table)
            if len(file_evidence) == 1 and workspace not in file_evidence:
                detected = None
            else:
                detected = workspace
        else:
            detected = workspace  # whole numbers only: either reading gives the same
        header = table.headers[index] if index < len(table.headers) else field.name
        choice = chosen.get(str(index), "")
        columns.append(
            NumberColumn(index, header, field, detected, choice if choice in CONVENTIONS else "", sample)
        )
    return columns


def number_plain(value: Decimal, language: str) -> str:
    """A number as read, with the reader's decimal mark and no grouping: 4500,00 (the preview shows
    "4.500 → 4500,00", so no digit can be mistaken for a separator)."""
    return format_decimal(value, format="0.00##", locale=language)
