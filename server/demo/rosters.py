"""The demo district's rosters as a district would send them: workbooks of communities, units,
volunteers and residents, loaded through the same importer as a real district's files."""
from ..identity.actor import SYSTEM
from ..org.imports import services as imports
from ..org.imports.templates import workbook_from_rows

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
STATUS_TEXT = {"active": "在岗", "pending": "待审核", "rejected": "未通过", "left": "已退出"}


def availability_text(windows) -> str:
    if len(windows) == 7 and len({(w["start"], w["end"]) for w in windows}) == 1:
        return f"每天{windows[0]['start']}-{windows[0]['end']}"
    return "；".join(f"{WEEKDAYS[w['weekday']]}{w['start']}-{w['end']}" for w in windows)


def import_rows(kind: str, rows: list[dict], openids: dict | None = None):
    """Build the workbook of `kind` and import it; refuses (ValueError) if any row is bad."""
    data = workbook_from_rows(kind, rows)
    run = imports.start_import(SYSTEM, kind, f"demo-{kind}.xlsx", False)
    new_openid = (lambda values: openids[values["phone"]]) if openids else None
    run = imports.run_import(SYSTEM, run, data, new_openid=new_openid)
    if run.errors:
        raise ValueError(f"demo {kind} workbook refused: {run.errors[:3]}")
    return run
