"""Donations and the love supermarket (API.md part 2): drives, categories, stations, donations
and their inspection, labels and acknowledgements, stock, aid cards, redemptions, contact cards,
and the public figures, 公示 list and registers."""
from flask import Response

from server.donations import cards, contacts, figures, labels, services, stock
from server.donations.models import CATEGORIES
from server.excel import XLSX_MIMETYPE
from server.paging import Paged

from .common import BEARER, Blueprint, QueryPage, current_actor
from .donations_schemas import (
    AckOutSchema,
    AckSchema,
    AdjustmentSchema,
    CardCreateSchema,
    CardQuery,
    CardSchema,
    CategorySchema,
    ContactCardCreateSchema,
    ContactCardSchema,
    DistributionQuery,
    DistributionSchema,
    DonationCreateSchema,
    DonationQuery,
    DonationSchema,
    DriveCreateSchema,
    DriveFiguresSchema,
    DriveSchema,
    InspectSchema,
    MovementSchema,
    PriceSchema,
    RedemptionCreateSchema,
    RedemptionSchema,
    StationCreateSchema,
    StationQuery,
    StationSchema,
    StockItemSchema,
    TierInSchema,
    TierSchema,
    TransferSchema,
)
from .idempotency import IDEMPOTENCY_DOC, idempotent

blp = Blueprint("donations", __name__, description="党员一日捐献、爱心捐助站、爱心超市、爱心救助卡")
PUBLIC = ("list_drives", "drive_figures", "list_categories", "list_stations", "list_tiers",
          "public_distributions")
