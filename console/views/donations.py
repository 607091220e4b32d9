"""爱心捐助站 / 爱心超市 pages (issue 14): the inspection queue, stock per station, the redemption
desk, the drive's figures with a chart, and the exports. Each view calls the service the API
calls (server/donations), which checks role and scope."""
from flask import Response, flash, redirect, render_template, request, url_for

from server.donations import cards, figures, services, stock
from server.donations.models import CATEGORIES, DonationDrive, DonationStatus
from server.donations.policies import KEEPERS, STAFF, stations_covered
from server.errors import Invalid, NotFound
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.identity.models import Station

from .. import bp
from ..auth import actor
from ..forms import for_each, form_int, reason, ticked_ids
from ..queues import count

PAGE_ROWS = 100


def _stations(staff, roles=STAFF) -> list[Station]:
    ids = stations_covered(staff, roles)
    return list(db.session.execute(db.select(Station).where(Station.id.in_(ids))
                                   .order_by(Station.id)).scalars())


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/donations")
def donation_queue():
    staff = actor()
    queues = []
    for station in _stations(staff, KEEPERS):
        query = services.station_donations(staff, station.id, DonationStatus.RECEIVED)
        rows = list(db.session.execute(query.limit(PAGE_ROWS)).scalars())
        queues.append((station, rows, count(query)))
    return render_template("donations_queue.html", queues=queues, categories=CATEGORIES)


@bp.route("/donations/inspect", methods=["POST"])
def inspect_donations():
    staff = actor()
    choice = request.form.get("decision")
    if choice not in ("accept", "reject"):
        raise Invalid("请选择查验结果")
    note = reason(required=choice == "reject")
    done = for_each(ticked_ids(), "捐献",
                    lambda i: services.inspect_donation(staff, i, choice, note))
    flash(f"已{'入库' if choice == 'accept' else '退回'} {done} 件捐献")
    return redirect(url_for("console.donation_queue"), code=303)


@bp.route("/stock")
def station_stock():
    staff = actor()
    shelves = [(station, list(db.session.execute(stock.list_stock(staff, station.id)).scalars()))
               for station in _stations(staff)]
    return render_template("donations_stock.html", shelves=shelves, categories=CATEGORIES)


@bp.route("/stock/<int:station_id>.xlsx")
def station_stock_xlsx(station_id):
    return _xlsx(figures.stock_workbook(actor(), station_id), f"stock-{station_id}.xlsx")


@bp.route("/desk", methods=["GET"])
def redemption_desk():
    """兑换台: type (or scan) a card number, pick goods, confirm."""
    staff = actor()
    stations = _stations(staff, KEEPERS)
    number = (request.args.get("number") or "").strip()[:20]
    card = cards.find_card(staff, number) if number else None
    station = stations[0] if stations else None
    shelf = [i for i in db.session.execute(stock.list_stock(staff, station.id)).scalars()
             if i.quantity > 0 and i.price_fen > 0] if station and card else []
    return render_template("donations_desk.html", station=station, card=card, number=number,
                           shelf=shelf, categories=CATEGORIES)


@bp.route("/desk/redeem", methods=["POST"])
def redeem_at_desk():
    staff = actor()
    lines = []
    for key, value in request.form.items():
        if key.startswith("qty-") and value.strip() not in ("", "0"):
            item_id, quantity = form_int(key[4:]), form_int(value, high=100000)
            if item_id is None or quantity is None:
                raise Invalid("数量填写有误")
            lines.append({"item_id": item_id, "quantity": quantity})
    if not lines:
        raise Invalid("请至少选择一件物品")
    if len(lines) > 50:
        raise Invalid("一次最多兑换 50 种物品")
    station_id = form_int(request.form.get("station_id"))
    card_id = form_int(request.form.get("card_id"))
    if station_id is None or card_id is None:
        raise Invalid("请先查询救助卡")
    done = cards.redeem(staff, station_id, {"card_id": card_id, "lines": lines})
    flash(f"兑换成功：{done.pieces} 件，{done.total_fen / 100:.2f} 元")
    return redirect(url_for("console.redemption_desk",
                            number=request.form.get("number", "")), code=303)


def _latest_drive() -> DonationDrive | None:
    return db.session.execute(db.select(DonationDrive).order_by(
        DonationDrive.starts_on.desc(), DonationDrive.id.desc()).limit(1)).scalar_one_or_none()


@bp.route("/drive-figures")
def drive_figures():
    raw = request.args.get("drive_id", "")
    drive_id = form_int(raw)
    if raw and drive_id is None:
        raise NotFound("没有这次募集活动")
    drive = db.session.get(DonationDrive, drive_id) if drive_id else _latest_drive()
    data = figures.drive_figures(drive.id) if drive else None
    top = max([p["quantity"] for p in data["pieces"]] + [1]) if data else 1
    bars = [(p["name"], p["quantity"], round(300 * p["quantity"] / top))
            for p in data["pieces"]] if data else []
    return render_template("donations_figures.html", drive=drive, data=data, bars=bars)


@bp.route("/drive-figures/<int:drive_id>/register.xlsx")
def donation_register_xlsx(drive_id):
    return _xlsx(figures.donation_register(actor(), drive_id), "donation-register.xlsx")


@bp.route("/redemptions.xlsx")
def distribution_register_xlsx():
    return _xlsx(figures.distribution_register(actor()), "distribution-register.xlsx")
