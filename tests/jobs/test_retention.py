"""The retention table (docs/security.md "## Retention") is enforced by the `retention` job."""
from datetime import timedelta

from jobs.registry import JOBS
from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import Consent
from server.matching_runs.models import MatchingRun, MatchProposal
from server.notifications.models import OutboxMessage
from server.orders.models import ServiceOrder
from server.timeutil import utcnow
from server.volunteers.models import Volunteer
from server.wishes.models import Wish
from tests.factories import make_wish
from tests.order_world import make_visit

from .helpers import run


def _world_with_history(world, now):
    a = world.communities[0]
    old, recent = now - timedelta(days=400), now - timedelta(days=10)
    wishes = {when: make_wish(world, status="confirmed", claimer="volunteer", closed_at=at,
                              thanks="谢谢李师傅", fulfil_note="已修好，住址甲路1号", rating=5)
              for when, at in (("old", old), ("recent", recent))}
    for wish in wishes.values():
        wish.lat = a.lat + 0.0013  # the home, not the community's centre
    wishes["open_old"] = make_wish(world, status="open", created_at=old)
    orders = {when: make_visit(world, status="cancelled", closed_at=at, note="甲路1号 冰箱",
                               close_reason="临时有事")
              for when, at in (("old", old), ("recent", recent))}
    db.session.add_all([
        OutboxMessage(user_id=world.users["resident"].id, kind="wish_confirmed", template_id="t",
                      data={}, dedupe_key=f"{status}-{age}", status=status,
                      created_at=now - timedelta(days=age), next_attempt_at=now)
        for status, age in (("sent", 40), ("refused", 40), ("pending", 40), ("sent", 5))])
    db.session.add_all([
        AuditEntry(actor_role="secretary", action="x", object_type="user", object_id="1",
                   at=now - timedelta(days=days)) for days in (1200, 300)])
    db.session.add_all([
        Consent(user_id=world.users["resident"].id, purpose="location", policy_version="1",
                granted_at=now - timedelta(days=1500), withdrawn_at=now - timedelta(days=1200)),
        Consent(user_id=world.users["resident"].id, purpose="privacy_policy", policy_version="1",
                granted_at=now - timedelta(days=1500))])
    world.run.created_at = now - timedelta(days=200)
    leaver = world.volunteers["volunteer_b"]
    leaver.status, leaver.left_at, leaver.lat = "left", now - timedelta(days=500), 30.123456
    db.session.commit()
    return wishes, orders


def test_retention_erases_and_deletes_what_is_no_longer_kept(world):
    now = utcnow()
    wishes, orders = _world_with_history(world, now)
    run_id, proposal_id = world.run.id, world.proposal.id
    counts = run("retention", now)
    assert counts == {"wishes_erased": 1, "orders_erased": 1, "leavers_coarsened": 1,
                      "care_cases_erased": 0,  # care casework (issue 15)
                      "messages_deleted": 2, "audit_deleted": 1, "consents_deleted": 1,
                      "matching_runs_deleted": 1,
                      "console_logins_deleted": 0,  # the console's: tests/console
                      # volunteer service system (16a): tests/jobs/test_retention_service_system.py
                      "visit_notes_erased": 0, "duty_log_notes_erased": 0,
                      "pairing_runs_deleted": 0,
                      "projects_erased": 0,  # volunteer service system, part b
                      "ack_texts_erased": 0}  # donations: tests/jobs/test_retention_donations.py
    a = world.communities[0]
    old = db.session.get(Wish, wishes["old"].id)
    assert (old.description, old.address, old.thanks, old.fulfil_note) == ("", None, None, None)
    assert (old.lat, old.lng, old.status, old.rating) == (a.lat, a.lng, "confirmed", 5)
    recent = db.session.get(Wish, wishes["recent"].id)
    assert recent.thanks == "谢谢李师傅" and recent.address == "甲路1号"
    assert db.session.get(Wish, wishes["open_old"].id).description != ""
    assert db.session.get(ServiceOrder, orders["old"].id).note is None
    assert db.session.get(ServiceOrder, orders["recent"].id).note == "甲路1号 冰箱"
    left = {(m.status, m.dedupe_key) for m in db.session.execute(
        db.select(OutboxMessage)).scalars()}
    assert left == {("pending", "pending-40"), ("sent", "sent-5")}
    assert db.session.get(MatchingRun, run_id) is None
    assert db.session.get(MatchProposal, proposal_id) is None
    leaver = db.session.get(Volunteer, world.volunteers["volunteer_b"].id)
    assert (leaver.lat, leaver.availability) == (world.communities[1].lat, [])
    purposes = {c.purpose for c in db.session.execute(db.select(Consent)).scalars()}
    assert purposes == {"privacy_policy"}
    # A second run finds nothing more to do.
    assert set(run("retention", now).values()) == {0}


def test_retention_is_a_scheduled_job():
    assert JOBS["retention"].help.startswith("erase or delete")
