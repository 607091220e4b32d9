"""Donations and the love supermarket (API.md part 2): drives, categories, stations, donations
and their inspection, labels and acknowledgements, stock, aid cards, redemptions, contact cards,
and the public figures, 公示 list and registers."""
from server.donations import cards, contacts, figures, labels, services, stock
from server.donations.models import CATEGORIES
from server.excel import XLSX_MIMETYPE
from server.paging import Paged

from . import donations_schemas as s
from .common import current_actor
from .downloads import PDF, FileKind
from .routes import Blueprint

blp = Blueprint("donations", __name__, description="党员一日捐献、爱心捐助站、爱心超市、爱心救助卡")
PUBLIC = ("list_drives", "drive_figures", "list_categories", "list_stations", "list_tiers",
          "public_distributions")
_FILE = FileKind(XLSX_MIMETYPE, "文件")  # the registers' workbooks, as API.md part 2 names them


# --- drives, categories, stations ---------------------------------------------------------------

@blp.creates("/donation-drives", s.DriveCreateSchema, s.DriveSchema)
def create_drive(body):
    """发起捐献活动（管理员或书记，限管辖范围）"""
    return services.create_drive(current_actor(), body)


@blp.lists("/donation-drives", None, s.DriveSchema, public=True)
def list_drives():
    """捐献活动（公开）"""
    return services.list_drives()


@blp.reads("/donation-drives/<int:drive_id>/figures", s.DriveFiguresSchema, public=True)
def drive_figures(drive_id):
    """捐献活动的公开数据：各类件数、粮油斤数、估值、捐献人数、受助户数、人次（只有数字，没有姓名）"""
    return figures.drive_figures(drive_id)


@blp.downloads("/donation-drives/<int:drive_id>/register.xlsx", kind=_FILE)
def donation_register(drive_id):
    """捐献登记表（书记、管理员，限管辖范围）"""
    return _FILE.answer(figures.donation_register(current_actor(), drive_id),
                        "donation-register.xlsx")


@blp.reads("/donations/categories", s.CategorySchema(many=True), public=True)
def list_categories():
    """五类物品，各自的质量要求和计量单位（件或斤）"""
    return list(CATEGORIES.values())


@blp.lists("/stations", s.StationQuery, s.StationSchema, public=True)
def list_stations(query):
    """爱心捐助站 / 爱心超市（公开）"""
    return services.list_stations(query.get("community_id"))


@blp.creates("/stations", s.StationCreateSchema, s.StationSchema)
def create_station(body):
    """设立捐助站（书记或管理员，限管辖范围）"""
    return services.create_station(current_actor(), body)


# --- donations ---------------------------------------------------------------------------------

@blp.creates("/donations", s.DonationCreateSchema, s.DonationSchema)
def register_donation(body):
    """登记捐献（捐献人本人；工作人员可为现场捐献人登记 donor_name）"""
    return services.register_donation(current_actor(), body)


@blp.lists("/donations/mine", None, s.DonationSchema)
def my_donations():
    """我的捐献"""
    return services.my_donations(current_actor())


@blp.reads("/donations/<int:donation_id>", s.DonationSchema)
def get_donation(donation_id):
    """捐献详情（捐献人、该站工作人员）"""
    return services.get_donation(current_actor(), donation_id)


@blp.acts("/donations/<int:donation_id>/inspect", s.DonationSchema, s.InspectSchema)
def inspect_donation(body, donation_id):
    """查验（该站工作人员，不能是捐献人本人）：accept 入库并发放捐献贴，reject 须说明原因"""
    return services.inspect_donation(current_actor(), donation_id, body["decision"],
                                     body.get("reason"))


@blp.downloads("/donations/<int:donation_id>/labels.pdf", kind=PDF)
def donation_labels(donation_id):
    """爱心捐献贴（A4，可打印）：捐献单位、物品、二维码；捐献人同意时才印电话"""
    return PDF.answer(labels.labels_pdf(current_actor(), donation_id),
                      f"labels-{donation_id}.pdf")


@blp.acts("/labels/<string:code>/ack", s.AckOutSchema, s.AckSchema)
def acknowledge(body, code):
    """受助人扫码告诉捐献人“已收到”（经消息通知转达，双方都看不到对方电话）"""
    return services.acknowledge_label(current_actor(), code, body.get("message"))


# --- stations: queue, stock, redemptions --------------------------------------------------------

@blp.lists("/stations/<int:station_id>/donations", s.DonationQuery, s.DonationSchema)
def station_donations(query, station_id):
    """待查验队列与本站捐献（该站工作人员、管辖书记）"""
    return services.station_donations(current_actor(), station_id, query.get("status"))


@blp.lists("/stations/<int:station_id>/stock", None, s.StockItemSchema)
def station_stock(station_id):
    """本站库存（按物品）"""
    return stock.list_stock(current_actor(), station_id)


