"""Finding 23: `jobs run --now` with a future time is refused and changes nothing."""
from datetime import timedelta

from server.extensions import db
from server.scheduling.models import JobRun
from server.timeutil import LOCAL_TZ, utcnow
from server.wishes.models import Wish
from tests.factories import make_wish


def test_a_future_now_is_refused_and_changes_nothing(app, world):
    wish = make_wish(world, status="open", needed_by=utcnow() + timedelta(days=2))
    db.session.commit()
    future = (utcnow() + timedelta(days=3)).astimezone(LOCAL_TZ).isoformat()
    result = app.test_cli_runner().invoke(args=["jobs", "run", "expiry", "--now", future])
    assert result.exit_code != 0
    assert "future" in result.output
    db.session.expire_all()
    assert db.session.get(Wish, wish.id).status == "open"
    assert db.session.execute(db.select(JobRun)).scalars().all() == []


def test_the_present_and_the_past_still_run(app, world):
    runner = app.test_cli_runner()
    past = (utcnow() - timedelta(days=1)).astimezone(LOCAL_TZ).isoformat()
    assert runner.invoke(args=["jobs", "run", "expiry", "--now", past]).exit_code == 0
    present = (utcnow() + timedelta(seconds=5)).isoformat()  # within the clock-skew leeway
    assert runner.invoke(args=["jobs", "run", "expiry", "--now", present]).exit_code == 0
