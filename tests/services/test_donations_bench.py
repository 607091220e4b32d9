"""The benchmark command runs end to end (small numbers): every request answers as expected, the
stock ledger and the cards agree afterwards."""
from server.donations.models import AidCard, StockItem
from server.donations.stock import ledger_balance


def test_bench_command_runs_a_small_donation_day(app, db):
    result = app.test_cli_runner().invoke(args=["donations", "bench", "--donors", "12",
                                                "--redemptions", "6", "--stations", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("all ") and line.endswith("errors 0") for line in lines), lines
    db.session.rollback()
    items = db.session.execute(db.select(StockItem)).scalars().all()
    assert sum(i.quantity for i in items) == 12 * 5 - 6 * 2
    assert all(i.quantity == ledger_balance(i.id) for i in items)
    spent = db.session.execute(db.select(db.func.sum(AidCard.allowance_fen - AidCard.balance_fen))
                               ).scalar_one()
    assert spent == 6 * 2 * 100
