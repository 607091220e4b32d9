"""The star-rating part of a volunteer's file (一人一档)."""
from ..extensions import db
from .models import STATUS_NAMES, StarReview


def file_section(volunteer_id: int) -> list[dict]:
    """Each period's review: self score, peer average, final score, commendation."""
    reviews = db.session.execute(db.select(StarReview).where(
        StarReview.volunteer_id == volunteer_id).order_by(StarReview.id.desc())).scalars().all()
    return [{"kind": "star_review", "id": r.id, "period": r.period.code, "status": r.status,
             "status_name": STATUS_NAMES[r.status], "self_total": r.self_total,
             "peer_average": r.peer_average, "peer_count": r.peer_count,
             "final_total": r.final_total, "commended": r.commended} for r in reviews]
