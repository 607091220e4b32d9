"""`flask reports bench` builds its year in a scratch database, prints the timings, and leaves the
configured database untouched."""
from server.extensions import db
from server.wishes.models import Wish


def test_bench_runs_in_a_scratch_database(app):
    with app.app_context():
        before = db.session.execute(db.select(db.func.count()).select_from(Wish)).scalar_one()
    result = app.test_cli_runner().invoke(args=[
        "reports", "bench", "--streets", "1", "--communities", "2", "--residents", "3",
        "--volunteers", "2", "--days", "5", "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "figures, district, 5 days by day: 5 rows" in result.output
    assert "volunteer ledger, district, 5 days: 4 volunteers" in result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Wish)).scalar_one() \
            == before
