"""The ledgers (台账) and reports that leave the system as Excel, in one house style.

Every export of every capability is written here: a title row, Chinese headers (bold, frozen),
column widths, number formats per column kind and, when asked, a totals row. Services build the
rows (already scope-filtered and masked); the API or console turns them into a workbook:

    columns = [Column("社区", width=16), Column("捐赠件数", Kind.INT, total=True),
               Column("估值（元）", Kind.FEN, total=True), Column("日期", Kind.DATE)]
    body = workbook([Sheet("捐献登记表", "某街道 2026 年党员一日捐献登记表", columns, rows)])

Money is integer fen in the database and in `rows`; a `Kind.FEN` column shows yuan (fen / 100)
with two decimals. Read back in tests with openpyxl (`read_sheet`).

No cell of an export is a formula: text people typed (a name, a unit, a title) that starts with
"=" is written as text, so Excel shows it and never runs it (`plain_text`).
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    FEN = "fen"  # integer fen in, yuan shown
    DECIMAL = "decimal"  # hours, medians: two decimals
    PERCENT = "percent"  # a ratio 0..1
    DATE = "date"
    DATETIME = "datetime"


FORMATS = {Kind.TEXT: "@", Kind.INT: "#,##0", Kind.FEN: "#,##0.00", Kind.DECIMAL: "0.00",
           Kind.PERCENT: "0.0%", Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}
_NUMERIC = {Kind.INT, Kind.FEN, Kind.DECIMAL}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: int | None = None
    total: bool = False  # summed in the totals row (numeric kinds only)


@dataclass
class Sheet:
    name: str  # ≤ 31 characters (Excel's limit)
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    totals: bool | None = None  # None: a totals row when any column asks for one
    note: str | None = None  # a line under the table (source, masking rule, export time)


def _cell_value(kind: Kind, value):
    if value is None:
        return None
    if kind == Kind.FEN:
        return round(int(value) / 100, 2)
    if kind == Kind.DATETIME and isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass local time
    if kind == Kind.TEXT and not isinstance(value, str):
        return str(value)
    return value


def _width(column: Column) -> int:
    if column.width:
        return column.width
    base = {Kind.DATE: 12, Kind.DATETIME: 17}.get(column.kind, 10)
    return max(base, 2 * len(column.header) + 4)


def _write_sheet(book: Workbook, spec: Sheet) -> None:
    sheet = book.create_sheet(spec.name[:31])
    columns = spec.columns
    sheet.append([spec.title])
    sheet.cell(row=1, column=1).font = _TITLE
    if len(columns) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = _BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    for row in spec.rows:
        sheet.append([_cell_value(c.kind, v) for c, v in zip(columns, row, strict=True)])
    last = 2 + len(spec.rows)
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=3, max_row=last, min_col=index, max_col=index):
            cell.number_format = FORMATS[column.kind]
    if spec.totals if spec.totals is not None else any(c.total for c in columns):
        _totals_row(sheet, columns, spec.rows, last)
    if spec.note:
        sheet.append([])
        sheet.append([spec.note])
    for row in sheet.iter_rows():
        for cell in row:
            plain_text(cell)
    sheet.freeze_panes = "A3"


def plain_text(cell):
    """The cell as text when openpyxl took a string for a formula (it starts with "="): an
    export holds no formula, and a name typed as one must not run when the file is opened."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _totals_row(sheet, columns: list[Column], rows: list[list], last: int) -> None:
    """Values, not formulas, so a reader without a calculation engine (openpyxl, the tests, a
    pandas script) sees the same totals as Excel does."""
    row = last + 1
    sheet.cell(row=row, column=1, value="合计").font = _BOLD
    for index, column in enumerate(columns, start=1):
        if column.total and column.kind in _NUMERIC and index > 1:
            value = sum(r[index - 1] or 0 for r in rows)
            cell = sheet.cell(row=row, column=index, value=_cell_value(column.kind, value))
            cell.font = _BOLD
            cell.number_format = FORMATS[column.kind]


def workbook(sheets: list[Sheet]) -> bytes:
    """The workbook's bytes: one worksheet per `Sheet`, in order."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        _write_sheet(book, spec)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_sheet(data: bytes, name: str | None = None) -> tuple[str, list, list[list]]:
    """(title, headers, body rows incl. a totals row) of a workbook written here — for tests and
    for the round trip of exports."""
    book = load_workbook(BytesIO(data))
    sheet = book[name] if name else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0][0], rows[1], rows[2:]


def as_date(value) -> date | None:
    """A date for a DATE column from a date or datetime (None stays None)."""
    if isinstance(value, datetime):
        return value.date()
    return value
