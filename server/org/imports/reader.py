"""Streams a workbook (openpyxl read-only mode) into rows of typed values, with an error for each
bad cell: a formula, a date typed as text, a number that is not one, a phone that is not one."""
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from ...errors import Invalid
from ..geo import geojson_problem
from .columns import COLUMNS, Column

MAX_ROWS = 20_000
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_YES = {"是", "有", "y", "yes", "true", "1"}
_NO = {"否", "无", "n", "no", "false", "0"}
NOT_A_WORKBOOK = "文件不是有效的 Excel 工作簿（.xlsx），请使用下载的模板填写"


@dataclass
class Row:
    number: int                       # the row's number as Excel shows it
    values: dict
    errors: list = field(default_factory=list)   # [(column header, message)]
    headers: dict = field(default_factory=dict)  # field key → its column's header


class CellError(ValueError):
    pass


def open_sheet(data: bytes):
    """The first sheet of the workbook, read-only; 422 when the bytes are not a workbook."""
    import openpyxl  # start-up: only an import reads workbooks
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=False)
        return workbook, workbook.worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable upload is the caller's 422, never a 500
        raise Invalid(NOT_A_WORKBOOK, {"file": [NOT_A_WORKBOOK]})


def header_map(kind: str, header_cells) -> dict[int, Column]:
    """Column position → Column, from the header row; 422 naming every missing column."""
    wanted = {c.header: c for c in COLUMNS[kind]}
    found = {}
    for index, value in enumerate(header_cells):
        text = str(value).strip().rstrip("*＊").strip() if value is not None else ""
        if text in wanted and wanted[text] not in found.values():
            found[index] = wanted[text]
    missing = [c.header for c in COLUMNS[kind] if c.required and c not in found.values()]
    if missing:
        message = "缺少必填列：" + "、".join(missing)
        raise Invalid(message, {"columns": [message]})
    return found


def read_rows(kind: str, data: bytes, on_row=lambda n: None):
    """Yield a Row for every non-empty data row of the first sheet."""
    workbook, sheet = open_sheet(data)
    try:
        rows = sheet.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            raise Invalid("工作簿是空的", {"file": ["工作簿是空的"]})
        columns = header_map(kind, list(header))
        headers = {c.key: c.header for c in COLUMNS[kind]}
        count = 0
        for number, cells in enumerate(rows, start=2):
            row = _row(number, cells, columns, headers)
            if row is None:
                continue
            count += 1
            if count > MAX_ROWS:
                raise Invalid(f"一次最多导入 {MAX_ROWS} 行", {"file": [f"一次最多导入 {MAX_ROWS} 行"]})
            on_row(count)
            yield row
    except Invalid:
        raise
    except Exception:  # noqa: BLE001 — a damaged sheet part way through is still a 422
        raise Invalid(NOT_A_WORKBOOK, {"file": [NOT_A_WORKBOOK]})
    finally:
        workbook.close()


def _row(number, cells, columns, headers) -> Row | None:
    values, errors, empty = {}, [], True
    for index, column in columns.items():
        raw = cells[index] if index < len(cells) else None
        if isinstance(raw, str) and not raw.strip():
            raw = None
        if raw is not None:
            empty = False
        try:
            if isinstance(raw, str) and raw.startswith("="):  # unevaluated: read with formulas
                raise CellError("不能使用公式，请复制后“粘贴为数值”")
            values[column.key] = convert(column, raw)
        except CellError as exc:
            errors.append((column.header, str(exc)))
            values[column.key] = None
    if empty:
        return None
    for column in columns.values():
        if column.required and values.get(column.key) is None and \
                not any(h == column.header for h, _ in errors):
            errors.append((column.header, "必填，不能为空"))
    return Row(number, values, errors, headers)


def convert(column: Column, raw):
    if raw is None:
        return None
    return _CONVERTERS[column.type](column, raw)


def _text(column, raw):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (datetime, date)):
        raise CellError("应为文字，不能是日期")
    text = str(raw).strip()
    if len(text) > column.max_len:
        raise CellError(f"不能超过 {column.max_len} 个字")
    if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", text):
        raise CellError("不能包含控制字符或无效字符")
    return text


def _int(column, raw):
    if isinstance(raw, bool) or isinstance(raw, (datetime, date)):
        raise CellError("应为整数")
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", raw):
        return int(raw)
    raise CellError("应为整数")


def _float(column, raw):
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,3}(\.\d{1,12})?\s*", raw):
        value = float(raw)
    else:
        raise CellError("应为数字")
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("应为数字")
    return value


def _date(column, raw):
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    raise CellError(f"应为日期格式的单元格（现在是文本“{str(raw)[:20]}”），请在 Excel 中设为日期")


def _phone(column, raw):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s-]", "", str(raw))
    if not _PHONE.match(text):
        raise CellError("手机号应为 11 位数字")
    return text


def _yesno(column, raw):
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError("请填写“是”或“否”")


def _json(column, raw):
    text = _text(column, raw)
    try:
        value = json.loads(text)
    except ValueError:
        raise CellError("不是有效的 GeoJSON")
    problem = geojson_problem(value)
    if problem:
        raise CellError(problem)
    return value


_CONVERTERS = {"text": _text, "int": _int, "float": _float, "date": _date, "phone": _phone,
               "yesno": _yesno, "json": _json}
