"""角色授予 in the console: the services of /admin/roles — an admin grants and revokes inside
their scope only; a revoked role ends the holder's console session at once; others are refused."""
import re

from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import RoleGrant
from tests.api.imports_helpers import scoped_admin


def _live(user_id, role="secretary"):
    return db.session.execute(db.select(RoleGrant).filter_by(
        user_id=user_id, role=role, revoked_at=None)).scalars().all()


def test_an_admin_grants_a_role_and_revoking_it_ends_the_holders_session(console, world):
    admin = console("admin")
    page = admin.get("/console/roles").get_data(as_text=True)
    assert f'value="community_id:{world.communities[1].id}"' in page
    resp = admin.post("/console/roles/grant", {"openid": "resident_b", "role": "secretary",
                                               "scope": f"community_id:{world.communities[1].id}"})
    assert resp.status_code == 303
    db.session.expire_all()
    (grant,) = _live(world.users["resident_b"].id)
    holder = console("resident_b")
    assert holder.get("/console/wishes").status_code == 200
    page = admin.get("/console/roles").get_data(as_text=True)
    assert f'data-grant="{grant.id}"' in page and "社区书记" in page and "乙社区" in page
    assert admin.post(f"/console/roles/{grant.id}/revoke", {}).status_code == 303
    assert holder.get("/console/wishes").status_code in (302, 303)  # back to the login page
    db.session.expire_all()
    assert not _live(world.users["resident_b"].id)
    actions = set(db.session.execute(db.select(AuditEntry.action)).scalars())
    assert {"role.grant", "role.revoke"} <= actions
    assert admin.post(f"/console/roles/{grant.id}/revoke", {}).status_code == 409


def test_a_street_admin_grants_and_revokes_only_inside_their_street(console, world):
    a, _, c = world.communities
    scoped_admin(world, "admin_s2", street_id=world.streets[1].id)
    admin = console("admin_s2")
    page = admin.get("/console/roles").get_data(as_text=True)
    assert f"community_id:{a.id}" not in page and f"community_id:{c.id}" in page
    theirs = db.session.execute(db.select(RoleGrant).filter_by(
        user_id=world.users["secretary"].id)).scalar_one()
    assert f'data-grant="{theirs.id}"' not in page
    assert admin.post(f"/console/roles/{theirs.id}/revoke", {}).status_code == 404
    assert admin.post("/console/roles/grant", {"openid": "resident", "role": "secretary",
                                               "scope": f"community_id:{a.id}"}).status_code == 403
    assert admin.post("/console/roles/grant", {"openid": "resident", "role": "secretary",
                                               "scope": f"community_id:{c.id}"}).status_code == 303
    db.session.expire_all()
    assert theirs.revoked_at is None
    assert [g.community_id for g in _live(world.users["resident"].id)] == [c.id]


def test_roles_refuse_others_bad_input_and_missing_csrf(console, world):
    secretary = console("street_secretary")
    assert secretary.get("/console/roles").status_code == 403
    assert secretary.post("/console/roles/grant", {"openid": "resident", "role": "admin",
                                                   "scope": "street_id:1"}).status_code == 403
    admin = console("admin")
    admin.get("/console/roles")
    a = world.communities[0].id
    for form in ({"openid": "", "role": "secretary", "scope": f"community_id:{a}"},
                 {"openid": "x" * 65, "role": "secretary", "scope": f"community_id:{a}"},
                 {"openid": "resident", "role": "king", "scope": f"community_id:{a}"},
                 {"openid": "resident", "role": "secretary", "scope": "planet_id:1"},
                 {"openid": "resident", "role": "secretary", "scope": "community_id:x"},
                 {"openid": "resident", "role": "station_keeper", "scope": f"community_id:{a}"}):
        resp = admin.post("/console/roles/grant", form)
        assert resp.status_code == 422, (form, resp.status_code)
    assert admin.post("/console/roles/grant", {"openid": "resident", "role": "secretary",
                                               "scope": f"community_id:{a}"},
                      csrf=False).status_code == 400
    assert admin.post("/console/roles/999999/revoke", {}).status_code == 404
    db.session.expire_all()
    assert not _live(world.users["resident"].id)
    assert not re.search(r"role\.grant", " ".join(db.session.execute(
        db.select(AuditEntry.action)).scalars()))
