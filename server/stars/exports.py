"""争六星 reviews as Excel for the secretaries in scope (names unmasked inside the
organisation); audited."""
from ..audit.services import record_audit
from ..errors import Forbidden, NotFound
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role, User
from ..policy.scope import communities_covered
from ..volunteers.models import Volunteer
from .models import STARS, STATUS_NAMES, StarPeriod, StarReview
from .queries import require_filters_in_scope
from .services import _period

COLUMNS = ([Column("姓名", width=10), Column("支部（社区）", width=16), Column("状态", width=12),
            Column("自评", Kind.INT), Column("互评均分", Kind.DECIMAL), Column("互评人数", Kind.INT)]
           + [Column(name, Kind.INT) for name, _ in STARS.values()]
           + [Column("评定总分", Kind.INT), Column("表彰", width=6),
              Column("人数", Kind.INT, total=True)])


def export_reviews(actor: Actor, filters: dict) -> bytes:
    covered = communities_covered(actor, (Role.SECRETARY,))
    if not covered:
        raise Forbidden("只有书记可以导出六星评定")
    require_filters_in_scope(actor, filters, (Role.SECRETARY,))
    period = (_period(filters["period"]) if filters.get("period") else
              db.session.execute(db.select(StarPeriod).order_by(StarPeriod.code.desc())
                                 .limit(1)).scalar_one_or_none())
    if period is None:
        raise NotFound("还没有评星周期")
    query = (db.select(StarReview, User.name, Community.name)
             .join(Volunteer, Volunteer.id == StarReview.volunteer_id)
             .join(User, User.id == Volunteer.user_id)
             .join(Community, Community.id == StarReview.community_id)
             .where(StarReview.period_id == period.id, StarReview.community_id.in_(covered))
             .order_by(StarReview.community_id, StarReview.id))
    if filters.get("community_id"):
        query = query.where(StarReview.community_id == filters["community_id"])
    rows = []
    for review, name, community in db.session.execute(query).all():
        scores = review.branch_scores or {}
        rows.append([name or "", community, STATUS_NAMES[review.status], review.self_total,
                     review.peer_average, review.peer_count]
                    + [scores.get(code) for code in STARS]
                    + [review.branch_total, "是" if review.commended else "", 1])
    record_audit(actor, "star_review.export", "star_period", period.id,
                 detail={"rows": len(rows)})
    return workbook([Sheet("六星评定", f"争六星 {period.code} 评定汇总", COLUMNS, rows,
                           note="95 分及以上为表彰对象；街道审定后公示")])
