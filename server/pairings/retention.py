"""Retention of pairings (called by server/privacy_lifecycle/retention.py, the `retention` job):
visit notes of pairings ended more than RETENTION_TEXT_DAYS ago are erased (the visit rows, which
back the volunteer's record, stay); pairing runs and their proposals (reasons relate volunteers
to homes) go after RETENTION_MATCHING_DAYS, as matching runs do."""
from datetime import datetime

from sqlalchemy import delete, update

from ..extensions import db
from .models import Pairing, PairingProposal, PairingRun, PairingStatus, PairingVisit

QUIET = {"synchronize_session": False}


def erase_old_visit_notes(before: datetime) -> int:
    ended = db.select(Pairing.id).where(Pairing.status == PairingStatus.ENDED,
                                        Pairing.ended_at < before)
    return db.session.execute(update(PairingVisit).where(
        PairingVisit.pairing_id.in_(ended), PairingVisit.note != "").values(note="")
        .execution_options(**QUIET)).rowcount


def delete_old_runs(before: datetime) -> int:
    runs = db.select(PairingRun.id).where(PairingRun.created_at < before)
    proposals = db.select(PairingProposal.id).where(PairingProposal.run_id.in_(runs))
    db.session.execute(update(Pairing).where(Pairing.proposal_id.in_(proposals))
                       .values(proposal_id=None).execution_options(**QUIET))
    db.session.execute(delete(PairingProposal).where(PairingProposal.run_id.in_(runs))
                       .execution_options(**QUIET))
    return db.session.execute(delete(PairingRun).where(PairingRun.id.in_(runs))
                              .execution_options(**QUIET)).rowcount
