"""Chinese names of the codes the console shows a person: statuses, roles, audit actions.

The house way is a `STATUS_NAMES` dict beside each status enum (server/projects/models.py,
server/care/models.py ...); this module gathers those and names the enums that have none yet,
The status names themselves are server/names.py (the 一人一档 Excel uses them too),
so a template never prints a raw code: `{{ status_name(row.status, 'wish') }}`. tests/console/
test_no_raw_codes.py renders every page and fails on a text that equals a status value.
"""
from server.identity.models import Role
from server.names import FILE_SECTIONS, STATUS, status_name, status_values  # noqa: F401 (re-exported for templates and tests)

# the console roles (the header's tags, the login page) and every role (the audit trail)
CONSOLE_ROLE_NAMES = {
    Role.SECRETARY: "社区书记", Role.ADMIN: "组织部管理员", Role.GRID_WORKER: "网格员",
    Role.STATION_KEEPER: "爱心超市管理员", Role.UNIT_SECRETARY: "单位党组织书记",
    Role.FUND_OFFICER: "关爱基金管理员", Role.LEADING_GROUP: "帮扶领导小组"}
ROLE_NAMES = {**CONSOLE_ROLE_NAMES, Role.RESIDENT: "居民", Role.VOLUNTEER: "志愿者",
              Role.SYSTEM: "系统"}


def file_cell(section: str, key: str, value, rules: dict | None = None):
    """A cell of a 一人一档 section as the page shows it: status codes named, a points entry's
    rule by its description (`rules`: code → description), its reference as 心愿 #12."""
    if key == "status" and section in FILE_SECTIONS:
        return status_name(value, FILE_SECTIONS[section])
    if section == "points" and key == "reason":
        return (rules or {}).get(value) or value
    if section == "points" and key == "ref" and isinstance(value, str) and ":" in value:
        kind, _, ident = value.partition(":")
        return f"{object_name(kind)} #{ident}"
    return value


def role_name(value) -> str:
    return ROLE_NAMES.get(value, "") if value else ""


# --- the audit trail: what each action and object is called -------------------------------------
OBJECT_NAMES = {
    "user": "用户", "aid_card": "救助卡", "aid_card_tier": "救助卡档次", "audit_log": "审计日志",
    "care_posting": "基金记账", "care_batch": "发放批次", "care_case": "帮扶案件",
    "care_contribution": "基金捐款", "care_fund": "关爱基金", "service_day": "奉献日",
    "console_login": "工作台登录", "contact_card": "爱心联系卡", "donation_drive": "捐献活动",
    "donation": "捐献", "matching_run": "智能匹配", "match_proposal": "匹配建议", "order": "订单",
    "import": "批量导入", "pairing": "结对", "pairing_run": "结对推荐", "pairing_proposal": "结对建议",
    "points_rule": "积分规则", "post": "岗位", "post_log": "履职记录", "project": "项目",
    "redemption": "兑换", "star_period": "六星评定期次", "star_review": "六星评定",
    "station": "爱心超市", "stock_item": "库存", "volunteer": "志愿者", "wish": "心愿",
    "street": "街道", "community": "社区", "grid": "网格", "unit": "单位", "skill": "技能",
    "resident": "居民", "points": "积分", "role": "角色", "account": "账户", "hardship": "困难等级",
    "consent": "授权", "checkin": "报到", "matching": "匹配建议", "aid": "救助卡",
    "console": "工作台", "district": "区", "station_keeper": "爱心超市",
}
VERB_NAMES = {
    "create": "新建", "update": "修改", "delete": "删除", "cancel": "取消", "export": "导出",
    "withdraw": "撤回", "issue": "发放", "tier": "设置档次", "approve": "批准", "end": "结束",
    "run": "运行", "assign": "派单", "contact_read": "查看联系方式", "rate_for_resident": "代居民评价",
    "propose": "推荐", "rule": "修改规则", "appoint": "任命", "relieve": "卸任", "claim": "认领",
    "done": "完成", "read": "查看", "leave": "退出", "confirm_for_owner": "代居民确认",
    "post_on_behalf": "代办发布", "open": "开启", "branch_review": "支部评议",
    "peer_score": "互评打分", "self_assess": "自评", "adjust": "调整", "transfer": "调拨",
    "grant": "授予", "revoke": "撤销", "set": "登记", "phone": "登记电话", "register": "代办登记",
    "import": "导入", "adjustment": "调整", "login_confirmed": "扫码登录", "accept": "查验通过", "reject": "查验不通过",
    "accepted": "采纳", "rejected": "不采纳", "declined": "婉拒",
    "proposal_accepted": "采纳建议", "proposal_rejected": "不采纳建议",
    "log_confirmed": "确认", "log_rejected": "驳回",
    # 帮扶案件 (care_case_<action>)
    "applied": "申请", "verified": "核实", "publicised": "公示", "approved": "批准",
    "exited": "退出", "objection": "异议", "objection_resolved": "处理异议",
    "eligibility_override": "调整资格认定", "batch_created": "新建批次", "batch_approved": "批准批次",
    "batch_paid": "发放批次", "contribution_reversed": "冲销捐款", "ledger_export": "导出台账",
    "report_read": "查看报表", "case_read": "查看案件",
}
_CARE = "care_"


def scope_name(scope: str | None, communities: dict[int, str] | None = None) -> str:
    """An audit row's scope ("community:3", "street:1", "" for the whole district) in Chinese."""
    if not scope:
        return "全区"
    kind, _, ident = scope.partition(":")
    if kind == "community" and ident.isdecimal() and communities and int(ident) in communities:
        return communities[int(ident)]
    return f"{OBJECT_NAMES.get(kind, '范围')} #{ident}"


def object_name(code: str | None) -> str:
    return OBJECT_NAMES.get(code or "", code or "")


def action_name(code: str | None) -> str:
    """e.g. org.community.create → 新建社区, care_case_verified → 帮扶案件核实; unknown: ''."""
    code = code or ""
    parts = code.split(".")
    if parts[0] == "org" and len(parts) == 3:
        parts = parts[1:]
    if len(parts) == 2:
        noun, verb = parts
    elif code.startswith(_CARE + "case_"):
        noun, verb = "care_case", code[len(_CARE + "case_"):]
    elif code.startswith(_CARE):
        noun, verb = "care_fund", code[len(_CARE):]
    else:
        return ""
    if verb not in VERB_NAMES or noun not in OBJECT_NAMES:
        return ""
    return f"{OBJECT_NAMES[noun]}·{VERB_NAMES[verb]}"
