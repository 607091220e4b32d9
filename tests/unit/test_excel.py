"""The house style of every Excel export (server/excel.py), read back with openpyxl."""
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from server.excel import Column, Kind, Sheet, read_sheet, workbook


def _book():
    columns = [Column("社区"), Column("件数", Kind.INT, total=True),
               Column("金额（元）", Kind.FEN, total=True), Column("日期", Kind.DATE)]
    rows = [["和平社区", 3, 1050, date(2026, 6, 1)], ["幸福社区", 2, 99, date(2026, 6, 2)]]
    return workbook([Sheet("登记表", "2026 年登记表", columns, rows, note="姓名已脱敏")])


def test_title_headers_rows_and_totals_read_back():
    title, headers, body = read_sheet(_book(), "登记表")
    assert title == "2026 年登记表"
    assert headers == ["社区", "件数", "金额（元）", "日期"]
    assert body[0][:3] == ["和平社区", 3, 10.5]
    assert body[2][:3] == ["合计", 5, 11.49]
    assert body[-1][0] == "姓名已脱敏"


def test_header_frozen_widths_and_formats():
    sheet = load_workbook(BytesIO(_book()))["登记表"]
    assert sheet.freeze_panes == "A3"
    assert sheet["C3"].number_format == "#,##0.00"
    assert sheet["D3"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= 10


def test_no_totals_row_unless_a_column_asks():
    data = workbook([Sheet("表", "标题", [Column("名称"), Column("数", Kind.INT)], [["甲", 1]])])
    _, _, body = read_sheet(data)
    assert body == [["甲", 1]]
