"""Reading the console's forms: ids ticked in a list, a decision, a reason; and running one
service over several ids (all or nothing: any refusal rolls the whole batch back and says which
item it was)."""
from collections.abc import Callable

from flask import request

from server.errors import DomainError, Invalid

MAX_BATCH = 200
REASON_MAX = 200


def form_int(raw: str | None, low: int = 1, high: int = 2**31 - 1) -> int | None:
    """A whole number typed into a form, from low to high; None for anything else. ASCII digits
    only: str.isdigit() also says yes to "²", which int() refuses."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def form_number(field: str, low: int, high: int) -> int:
    """The whole number `field` of the posted form, from low to high, or a 422 page."""
    value = form_int(request.form.get(field), low, high)
    if value is None:
        raise Invalid("填写有误，请检查后重试")
    return value


def ticked_ids(field: str = "ids") -> list[int]:
    """The ids ticked in the form (checkboxes named `field`), at least one."""
    ids = []
    for raw in request.form.getlist(field)[:MAX_BATCH]:
        if form_int(raw) is None:
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