@blp.downloads("/stations/<int:station_id>/stock.xlsx", kind=_FILE)
def station_stock_xlsx(station_id):
    """本站库存（Excel）"""
    return _FILE.answer(figures.stock_workbook(current_actor(), station_id), "stock.xlsx")


@blp.lists("/stations/<int:station_id>/stock/movements", None, s.MovementSchema)
def stock_movements(station_id):
    """库存流水（只增不改：入库、兑换、调拨、调整）"""
    return stock.list_movements(current_actor(), station_id)


@blp.acts("/stations/<int:station_id>/stock/<int:item_id>", s.StockItemSchema, s.PriceSchema,
          method="PATCH")
def set_price(body, station_id, item_id):
    """定价（该站工作人员）：救助卡金额（分）和兑换积分"""
    return stock.set_price(current_actor(), station_id, item_id, body)


@blp.creates("/stations/<int:station_id>/stock-adjustments", s.StockAdjustmentSchema, s.StockItemSchema)
def adjust_stock(body, station_id):
    """库存调整（须说明原因；不能低于 0，否则 409）"""
    return stock.adjust_stock(current_actor(), station_id, body["item_id"], body["delta"],
                              body["reason"])


@blp.creates("/stations/<int:station_id>/transfers", s.TransferSchema, s.StockItemSchema)
def transfer_stock(body, station_id):
    """调拨到另一个捐助站（返回对方站的该物品）"""
    return stock.transfer_stock(current_actor(), station_id, body)


@blp.creates("/stations/<int:station_id>/redemptions", s.RedemptionCreateSchema, s.RedemptionSchema)
def redeem(body, station_id):
    """爱心超市兑换：救助卡金额或志愿者积分，与库存一起扣减，任何一项不足则 409"""
    return cards.redemption_view(cards.redeem(current_actor(), station_id, body))


@blp.reads("/redemptions/<int:redemption_id>", s.RedemptionSchema)
def get_redemption(redemption_id):
    """兑换记录（领取人、该站工作人员、管辖书记）"""
    return cards.redemption_view(cards.get_redemption(current_actor(), redemption_id))


@blp.downloads("/redemptions.xlsx", query=s.DistributionQuery, kind=_FILE)
def distribution_register(query):
    """发放登记表（书记、管理员，限管辖范围）"""
    return _FILE.answer(figures.distribution_register(current_actor(), query.get("community_id")),
                        "distribution-register.xlsx")


@blp.lists("/distributions", s.DistributionQuery, s.DistributionSchema, public=True)
def public_distributions(query):
    """公示：爱心超市发放记录（受助人姓名打码，无等级、无住址）"""
    return Paged(figures.public_distributions(query.get("community_id")), figures.public_row,
                 scalars=False)


# --- aid cards --------------------------------------------------------------------------------

@blp.reads("/aid-cards/tiers", s.TierSchema(many=True), public=True)
def list_tiers():
    """救助卡三个等级及年度额度"""
    return cards.list_tiers()


@blp.acts("/aid-cards/tiers/<int:tier>", s.TierSchema, s.TierInSchema, method="PUT")
def set_tier(body, tier):
    """设置等级名称和年度额度（区级管理员）"""
    return cards.set_tier(current_actor(), tier, body)


@blp.creates("/aid-cards", s.CardCreateSchema, s.CardSchema)
def issue_card(body):
    """发放爱心救助卡（书记，限管辖范围；须有居民的困难信息同意；每户每年一张）"""
    return cards.issue_card(current_actor(), body)


@blp.lists("/aid-cards", s.CardQuery, s.CardSchema)
def list_cards(query):
    """本社区的救助卡（书记）"""
    return cards.list_cards(current_actor(), query.get("community_id"))


@blp.reads("/aid-cards/by-number/<string:number>", s.CardSchema)
def find_card(number):
    """按卡号查卡（兑换台）"""
    return cards.find_card(current_actor(), number)


# --- contact cards ------------------------------------------------------------------------------

@blp.creates("/contact-cards", s.ContactCardCreateSchema, s.ContactCardSchema)
def create_contact_card(body):
    """建立爱心联系卡（书记；须捐赠人和受助家庭双方同意）"""
    actor = current_actor()
    return contacts.view_of(actor, contacts.create_contact_card(actor, body))


@blp.lists("/contact-cards/mine", None, s.ContactCardSchema)
def my_contact_cards():
    """我的爱心联系卡"""
    actor = current_actor()
    return Paged(contacts.my_contact_cards(actor), lambda card: contacts.view_of(actor, card))


@blp.acts("/contact-cards/<int:card_id>/end", s.ContactCardSchema)
def end_contact_card(card_id):
    """结束爱心联系卡（任何一方）"""
    actor = current_actor()
    return contacts.view_of(actor, contacts.end_contact_card(actor, card_id))
