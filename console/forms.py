"""Reading the console's forms: ids ticked in a list, a decision, a reason; and running one
service over several ids (all or nothing: any refusal rolls the whole batch back and says which
item it was)."""
from collections.abc import Callable

from flask import request

from server.errors import DomainError, Invalid

MAX_BATCH = 200
REASON_MAX = 200


def ticked_ids(field: str = "ids") -> list[int]:
    """The ids ticked in the form (checkboxes named `field`), at least one."""
    ids = []
    for raw in request.form.getlist(field)[:MAX_BATCH]:
        if not raw.isdecimal() or not 1 <= int(raw) < 2**31:
            raise Invalid("选择有误，请刷新页面后重试")
        ids.append(int(raw))
    if not ids:
        raise Invalid("请至少勾选一项")
    return list(dict.fromkeys(ids))


def decision() -> bool:
    """approve → True, reject → False (the button pressed)."""
    value = request.form.get("decision")
    if value not in ("approve", "reject"):
        raise Invalid("请选择通过或不通过")
    return value == "approve"


def reason(*, required: bool) -> str | None:
    text = (request.form.get("reason") or "").strip()
    if len(text) > REASON_MAX:
        raise Invalid(f"原因不能超过 {REASON_MAX} 字")
    if required and not text:
        raise Invalid("请填写原因")
    return text or None


def for_each(ids: list[int], label: str, action: Callable[[int], object]) -> int:
    """action(id) for every id; a refusal names the item (the request then rolls back)."""
    for position, item in enumerate(ids, 1):
        try:
            action(item)
        except DomainError as exc:
            exc.message = f"第 {position} 项（{label} #{item}）：{exc.message}；本批未做任何更改"
            raise
    return len(ids)
