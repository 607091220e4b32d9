"""Retention: what the jobs process deletes or anonymises once it is no longer needed (the
table "## Retention" in docs/security.md; every period is a setting, RETENTION_*_DAYS).

Rows others rely on (a closed wish or order, a claim, a points entry) stay, but the free text and
exact positions in them go after RETENTION_TEXT_DAYS; delivery records, old audit rows,
withdrawn consents and matching runs are deleted. Each step is one bulk statement, so a run
touches any number of rows in one short transaction, and a second run changes nothing more.
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select, update

from ..audit.models import AuditEntry
from ..care.models import Case, CaseStatus, Objection, Revisit
from ..config import settings
from ..console_auth.models import ConsoleLogin, ConsoleLoginStatus
from ..donations.retention import erase_old_ack_texts  # donations (issue 14)
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Consent
from ..matching_runs.models import MatchingRun, MatchProposal, RunStatus
from ..notifications.models import OutboxMessage, OutboxStatus
from ..orders.models import OrderStatus, ServiceOrder
from ..pairings.retention import delete_old_runs, erase_old_visit_notes  # 16a
from ..posts.retention import erase_old_log_notes  # volunteer service system (16a)
from ..projects.models import Project, ProjectStatus, ProjectUpdate  # volunteer service, b
from ..scheduling.settings import system_only
from ..timeutil import utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import Wish, WishClaim, WishStatus

CLOSED_WISH = (WishStatus.CONFIRMED, WishStatus.CANCELLED, WishStatus.EXPIRED,
               WishStatus.REJECTED)
CLOSED_ORDER = (OrderStatus.RATED, OrderStatus.CANCELLED, OrderStatus.NO_SHOW)
FINAL_MESSAGE = (OutboxStatus.SENT, OutboxStatus.REFUSED, OutboxStatus.FAILED,
                 OutboxStatus.UNCERTAIN)
QUIET = {"synchronize_session": False}


def cutoff(name: str, now: datetime) -> datetime:
    return now - timedelta(days=getattr(settings(), name.lower()))


def enforce_retention(actor: Actor, *, now: datetime | None = None) -> dict:
    """One pass over every kind of record the retention table names; counts per kind."""
    system_only(actor)
    now = now or utcnow()
    counts = {
        "wishes_erased": _erase_old_wishes(cutoff("RETENTION_TEXT_DAYS", now)),
        "orders_erased": _erase_old_orders(cutoff("RETENTION_TEXT_DAYS", now)),
        "leavers_coarsened": _coarsen_leavers(cutoff("RETENTION_LEAVER_DAYS", now)),
        "messages_deleted": _delete(OutboxMessage, OutboxMessage.status.in_(FINAL_MESSAGE),
                                    OutboxMessage.created_at < cutoff("RETENTION_OUTBOX_DAYS", now)),
        "audit_deleted": _delete(AuditEntry, AuditEntry.at < cutoff("RETENTION_AUDIT_DAYS", now)),
        "consents_deleted": _delete(Consent, Consent.withdrawn_at.is_not(None),
                                    Consent.withdrawn_at < cutoff("RETENTION_AUDIT_DAYS", now)),
    }
    counts["care_cases_erased"] = _erase_old_cases(cutoff("RETENTION_TEXT_DAYS", now))
    counts["matching_runs_deleted"] = _delete_old_runs(cutoff("RETENTION_MATCHING_DAYS", now))
    # the console (issue 13): login scenes and ended sessions; a live session stays
    counts["console_logins_deleted"] = _delete(
        ConsoleLogin, ConsoleLogin.status != ConsoleLoginStatus.ACTIVE,
        ConsoleLogin.created_at < cutoff("RETENTION_CONSOLE_DAYS", now))
    # volunteer service system (issue 16a)
    counts["visit_notes_erased"] = erase_old_visit_notes(cutoff("RETENTION_TEXT_DAYS", now))
    counts["duty_log_notes_erased"] = erase_old_log_notes(cutoff("RETENTION_TEXT_DAYS", now))
    counts["pairing_runs_deleted"] = delete_old_runs(cutoff("RETENTION_MATCHING_DAYS", now))
    counts["projects_erased"] = _erase_old_projects(cutoff("RETENTION_TEXT_DAYS", now))  # 项目清单
    # donations (issue 14): the free text of acknowledgements; the fact and date stay
    counts["ack_texts_erased"] = erase_old_ack_texts(cutoff("RETENTION_ACK_DAYS", now))
    db.session.flush()
    return counts


def _delete(model, *where) -> int:
    return db.session.execute(delete(model).where(*where).execution_options(**QUIET)).rowcount


def _community_point(column, model_community_id):
    return select(column).where(Community.id == model_community_id).scalar_subquery()


def _erase_old_wishes(before: datetime) -> int:
    old = and_(Wish.status.in_(CLOSED_WISH), Wish.closed_at < before,
               Wish.description != "")
    claims = db.select(WishClaim.id).join(Wish, Wish.id == WishClaim.wish_id).where(
        Wish.status.in_(CLOSED_WISH), Wish.closed_at < before, WishClaim.end_reason.is_not(None))
    db.session.execute(update(WishClaim).where(WishClaim.id.in_(claims))
                       .values(end_reason=None).execution_options(**QUIET))
    return db.session.execute(update(Wish).where(old).values(
        description="", address=None, photos=[], fulfil_note=None, fulfil_photos=[],
        thanks=None, review_reason=None,
        lat=_community_point(Community.lat, Wish.community_id),
        lng=_community_point(Community.lng, Wish.community_id))
        .execution_options(**QUIET)).rowcount


def _erase_old_orders(before: datetime) -> int:
    closed_at = db.func.coalesce(ServiceOrder.closed_at, ServiceOrder.rated_at,
                                 ServiceOrder.done_at)
    old = and_(ServiceOrder.status.in_(CLOSED_ORDER), closed_at < before,
               (ServiceOrder.note.is_not(None)) | (ServiceOrder.comment.is_not(None))
               | (ServiceOrder.completion_note.is_not(None))
               | (ServiceOrder.close_reason.is_not(None))
               | (ServiceOrder.lat != _community_point(Community.lat, ServiceOrder.community_id)))
    return db.session.execute(update(ServiceOrder).where(old).values(
        note=None, comment=None, completion_note=None, close_reason=None,
        lat=_community_point(Community.lat, ServiceOrder.community_id),
        lng=_community_point(Community.lng, ServiceOrder.community_id))
        .execution_options(**QUIET)).rowcount


def _erase_old_cases(before: datetime) -> int:
    """Care cases closed (exited, rejected) before the cutoff keep their row — the ledger and the
    report point at it — but lose the hardship story, documents, findings and the free text of
    their objections and revisits."""
    closed = select(Case.id).where(Case.status.in_((CaseStatus.EXITED, CaseStatus.REJECTED)),
                                   Case.updated_at < before)
    db.session.execute(update(Objection).where(Objection.case_id.in_(closed), Objection.text != "")
                       .values(text="").execution_options(**QUIET))
    db.session.execute(update(Revisit).where(Revisit.case_id.in_(closed), Revisit.note != "")
                       .values(note="").execution_options(**QUIET))
    return db.session.execute(update(Case).where(Case.id.in_(closed), Case.hardship != "").values(
        hardship="", documents=[], findings=None, recommendation=None, exit_reason=None,
        decision_reason=None).execution_options(**QUIET)).rowcount


def _coarsen_leavers(before: datetime) -> int:
    home_lat = _community_point(Community.lat, Volunteer.community_id)
    old = and_(Volunteer.status.in_((VolunteerStatus.LEFT, VolunteerStatus.REJECTED)),
               db.func.coalesce(Volunteer.left_at, Volunteer.reviewed_at) < before,
               Volunteer.lat != home_lat)
    return db.session.execute(update(Volunteer).where(old).values(
        lat=home_lat, lng=_community_point(Community.lng, Volunteer.community_id),
        availability=[]).execution_options(**QUIET)).rowcount


def _delete_old_runs(before: datetime) -> int:
    runs = db.select(MatchingRun.id).where(MatchingRun.created_at < before,
                                           MatchingRun.status != RunStatus.RUNNING)
    db.session.execute(delete(MatchProposal).where(MatchProposal.run_id.in_(runs))
                       .execution_options(**QUIET))
    return _delete(MatchingRun, MatchingRun.id.in_(runs))


def _erase_old_projects(before: datetime) -> int:
    """A closed project's place (address, exact position: it may be a home) and its progress
    notes go after RETENTION_TEXT_DAYS; the row stays for the volunteer's file and points."""
    closed = (ProjectStatus.DONE, ProjectStatus.CANCELLED)
    ended = db.func.coalesce(Project.done_at, Project.cancelled_at)
    old = and_(Project.status.in_(closed), ended < before)
    db.session.execute(update(ProjectUpdate).where(
        ProjectUpdate.project_id.in_(select(Project.id).where(old)), ProjectUpdate.note != "")
        .values(note="").execution_options(**QUIET))
    return db.session.execute(update(Project).where(old, Project.address != "").values(
        address="", lat=_community_point(Community.lat, Project.community_id),
        lng=_community_point(Community.lng, Project.community_id))
        .execution_options(**QUIET)).rowcount
