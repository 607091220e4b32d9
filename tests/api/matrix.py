"""The role × endpoint table: for each endpoint, what each kind of caller gets.

Keys are "METHOD /path/template"; values map a caller (a login of tests/factories.World) to the
expected status. Placeholders in paths are filled by `fill_path`. Every non-public endpoint the
app serves must appear here (test_auth_matrix checks), so new endpoints cannot skip the matrix.
"""
from tests.order_world import order_placeholders, soon, soon_date
from tests.service_system_b_world import GOOD, current_period, system_b_placeholders

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
    # volunteer service system, part b (tests/service_system_b_world.py): projects, 报到, 争六星
    "POST /projects": {"resident": 403, "volunteer": 403, "secretary_b": 403, "secretary": 201},
    "GET /projects/mine": {"resident": 200, "volunteer": 200},
    "GET /projects/three-lists": {"resident": 403, "volunteer": 403, "secretary": 200},
    "POST /projects/{project_id}/claims": {"resident": 403, "applicant": 403, "secretary": 403,
                                           "unit_secretary": 403, "volunteer": 201},
    "POST /projects/{project_id}/updates": {"resident": 403, "volunteer2": 403, "secretary": 403,
                                            "volunteer": 201},
    "POST /projects/{project_id}/cancel": {"resident": 404, "volunteer": 404, "secretary_b": 404,
                                           "secretary": 200},
    "POST /service-days/{day_id}/check-ins": {"resident": 403, "applicant": 403,
                                              "secretary": 403, "volunteer": 201},
    "GET /service-days/{day_id}/check-ins": {"resident": 403, "volunteer": 403, "secretary": 200},
    "GET /check-ins/mine": {"resident": 403, "volunteer": 200},
    "POST /check-ins/{checkin_id}/check-out": {"resident": 404, "volunteer": 404,
                                               "volunteer2": 200},
    "POST /star-reviews": {"resident": 403, "applicant": 403, "volunteer": 409, "peer0": 201},
    "GET /star-reviews/mine": {"resident": 200, "volunteer": 200},
    "GET /star-reviews/queue": {"resident": 403, "volunteer2": 200},
    "GET /star-reviews/{review_id}": {"resident": 404, "volunteer_b": 404, "secretary_b": 404,
                                      "volunteer": 200},
    "POST /star-reviews/{review_id}/peer-scores": {"resident": 403, "volunteer": 403,
                                                   "volunteer_b": 403, "secretary": 403,
                                                   "volunteer2": 201},
    "POST /star-reviews/{review_id}/branch-review": {"resident": 403, "volunteer": 403,
                                                     "secretary_b": 403, "secretary": 200},
    "POST /star-reviews/{review_id}/approve": {"resident": 403, "secretary": 403,
                                               "secretary_b": 403, "street_secretary": 200},
    "GET /projects.xlsx": {"resident": 403, "volunteer": 403, "secretary": 200},
    "GET /service-days/{day_id}/check-ins.xlsx": {"resident": 403, "volunteer": 403,
                                                  "secretary": 200},
    "GET /star-reviews.xlsx": {"resident": 403, "volunteer": 403, "secretary": 200},
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
    # volunteer service system, part b
    "POST /projects": {"title": "楼道清理", "community_id": 1, "category": "environment"},
    "POST /projects/{project_id}/updates": {"note": "已清理一半", "progress": 50},
    "POST /projects/{project_id}/cancel": {"reason": "已由物业完成"},
    "POST /service-days/{day_id}/check-ins": {"venue_id": 1, "lat": 30.2968, "lng": 120.1523},
    "POST /star-reviews": {"period": current_period(), "scores": GOOD, "note": "认真履职"},
    "POST /star-reviews/{review_id}/peer-scores": {"scores": GOOD},
    "POST /star-reviews/{review_id}/branch-review": {"scores": GOOD, "comment": "表现突出"},
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
    if template.startswith(("/projects", "/check-ins", "/star-")) or "/check-ins" in template:
        values.update(system_b_placeholders(world, template))  # volunteer service system, b
    if "{scene}" in template:  # the console (issue 13): a fresh one-time scene per caller
        values["scene"] = _console_scene()
    return template.format(**values)
