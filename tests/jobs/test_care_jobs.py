"""The care jobs (issue 15): revisit reminders through the runner, and the yearly report drafted
each March (a re-run redrafts, never duplicates)."""
from datetime import datetime, timedelta

from server.care.models import Case, YearReport
from server.extensions import db
from server.timeutil import LOCAL_TZ, utcnow
from tests.care_world import build_care

from .helpers import outbox, run


def test_the_march_job_drafts_last_years_report_once(world):
    care = build_care(world)
    march = datetime(utcnow().year + 1, 3, 1, 9, 0, tzinfo=LOCAL_TZ)
    counts = run("care_report", now=march)
    assert counts == {"year": utcnow().year, "drafted": 1}
    report = db.session.execute(db.select(YearReport)).scalar_one()
    assert report.body["contributions_fen"] == care["contribution"].amount_fen
    assert all("*" in p["name"] for p in report.body["publications"])
    run("care_report", now=march + timedelta(minutes=5))
    assert db.session.execute(db.select(db.func.count()).select_from(YearReport)).scalar_one() == 1


def test_the_revisit_job_tells_contact_and_secretary_once(world):
    care = build_care(world)
    db.session.get(Case, care["active"].id).next_revisit_due = utcnow().date() - timedelta(days=20)
    first = run("care_revisits", now=utcnow())
    assert first["overdue_notices"] == 1 and first["reminded"] >= 1
    again = run("care_revisits", now=utcnow())
    assert again["overdue_notices"] == 0 and again["reminded"] == 0
    assert {m.user_id for m in outbox("care_revisit_overdue")} == {world.users["unit_secretary"].id}
