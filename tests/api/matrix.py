"""The role × endpoint table: for each endpoint, what each kind of caller gets.

Keys are "METHOD /path/template"; values map a caller (a login of tests/factories.World) to the
expected status. Placeholders in paths are filled by `fill_path`. Every non-public endpoint the
app serves must appear here (test_auth_matrix checks), so new endpoints cannot skip the matrix.
"""
from tests.donation_world import DONATION_PATHS, donation_placeholders, soon_year
from tests.order_world import order_placeholders, soon, soon_date
from tests.service_system_world import service_system_placeholders

MATRIX = {
    "GET /me": {"resident": 200, "volunteer": 200, "secretary": 200},
    "PATCH /me": {"resident": 200},
    "POST /me/phone": {"resident": 200},
    "POST /me/consents": {"resident": 201},
    "POST /me/consents/{purpose}/withdraw": {"resident": 404},
    "GET /me/export": {"resident": 200, "volunteer": 200, "secretary": 200},
    "POST /me/cancel": {"resident": 200},
    "GET /volunteers": {"resident": 403, "volunteer": 403, "secretary": 200, "admin": 200},
    "POST /volunteers/apply": {"resident": 201, "volunteer": 409, "applicant": 409},
    "GET /volunteers/me": {"resident": 404, "volunteer": 200, "applicant": 200},
    "POST /volunteers/me/leave": {"resident": 404, "volunteer": 200},
    "GET /volunteers/{volunteer_id}": {"resident": 404, "volunteer2": 404, "secretary_b": 404,
                                       "secretary": 200, "volunteer": 200},
    "POST /volunteers/{volunteer_id}/approve": {"resident": 403, "volunteer": 403,
                                                "secretary_b": 404, "secretary": 200},
    "POST /volunteers/{volunteer_id}/reject": {"resident": 403, "volunteer": 403,
                                               "secretary_b": 404, "street_secretary": 200},
    "GET /admin/roles": {"resident": 403, "volunteer": 403, "secretary": 403, "admin": 200},
    "POST /admin/roles": {"resident": 403, "volunteer": 403, "secretary": 403, "admin": 201},
    "POST /admin/roles/{grant_id}/revoke": {"resident": 404, "secretary": 404, "admin": 200},
    "PUT /residents/{user_id}/need-tier": {"resident": 403, "volunteer": 403,
                                           "secretary_b": 404, "secretary": 409},
    # micro-wishes
    "POST /wishes": {"resident": 201},
    "GET /wishes/mine": {"resident": 200, "volunteer": 200},
    "POST /wishes/{wish_id}/review": {"resident": 403, "volunteer": 403, "secretary_b": 404,
                                      "secretary": 200},
    "POST /wishes/{wish_id}/claim": {"resident": 403, "secretary": 403, "volunteer": 200},
    "POST /wishes/{wish_id}/release": {"resident": 403, "volunteer2": 403, "secretary": 403,
                                       "volunteer": 200},
    "POST /wishes/{wish_id}/fulfil": {"resident": 403, "volunteer2": 403, "volunteer": 200},
    "POST /wishes/{wish_id}/confirm": {"volunteer": 403, "resident2": 403, "secretary_b": 403,
                                       "resident": 200},
    "POST /wishes/{wish_id}/cancel": {"resident2": 403, "volunteer": 403, "secretary": 403,
                                      "resident": 200},
    # points
    "GET /points/me": {"resident": 403, "volunteer": 200},
    "PUT /points/rules/{code}": {"resident": 403, "volunteer": 403, "secretary": 403, "admin": 200},
    # matching
    "POST /matching/runs": {"resident": 403, "volunteer": 403, "secretary_b": 404, "secretary": 201},
    "GET /matching/runs": {"resident": 403, "volunteer": 403, "secretary": 200},
    "GET /matching/runs/{run_id}": {"resident": 404, "volunteer": 404, "secretary_b": 404,
                                    "secretary": 200},
    "GET /matching/proposals/mine": {"resident": 403, "volunteer": 200},
    "POST /matching/proposals/{proposal_id}/accept": {"resident": 403, "volunteer": 403,
                                                      "secretary_b": 404, "secretary": 200},
    "POST /matching/proposals/{proposal_id}/reject": {"resident": 403, "volunteer": 403,
                                                      "secretary_b": 404, "secretary": 200},
    "POST /matching/proposals/{proposal_id}/decline": {"resident": 403, "volunteer": 404,
                                                       "volunteer2": 200},
    # service orders (点单式), venues and service days; data from tests/order_world.py
    "POST /services": {"resident": 403, "applicant": 403, "volunteer": 201},
    "PATCH /services/{service_id}": {"resident": 403, "volunteer2": 403, "secretary_b": 403,
                                     "volunteer": 200},
    "POST /services/{service_id}/withdraw": {"resident": 403, "volunteer2": 403,
                                             "secretary_b": 403, "secretary": 200},
    "POST /orders": {"resident": 201},
    "GET /orders": {"resident": 403, "volunteer": 403, "secretary": 200},
    "GET /orders/mine": {"resident": 200, "volunteer": 200},
    "GET /orders/{order_id}": {"resident2": 404, "volunteer2": 404, "secretary_b": 404,
                               "volunteer": 200},
    "POST /orders/{order_id}/accept": {"resident2": 404, "volunteer2": 404, "resident": 403,
                                       "secretary": 403, "volunteer": 200},
    "POST /orders/{order_id}/complete": {"volunteer2": 404, "resident": 403, "secretary": 403,
                                         "volunteer": 200},
    "POST /orders/{order_id}/cancel": {"resident2": 404, "volunteer2": 404, "secretary_b": 404,
                                       "resident": 200},
    "POST /orders/{order_id}/no-show": {"volunteer2": 404, "resident": 403, "secretary": 403,
                                        "volunteer": 200},
    "POST /orders/{order_id}/rate": {"resident2": 404, "volunteer2": 404, "volunteer": 403,
                                     "resident": 200},
    "POST /orders/{order_id}/assign": {"volunteer": 404, "resident": 403, "secretary_b": 404,
                                       "secretary": 200},
    "POST /orders/{order_id}/release": {"volunteer2": 404, "resident": 403, "volunteer": 200},
    "POST /venues": {"resident": 403, "volunteer": 403, "secretary_b": 403, "secretary": 201},
    "POST /service-days": {"resident": 403, "volunteer": 403, "secretary": 403,
                           "street_secretary": 201},
    "POST /service-days/{day_id}/stalls": {"resident": 403, "secretary": 403,
                                           "street_secretary": 201},
    # administration and on-boarding (API.md part 2): admins in scope
    "GET /admin/streets": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/streets": {"resident": 403, "secretary": 403, "admin": 201},
    "PATCH /admin/streets/{obj_id}": {"resident": 403, "secretary": 403, "admin": 200},
    "GET /admin/communities": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/communities": {"resident": 403, "secretary": 403, "admin": 201},
    "PATCH /admin/communities/{obj_id}": {"resident": 403, "secretary": 403, "admin": 200},
    "DELETE /admin/communities/{community_id}": {"resident": 403, "secretary": 403, "admin": 409},
    "GET /admin/grids": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/grids": {"resident": 403, "secretary": 403, "admin": 201},
    "PATCH /admin/grids/{obj_id}": {"resident": 403, "secretary": 403, "admin": 404},
    "GET /admin/units": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/units": {"resident": 403, "secretary": 403, "admin": 201},
    "PATCH /admin/units/{obj_id}": {"resident": 403, "secretary": 403, "admin": 200},
    "GET /admin/skills": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/skills": {"resident": 403, "secretary": 403, "admin": 201},
    "PATCH /admin/skills/{code}": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /admin/imports": {"resident": 403, "secretary": 403, "admin": 422},
    "GET /admin/imports/{import_id}": {"resident": 403, "secretary": 403, "admin": 404},
    "GET /admin/imports/templates/{kind}.xlsx": {"resident": 403, "secretary": 403, "admin": 200},
    "GET /audit": {"resident": 403, "volunteer": 403, "secretary": 403, "admin": 200},
    "GET /audit.xlsx": {"resident": 403, "volunteer": 403, "secretary": 403, "admin": 200},
    # 代办 (tests/api/test_daiban.py): only staff in scope register a resident without WeChat
    "POST /residents": {"resident": 403, "volunteer": 403, "secretary_b": 403, "secretary": 201},
    # volunteer service system (issue 16a): the file, posts, pairings, pairing proposals
    "GET /volunteers/{volunteer_id}/file": {"resident": 404, "volunteer2": 404, "secretary_b": 404,
                                            "volunteer": 200},
    "GET /volunteers/{volunteer_id}/file.xlsx": {"resident": 404, "volunteer2": 404,
                                                 "secretary_b": 404, "secretary": 200},
    "POST /posts": {"resident": 403, "volunteer": 403, "secretary_b": 404, "secretary": 201},
    "GET /posts": {"resident": 404, "volunteer": 200},
    "GET /posts/{post_id}": {"resident": 404, "secretary_b": 404, "volunteer2": 200},
    "POST /posts/{post_id}/holders": {"resident": 404, "volunteer": 403, "secretary_b": 404,
                                      "secretary": 201},
    "POST /posts/{post_id}/holders/{holder_id}/end": {"resident": 404, "volunteer2": 403,
                                                      "secretary_b": 404, "volunteer": 200},
    "POST /posts/{post_id}/logs": {"resident": 403, "secretary": 403, "volunteer2": 403,
                                   "volunteer": 201},
    "GET /posts/{post_id}/logs": {"resident": 404, "secretary_b": 404, "volunteer": 200},
    "POST /posts/{post_id}/logs/{log_id}/decision": {"resident": 404, "volunteer": 403,
                                                     "secretary_b": 404, "secretary": 200},
    "POST /pairings": {"resident": 403, "volunteer": 403, "secretary_b": 404, "secretary": 201},
    "GET /pairings": {"resident": 404, "volunteer": 200},
    "GET /pairings/overdue": {"resident": 404, "volunteer": 404, "secretary": 200},
    "GET /pairings.xlsx": {"resident": 404, "secretary_b": 200, "secretary": 200},
    "GET /pairings/{pairing_id}": {"resident": 404, "volunteer2": 404, "secretary_b": 404,
                                   "volunteer": 200},
    "POST /pairings/{pairing_id}/end": {"resident": 404, "volunteer2": 404, "secretary_b": 404,
                                        "volunteer": 200},
    "POST /pairings/{pairing_id}/visits": {"resident": 403, "secretary": 403, "volunteer2": 404,
                                           "volunteer": 201},
    "GET /pairings/{pairing_id}/visits": {"resident": 404, "secretary_b": 404, "volunteer": 200},
    "POST /pairings/proposals": {"resident": 403, "volunteer": 403, "secretary_b": 404,
                                 "secretary": 201},
    "GET /pairings/runs": {"resident": 403, "volunteer": 403, "secretary": 200},
    "GET /pairings/runs/{run_id}": {"resident": 404, "volunteer": 404, "secretary_b": 404,
                                    "secretary": 200},
    "POST /pairings/proposals/{proposal_id}/accept": {"resident": 403, "volunteer": 403,
                                                      "secretary_b": 404, "secretary": 200},
    "POST /pairings/proposals/{proposal_id}/reject": {"resident": 403, "volunteer": 403,
                                                      "secretary_b": 404, "secretary": 200},
    # donations and the love supermarket (issue 14); data from tests/donation_world.py
    "POST /donation-drives": {"resident": 403, "volunteer": 403, "keeper": 403,
                              "secretary_b": 403, "street_secretary": 201},
    "GET /donation-drives/{drive_id}/register.xlsx": {"resident": 403, "keeper": 403,
                                                      "secretary": 200},
    "POST /stations": {"resident": 403, "keeper": 403, "secretary_b": 403, "secretary": 201},
    "POST /donations": {"resident": 201},
    "GET /donations/mine": {"resident": 200, "keeper": 200},
    "GET /donations/{donation_id}": {"resident": 404, "keeper_b": 404, "secretary_b": 404,
                                     "resident2": 200},
    "POST /donations/{donation_id}/inspect": {"resident": 403, "resident2": 403,
                                              "secretary": 403, "keeper_b": 404, "keeper": 200},
    "GET /donations/{donation_id}/labels.pdf": {"resident": 404, "keeper_b": 404,
                                                "resident2": 200},
    "POST /labels/{code}/ack": {"resident2": 403, "resident_b": 403, "resident": 200},
    "GET /stations/{station_id}/donations": {"resident": 403, "keeper_b": 404,
                                             "secretary_b": 404, "keeper": 200},
    "GET /stations/{station_id}/stock": {"resident": 403, "keeper_b": 404, "secretary_b": 404,
                                         "secretary": 200},
    "GET /stations/{station_id}/stock.xlsx": {"resident": 403, "keeper_b": 404, "keeper": 200},
    "GET /stations/{station_id}/stock/movements": {"resident": 403, "keeper_b": 404,
                                                   "keeper": 200},
    "PATCH /stations/{station_id}/stock/{item_id}": {"resident": 403, "secretary": 403,
                                                     "keeper_b": 404, "keeper": 200},
    "POST /stations/{station_id}/stock-adjustments": {"resident": 403, "secretary": 403,
                                                      "keeper_b": 404, "keeper": 201},
    "POST /stations/{station_id}/transfers": {"resident": 403, "secretary": 403,
                                              "keeper_b": 404, "keeper": 201},
    "POST /stations/{station_id}/redemptions": {"resident": 403, "secretary": 403,
                                                "keeper_b": 404, "keeper": 201},
    "GET /redemptions/{redemption_id}": {"resident2": 404, "keeper_b": 404, "resident": 200},
    "GET /redemptions.xlsx": {"resident": 403, "keeper": 403, "secretary": 200},
    "PUT /aid-cards/tiers/{tier}": {"resident": 403, "secretary": 403, "admin": 200},
    "POST /aid-cards": {"resident": 403, "keeper": 403, "secretary": 404, "secretary_b": 201},
    "GET /aid-cards": {"resident": 403, "keeper": 403, "secretary": 200},
    "GET /aid-cards/by-number/{number}": {"resident": 404, "secretary_b": 404, "keeper": 200},
    "POST /contact-cards": {"resident": 403, "keeper": 403, "secretary_b": 404,
                            "secretary": 201},
    "GET /contact-cards/mine": {"resident": 200},
    "POST /contact-cards/{card_id}/end": {"resident_b": 404, "secretary_b": 404,
                                          "resident": 200},
    # the console (issue 13): confirming a scan needs a console role (any scoped grant)
    "POST /console/sessions/{scene}/confirm": {"resident": 403, "volunteer": 403, "admin": 200},
}

