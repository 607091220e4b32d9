"""Policy: parties — nobody stands on both sides of a transition.

A transition has a *subject* side (the person it is about: the applicant, the claimer or provider
whose work is confirmed, the owner or resident who benefits) and a *deciding* side (the approver,
the confirmer, the rater, the secretary who assigns). One person may hold several roles at once —
a secretary is also a resident and may be a volunteer — so roles never separate the sides: this
module compares PEOPLE (user ids). A volunteer profile counts as the user who holds it.

Every service that takes such a step calls `require_not_party(actor, *subjects)` before changing
anything; it raises Forbidden (403) with a Chinese message. Later capabilities (donor/inspector,
applicant/verifier/approver, self/peer reviewer) call the same helper with their own SIDES entry.
The transitions covered today, and why each other state-changing endpoint needs none, are listed
in tests/api/test_both_sides.py, which fails when a new endpoint is not listed there.
"""
from ..errors import DomainError, Forbidden
from ..extensions import db

# Messages for the kinds of "both sides" this code base knows; new capabilities add theirs.
SIDES = {
    "applicant/approver": "不能审核本人的申请",
    "owner/reviewer": "不能审核本人发布的心愿",
    "owner/claimer": "不能认领自己发布的心愿",
    "claimer/confirmer": "不能确认本人认领或完成的心愿",
    "project claimer/confirmer": "不能确认本人认领的项目",
    "booker/provider": "不能预约自己提供的服务",
    "resident/provider": "不能接受或处理本人下的订单",
    "provider/rater": "不能评价本人提供的服务",
    "assigner/assignee": "不能把任务派给自己，或为本人的需求派单",
    "granter/grantee": "不能给本人授予或激活角色",
    "household/assessor": "不能给本人的家庭登记困难等级",
    # volunteer service system (issue 16a: posts, pairings)
    "holder/confirmer": "不能确认本人的履职记录",
    "volunteer/household": "志愿者不能与本人的家庭结对",
    # donations and the love supermarket (issue 14)
    "donor/inspector": "不能查验本人捐献的物品",
    "recipient/keeper": "不能为本人办理爱心超市兑换",
    "donor/recipient": "不能确认收到本人捐献的物品",
    "linker/party": "不能为本人建立爱心联系卡",
    # care fund and casework (server/care)
    "applicant/verifier": "不能核实本人的帮扶申请",
    "applicant/publisher": "不能公示本人的帮扶申请",
    "applicant/objector": "不能对本人的帮扶公示提出异议",
    "applicant/contact": "申请人不能担任本人案件的跟踪联系人",
    "objector/resolver": "不能处理本人提出的异议",
    "maker/approver": "不能审批本人编制的发放批次",
    "approver/payer": "批准发放批次的人不能同时执行发放",
    "payee/approver": "发放批次中有本人的帮扶款项，不能由本人批准",
    "payee/payer": "发放批次中有本人的帮扶款项，不能由本人发放",
    # volunteer service system, part b (projects, 争六星)
    "publisher/claimer": "不能认领本人发布的项目",
    "self/peer reviewer": "不能给本人的六星评定互评打分",
    "reviewee/reviewer": "不能评议或审定本人的六星评定",
    "branch/approver": "支部评议人不能再审定同一份六星评定",
}
DEFAULT_MESSAGE = "不能处理与本人有关的事项：同一人不能同时处在这一步的两边"


def _user_of(party) -> int | None:
    """A user id from an Actor, a user id, or None (a party that does not exist yet)."""
    if party is None or isinstance(party, int):
        return party
    return getattr(party, "user_id", None)


def volunteer_user(volunteer_id: int | None) -> int | None:
    """The user holding a volunteer profile (None for no volunteer)."""
    if volunteer_id is None:
        return None
    from ..volunteers.models import Volunteer  # cycle: volunteers imports policy
    return db.session.execute(db.select(Volunteer.user_id)
                              .where(Volunteer.id == volunteer_id)).scalar_one_or_none()


def same_person(actor, *subjects) -> bool:
    """True when the actor (an Actor or user id) is any of the subjects (Actors or user ids).
    The SYSTEM actor (no user) is nobody's party."""
    me = _user_of(actor)
    return me is not None and any(_user_of(s) == me for s in subjects)


def message_for(sides: str | None) -> str:
    return SIDES.get(sides, DEFAULT_MESSAGE) if sides else DEFAULT_MESSAGE


def require_not_party(actor, *subjects, sides: str | None = None, message: str | None = None,
                      error: type[DomainError] = Forbidden) -> None:
    """Refuse when the actor is one of the subjects of the step they take: 403 by default;
    `error=Conflict` where the API already answered that case with 409 (claiming one's own
    wish)."""
    if same_person(actor, *subjects):
        raise error(message or message_for(sides))


def require_different(actor_user_id: int | None, subject_user_id: int | None,
                      *, sides: str | None = None, message: str | None = None) -> None:
    """The two-person form: the one deciding is not the one the decision is about."""
    require_not_party(actor_user_id, subject_user_id, sides=sides, message=message)


def require_not_volunteer(actor, *volunteer_ids: int | None, sides: str | None = None,
                          message: str | None = None,
                          error: type[DomainError] = Forbidden) -> None:
    """Like require_not_party, for subjects named by their volunteer profile."""
    require_not_party(actor, *(volunteer_user(v) for v in volunteer_ids), sides=sides,
                      message=message, error=error)