_FILE = {"200": {"description": "文件", "content": {
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}
_PDF = {"200": {"description": "PDF", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- drives, categories, stations ---------------------------------------------------------------

@blp.route("/donation-drives", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(DriveCreateSchema)
@blp.response(201, DriveSchema)
def create_drive(body):
    """发起捐献活动（管理员或书记，限管辖范围）"""
    return services.create_drive(current_actor(), body)


@blp.route("/donation-drives", methods=["GET"])
@blp.response(200, DriveSchema(many=True))
@blp.paginate(QueryPage)
def list_drives():
    """捐献活动（公开）"""
    return services.list_drives()


@blp.route("/donation-drives/<int:drive_id>/figures")
@blp.response(200, DriveFiguresSchema)
def drive_figures(drive_id):
    """捐献活动的公开数据：各类件数、粮油斤数、估值、捐献人数、受助户数、人次（只有数字，没有姓名）"""
    return figures.drive_figures(drive_id)


@blp.route("/donation-drives/<int:drive_id>/register.xlsx")
@blp.doc(security=BEARER, responses=_FILE)
def donation_register(drive_id):
    """捐献登记表（书记、管理员，限管辖范围）"""
    return _xlsx(figures.donation_register(current_actor(), drive_id), "donation-register.xlsx")


@blp.route("/donations/categories")
@blp.response(200, CategorySchema(many=True))
def list_categories():
    """五类物品，各自的质量要求和计量单位（件或斤）"""
    return list(CATEGORIES.values())


@blp.route("/stations", methods=["GET"])
@blp.arguments(StationQuery, location="query")
@blp.response(200, StationSchema(many=True))
@blp.paginate(QueryPage)
def list_stations(query):
    """爱心捐助站 / 爱心超市（公开）"""
    return services.list_stations(query.get("community_id"))


@blp.route("/stations", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(StationCreateSchema)
@blp.response(201, StationSchema)
def create_station(body):
    """设立捐助站（书记或管理员，限管辖范围）"""
    return services.create_station(current_actor(), body)


# --- donations ---------------------------------------------------------------------------------

@blp.route("/donations", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(DonationCreateSchema)
@blp.response(201, DonationSchema)
def register_donation(body):
    """登记捐献（捐献人本人；工作人员可为现场捐献人登记 donor_name）"""
    return services.register_donation(current_actor(), body)


@blp.route("/donations/mine")
@blp.doc(security=BEARER)
@blp.response(200, DonationSchema(many=True))
@blp.paginate(QueryPage)
def my_donations():
    """我的捐献"""
    return services.my_donations(current_actor())


@blp.route("/donations/<int:donation_id>")
@blp.doc(security=BEARER)
@blp.response(200, DonationSchema)
def get_donation(donation_id):
    """捐献详情（捐献人、该站工作人员）"""
    return services.get_donation(current_actor(), donation_id)


@blp.route("/donations/<int:donation_id>/inspect", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(InspectSchema)
@blp.response(200, DonationSchema)
def inspect_donation(body, donation_id):
    """查验（该站工作人员，不能是捐献人本人）：accept 入库并发放捐献贴，reject 须说明原因"""
    return services.inspect_donation(current_actor(), donation_id, body["decision"],
                                     body.get("reason"))


@blp.route("/donations/<int:donation_id>/labels.pdf")
@blp.doc(security=BEARER, responses=_PDF)
def donation_labels(donation_id):
    """爱心捐献贴（A4，可打印）：捐献单位、物品、二维码；捐献人同意时才印电话"""
    body = labels.labels_pdf(current_actor(), donation_id)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="labels-{donation_id}.pdf"'})


@blp.route("/labels/<string:code>/ack", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(AckSchema)
@blp.response(200, AckOutSchema)
def acknowledge(body, code):
    """受助人扫码告诉捐献人“已收到”（经消息通知转达，双方都看不到对方电话）"""
    return services.acknowledge_label(current_actor(), code, body.get("message"))


# --- stations: queue, stock, redemptions --------------------------------------------------------

@blp.route("/stations/<int:station_id>/donations")
@blp.doc(security=BEARER)
@blp.arguments(DonationQuery, location="query")
@blp.response(200, DonationSchema(many=True))
@blp.paginate(QueryPage)
def station_donations(query, station_id):
    """待查验队列与本站捐献（该站工作人员、管辖书记）"""
    return services.station_donations(current_actor(), station_id, query.get("status"))


@blp.route("/stations/<int:station_id>/stock")
@blp.doc(security=BEARER)
@blp.response(200, StockItemSchema(many=True))
@blp.paginate(QueryPage)
def station_stock(station_id):
    """本站库存（按物品）"""
    return stock.list_stock(current_actor(), station_id)


@blp.route("/stations/<int:station_id>/stock.xlsx")
@blp.doc(security=BEARER, responses=_FILE)
def station_stock_xlsx(station_id):
    """本站库存（Excel）"""
    return _xlsx(figures.stock_workbook(current_actor(), station_id), "stock.xlsx")


@blp.route("/stations/<int:station_id>/stock/movements")
@blp.doc(security=BEARER)
@blp.response(200, MovementSchema(many=True))
@blp.paginate(QueryPage)
def stock_movements(station_id):
    """库存流水（只增不改：入库、兑换、调拨、调整）"""
    return stock.list_movements(current_actor(), station_id)


@blp.route("/stations/<int:station_id>/stock/<int:item_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@blp.arguments(PriceSchema)
@blp.response(200, StockItemSchema)
def set_price(body, station_id, item_id):
    """定价（该站工作人员）：救助卡金额（分）和兑换积分"""
    return stock.set_price(current_actor(), station_id, item_id, body)


@blp.route("/stations/<int:station_id>/stock-adjustments", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(AdjustmentSchema)
@blp.response(201, StockItemSchema)
def adjust_stock(body, station_id):
    """库存调整（须说明原因；不能低于 0，否则 409）"""
    return stock.adjust_stock(current_actor(), station_id, body["item_id"], body["delta"],
                              body["reason"])


@blp.route("/stations/<int:station_id>/transfers", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(TransferSchema)
@blp.response(201, StockItemSchema)
def transfer_stock(body, station_id):
    """调拨到另一个捐助站（返回对方站的该物品）"""
    return stock.transfer_stock(current_actor(), station_id, body)


@blp.route("/stations/<int:station_id>/redemptions", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(RedemptionCreateSchema)
@blp.response(201, RedemptionSchema)
def redeem(body, station_id):
    """爱心超市兑换：救助卡金额或志愿者积分，与库存一起扣减，任何一项不足则 409"""
    return cards.redemption_view(cards.redeem(current_actor(), station_id, body))


@blp.route("/redemptions/<int:redemption_id>")
@blp.doc(security=BEARER)
@blp.response(200, RedemptionSchema)
def get_redemption(redemption_id):
    """兑换记录（领取人、该站工作人员、管辖书记）"""
    return cards.redemption_view(cards.get_redemption(current_actor(), redemption_id))


@blp.route("/redemptions.xlsx")
@blp.doc(security=BEARER, responses=_FILE)
@blp.arguments(DistributionQuery, location="query")
def distribution_register(query):
    """发放登记表（书记、管理员，限管辖范围）"""
    return _xlsx(figures.distribution_register(current_actor(), query.get("community_id")),
                 "distribution-register.xlsx")


@blp.route("/distributions")
@blp.arguments(DistributionQuery, location="query")
@blp.response(200, DistributionSchema(many=True))
@blp.paginate(QueryPage)
def public_distributions(query):
    """公示：爱心超市发放记录（受助人姓名打码，无等级、无住址）"""
    return Paged(figures.public_distributions(query.get("community_id")), figures.public_row,
                 scalars=False)


# --- aid cards --------------------------------------------------------------------------------

@blp.route("/aid-cards/tiers")
@blp.response(200, TierSchema(many=True))
def list_tiers():
    """救助卡三个等级及年度额度"""
    return cards.list_tiers()


@blp.route("/aid-cards/tiers/<int:tier>", methods=["PUT"])
@blp.doc(security=BEARER)
@blp.arguments(TierInSchema)
@blp.response(200, TierSchema)
def set_tier(body, tier):
    """设置等级名称和年度额度（区级管理员）"""
    return cards.set_tier(current_actor(), tier, body)


@blp.route("/aid-cards", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(CardCreateSchema)
@blp.response(201, CardSchema)
def issue_card(body):
    """发放爱心救助卡（书记，限管辖范围；须有居民的困难信息同意；每户每年一张）"""
    return cards.issue_card(current_actor(), body)


@blp.route("/aid-cards", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(CardQuery, location="query")
@blp.response(200, CardSchema(many=True))
@blp.paginate(QueryPage)
def list_cards(query):
    """本社区的救助卡（书记）"""
    return cards.list_cards(current_actor(), query.get("community_id"))


@blp.route("/aid-cards/by-number/<string:number>")
@blp.doc(security=BEARER)
@blp.response(200, CardSchema)
def find_card(number):
    """按卡号查卡（兑换台）"""
    return cards.find_card(current_actor(), number)


# --- contact cards ------------------------------------------------------------------------------

@blp.route("/contact-cards", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(ContactCardCreateSchema)
@blp.response(201, ContactCardSchema)
def create_contact_card(body):
    """建立爱心联系卡（书记；须捐赠人和受助家庭双方同意）"""
    actor = current_actor()
    return contacts.view_of(actor, contacts.create_contact_card(actor, body))


@blp.route("/contact-cards/mine")
@blp.doc(security=BEARER)
@blp.response(200, ContactCardSchema(many=True))
@blp.paginate(QueryPage)
def my_contact_cards():
    """我的爱心联系卡"""
    actor = current_actor()
    return Paged(contacts.my_contact_cards(actor), lambda card: contacts.view_of(actor, card))


@blp.route("/contact-cards/<int:card_id>/end", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, ContactCardSchema)
def end_contact_card(card_id):
    """结束爱心联系卡（任何一方）"""
    actor = current_actor()
    return contacts.view_of(actor, contacts.end_contact_card(actor, card_id))
