"""Reading an uploaded file into a header and rows: CSV (comma or semicolon, UTF-8 or Latin-1)
or Excel (.xlsx, the first sheet). Values come back as text, except Excel dates and numbers."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from core.money import number_text
from inventory.exceptions import InvalidInput

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_ROWS = 200_000
CSV_DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A file's header and rows; each row is (line number in the file, values)."""

    file_format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (with or without BOM) when it decodes, else Latin-1 (as
    Windows-1252, which spreadsheets of the region write: Latin-1 plus € and curly quotes)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "latin-1"


def _delimiter(text: str) -> str:
    """The delimiter that splits the header line most (headers rarely hold commas or semicolons,
    while values do: "1.234,50"); the csv sniffer decides a tie, comma when all else fails."""
    first_line = text.lstrip("\n").split("\n", 1)[0]
    counts = sorted(((first_line.count(candidate), candidate) for candidate in CSV_DELIMITERS), reverse=True)
    if counts[0][0] and counts[0][0] != counts[1][0]:
        return counts[0][1]
    try:
        return csv.Sniffer().sniff(text[:20_000], delimiters="".join(CSV_DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _clean_header(value) -> str:
    return ("" if value is None else str(value)).strip()


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = None
    rows = []
    try:
        for values in reader:
            if headers is None:
                if not any(value.strip() for value in values):
                    continue
                headers = [_clean_header(value) for value in values]
                continue
            if not any(value.strip() for value in values):
                continue  # blank lines are not rows
            rows.append((reader.line_num, values))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        raise InvalidInput(
            _("The file could not be read as CSV near line %(line)s.") % {"line": reader.line_num}
        ) from error
    return Table("csv", headers or [], rows, encoding=encoding, delimiter=delimiter)


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 21166.0 in a code column is 21166
    if isinstance(value, datetime | date | float):
        return value  # a number cell is a number, whatever the locale of the Excel that wrote it
    return "" if value is None else str(value)


def _read_xlsx(data: bytes) -> Table:
    # openpyxl is needed only here: imported on use so the app starts without loading it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidInput(_("The file could not be read as an Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        headers = None
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in values]
            if not any(cell != "" for cell in cells):
                continue
            if headers is None:
                headers = [_clean_header(value) for value in values]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                break
    finally:
        workbook.close()
    return Table("xlsx", headers or [], rows)


def table_read(*, data: bytes, name: str = "") -> Table:
    """Read a CSV or .xlsx file's bytes. Raises InvalidInput when it is empty, too big or unreadable."""
    if not data:
        raise InvalidInput(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            _("The file is too big: up to %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    lowered = name.lower()
    if data.startswith(XLSX_MAGIC) or lowered.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif lowered.endswith((".xls", ".ods", ".numbers")):
        raise InvalidInput(_("Save the spreadsheet as CSV or Excel (.xlsx) and upload it again."))
    else:
        table = _read_csv(data)
    if not any(table.headers):
        raise InvalidInput(_("The file has no header row."))
    if len(table.rows) > MAX_ROWS:
        raise InvalidInput(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": number_text(MAX_ROWS)}
        )
    return table
