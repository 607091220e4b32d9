"""Workbooks written by the server: an import template per kind, and tables (the audit export)
with a title row, Chinese headers, column widths and a frozen header."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ...excel import plain_text
from .columns import COLUMNS

_HEAD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(kind: str) -> bytes:
    """The columns of `kind` (required ones marked *) and one example row."""
    columns = COLUMNS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    sheet.append([c.header + ("*" if c.required else "") for c in columns])
    sheet.append([c.example if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEAD
        if column.required:
            cell.fill = _REQUIRED
        if column.type == "date":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
        if column.type == "phone":
            sheet.cell(row=2, column=index).number_format = "@"
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    return _save(book)


def rows_workbook(headers: list[str], rows, *, title: str, sheet_name: str) -> bytes:
    """A table: title row, header row (frozen), the rows; widths from the headers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.freeze_panes = "A3"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 3 * len(header) + 4)
    sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    return _save(book)


def _text_cell(sheet, value):
    """A string that starts with "=" as a text cell, never a formula (server.excel.plain_text)."""
    if isinstance(value, str) and value.startswith("="):
        return plain_text(WriteOnlyCell(sheet, value=value))
    return value


def _save(book) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_from_rows(kind: str, rows: list[dict]) -> bytes:
    """A filled-in workbook of `kind` (what a district would send): used by the demo and the
    benchmark, which load through the same import path as everyone else."""
    columns = COLUMNS[kind]
    book = Workbook()  # not write-only: the sheet then states its size, as Excel's own files do
    sheet = book.active
    sheet.title = kind
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append([row.get(c.key) for c in columns])
    return _save(book)
