"""The `pairing_visits` job of the jobs process reminds paired volunteers once per due date."""
from datetime import timedelta

from jobs.registry import JOBS
from server.extensions import db
from server.notifications.models import OutboxMessage
from server.timeutil import utcnow
from tests.service_system_world import make_pairing

from .helpers import run


def test_the_job_reminds_once_per_due_date(world):
    assert "pairing_visits" in JOBS
    make_pairing(world, days_overdue=1)
    make_pairing(world, volunteer="volunteer2", household="resident2", every=10)
    db.session.commit()
    now = utcnow()
    assert run("pairing_visits", now) == {"reminded": 1}
    assert run("pairing_visits", now) == {"reminded": 0}
    assert run("pairing_visits", now + timedelta(days=10)) == {"reminded": 1}
    db.session.rollback()
    messages = db.session.execute(db.select(OutboxMessage.user_id).where(
        OutboxMessage.kind == "pairing_visit_due")).scalars().all()
    assert sorted(messages) == sorted([world.users["volunteer"].id, world.users["volunteer2"].id])