# Which wish of the world each wish endpoint acts on.
WISH_FOR = {"review": "pending", "claim": "open", "release": "claimed", "fulfil": "claimed",
            "confirm": "fulfilled", "cancel": "open"}

BODIES = {
    "PATCH /me": {"name": "新名字"},
    "POST /me/phone": {"code": "fake-phone:13900002222"},
    "POST /me/consents": {"purpose": "location"},
    "POST /me/cancel": {"confirm": True},
    "POST /volunteers/apply": {"skills": ["haircut"], "capacity_per_day": 1, "lat": 30.29,
                               "lng": 120.15,
                               "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}]},
    "POST /admin/roles": {"openid": "someone-new", "role": "secretary", "community_id": 1},
    "PUT /residents/{user_id}/need-tier": {"need_tier": 2},
    "POST /residents": {"name": "孙大爷", "phone": "13000001111", "address": "甲路9号",
                        "lat": 30.2968, "lng": 120.1523, "community_id": 1,
                        "consent": {"method": "paper", "witnessed_by": "网格员小李"}},
    "POST /wishes": {"title": "冬天的棉衣", "description": "想要一件厚棉衣", "category": "goods"},
    "POST /wishes/{wish_id}/review": {"decision": "approve"},
    "POST /wishes/{wish_id}/release": {"reason": "临时有事"},
    "POST /wishes/{wish_id}/fulfil": {"note": "已送到"},
    "POST /wishes/{wish_id}/confirm": {"rating": 5},
    "PUT /points/rules/{code}": {"points": 12},
    "POST /matching/runs": {"community_id": 1},
    "POST /services": {"title": "周六义务理发", "category": "daily", "skills": ["haircut"],
                       "mode": "venue", "venue": "甲社区服务站", "description": "老党员义务理发",
                       "slots": [{"start": soon(4, 9), "end": soon(4, 11), "capacity": 5}]},
    "PATCH /services/{service_id}": {"title": "义务理发（改）"},
    "POST /services/{service_id}/withdraw": {"reason": "志愿者临时出差"},
    "POST /orders": {"category": "repair", "skills": ["appliance_repair"],
                     "window_start": soon(3, 9), "window_end": soon(3, 12), "note": "冰箱不制冷"},
    "POST /orders/{order_id}/cancel": {"reason": "临时有事"},
    "POST /orders/{order_id}/rate": {"rating": 5},
    "POST /orders/{order_id}/assign": {"volunteer_id": 2},
    "POST /orders/{order_id}/release": {"reason": "时间冲突"},
    "POST /venues": {"name": "甲社区党群服务中心", "community_id": 1},
    "POST /service-days": {"title": "党员义务奉献日", "date": soon_date(7), "street_id": 1,
                           "venues": [{"venue_id": 1, "kind": "main"}]},
    "POST /service-days/{day_id}/stalls": {"venue_id": 1, "offering_id": 1},
    "POST /admin/streets": {"name": "新街道", "district_id": 1},
    "PATCH /admin/streets/{obj_id}": {"name": "改名街道"},
    "POST /admin/communities": {"name": "丁社区", "street_id": 1, "lat": 30.29, "lng": 120.15},
    "PATCH /admin/communities/{obj_id}": {"name": "甲社区（新）"},
    "POST /admin/grids": {"name": "甲社区第1网格", "community_id": 1},
    "PATCH /admin/grids/{obj_id}": {"name": "网格"},
    "POST /admin/units": {"name": "区财政局党支部", "kind": "机关", "community_id": 1},
    "PATCH /admin/units/{obj_id}": {"kind": "事业单位"},
    "POST /admin/skills": {"code": "sewing", "name": "缝补"},
    "PATCH /admin/skills/{code}": {"name": "理发（上门）"},
    # volunteer service system (issue 16a); ids from a fresh world (volunteer2 = 2, resident2 = 2)
    "POST /posts": {"name": "政策宣传岗", "community_id": 1, "duties": "宣传政策", "seats": 2},
    "POST /posts/{post_id}/holders": {"volunteer_id": 2},
    "POST /posts/{post_id}/logs": {"note": "入户宣传垃圾分类", "hours": 1.5},
    "POST /posts/{post_id}/logs/{log_id}/decision": {"decision": "confirm"},
    "POST /pairings": {"volunteer_id": 2, "household_id": 2, "kind": "one_to_one",
                       "visit_every_days": 14},
    "POST /pairings/{pairing_id}/visits": {"note": "上门走访，陪老人聊天"},
    "POST /pairings/proposals": {"community_id": 1},
    # donations (issue 14): ids from tests/donation_world.py (users 1-3: resident, resident2,
    # resident_b; the first stock item, station 2 of community A, the first aid card)
    "POST /donation-drives": {"name": "2026年党员一日捐献", "starts_on": "2026-03-05",
                              "ends_on": "2026-03-05", "scope": {"kind": "street", "id": 1}},
    "POST /stations": {"name": "甲社区爱心超市", "community_id": 1},
    "POST /donations": {"station_id": 1, "category": "clothing", "item": "棉衣", "quantity": 2,
                        "unit": "件"},
    "POST /donations/{donation_id}/inspect": {"decision": "accept"},
    "POST /labels/{code}/ack": {"message": "收到了，谢谢"},
    "PATCH /stations/{station_id}/stock/{item_id}": {"price_fen": 600},
    "POST /stations/{station_id}/stock-adjustments": {"item_id": 1, "delta": -1,
                                                      "reason": "受潮"},
    "POST /stations/{station_id}/transfers": {"item_id": 1, "to_station_id": 2, "quantity": 1},
    "POST /stations/{station_id}/redemptions": {"card_id": 1,
                                                "lines": [{"item_id": 1, "quantity": 1}]},
    "PUT /aid-cards/tiers/{tier}": {"name": "特困、下岗失业家庭", "yearly_allowance_fen": 150000},
    "POST /aid-cards": {"household_id": 3, "tier": 3, "year": soon_year()},
    "POST /contact-cards": {"donor_id": 3, "household_id": 1},
}


def placeholders(world) -> dict:
    from server.extensions import db
    from server.identity.models import RoleGrant
    grant = db.session.execute(db.select(RoleGrant).filter_by(
        user_id=world.users["secretary"].id)).scalar_one()
    return {
        "purpose": "hardship",
        "volunteer_id": world.volunteers["applicant"].id,
        "grant_id": grant.id,
        "user_id": world.users["resident"].id,
        "code": "wish_confirmed",
        "run_id": world.run.id,
        "proposal_id": world.proposal.id,
        "obj_id": 1,
        "community_id": world.communities[0].id,
        "import_id": 999,
        "kind": "volunteers",
    }


def _console_scene() -> str:
    from server.console_auth.services import create_scene
    from server.extensions import db
    login, _key = create_scene()
    db.session.commit()
    return login.scene


def fill_path(template: str, world, key: str) -> str:
    values = placeholders(world)
    if key.startswith("GET /volunteers/{"):
        values["volunteer_id"] = world.volunteers["volunteer"].id
    if template.startswith("/admin/skills"):
        values["code"] = "haircut"
    if "{wish_id}" in template:
        values["wish_id"] = world.wishes[WISH_FOR[template.rsplit("/", 1)[-1]]].id
    if template.startswith(("/services", "/orders", "/venues", "/service-days")):
        values.update(order_placeholders(world, template))
    # volunteer service system (issue 16a)
    if template.startswith(("/posts", "/pairings")):
        values.update(service_system_placeholders(world, template))
    if template.startswith(DONATION_PATHS):  # donations (issue 14)
        values.update(donation_placeholders(world, template))
    if "{scene}" in template:  # the console (issue 13): a fresh one-time scene per caller
        values["scene"] = _console_scene()
    return template.format(**values)
