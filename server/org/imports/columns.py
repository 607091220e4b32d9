"""The columns of each kind's workbook: a Chinese header, the field it fills, its type, and the
example the template shows."""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    type: str = "text"        # text, int, float, date, phone, yesno, json
    required: bool = False
    example: object = ""
    max_len: int = 50
    width: int = 14


COLUMNS = {
    "communities": [
        Column("街道", "street", required=True, example="米市巷街道"),
        Column("社区名称", "name", required=True, example="卖鱼桥社区"),
        Column("中心纬度", "lat", "float", True, 30.2968),
        Column("中心经度", "lng", "float", True, 120.1523),
        Column("边界(GeoJSON)", "boundary", "json", example="", max_len=100_000, width=30),
    ],
    "units": [
        Column("单位名称", "name", required=True, example="区委组织部机关党支部", max_len=80, width=28),
        Column("单位类型", "kind", example="机关", max_len=20),
        Column("共建街道", "street", example="米市巷街道"),
        Column("共建社区", "community", example="卖鱼桥社区"),
    ],
    "volunteers": [
        Column("姓名", "name", required=True, example="李建国", max_len=40),
        Column("手机号", "phone", "phone", True, "13800001111"),
        Column("街道", "street", required=True, example="米市巷街道"),
        Column("报到社区", "community", required=True, example="卖鱼桥社区"),
        Column("所在单位", "unit", required=True, example="区委组织部机关党支部", max_len=80,
               width=28),
        Column("技能", "skills", example="电器维修、水电维修", max_len=400, width=24),
        Column("服务时间", "availability", example="周六09:00-12:00；周日09:00-12:00", max_len=400,
               width=32),
        Column("每日可接任务数", "capacity_per_day", "int", example=2),
        Column("服务半径(米)", "max_distance_m", "int", example=3000),
        Column("住址纬度", "lat", "float", example=30.2990),
        Column("住址经度", "lng", "float", example=120.1550),
        Column("报到日期", "reported_on", "date", example=date(2026, 3, 1)),
        Column("状态", "status", example="在岗", max_len=10),
    ],
    "residents": [
        Column("姓名", "name", required=True, example="王秀英", max_len=40),
        Column("手机号", "phone", "phone", True, "13900002222"),
        Column("街道", "street", required=True, example="米市巷街道"),
        Column("社区", "community", required=True, example="卖鱼桥社区"),
        Column("网格", "grid", example="卖鱼桥第1网格"),
        Column("住址", "address", required=True, example="卖鱼桥直街12号3幢201室", max_len=200,
               width=30),
        Column("纬度", "lat", "float", example=30.2970),
        Column("经度", "lng", "float", example=120.1525),
        Column("困难等级(1-3)", "need_tier", "int", example=""),
        Column("已签困难信息同意书(是/否)", "hardship_consent", "yesno", example="否", width=26),
    ],
}

KINDS = tuple(COLUMNS)
