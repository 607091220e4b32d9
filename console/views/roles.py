"""角色授予 (admins): the live role grants inside the admin's scope, granting a role in one scope
of the org tree and revoking a grant — the services of GET/POST /admin/roles and
POST /admin/roles/{id}/revoke (server.identity.roles: scope, both-sides rule and audit there).
A revoked role ends the holder's console session on their next request."""
from flask import flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.extensions import db
from server.identity.models import RoleGrant, User
from server.identity.roles import GRANTABLE, grant_role, list_role_grants, revoke_role
from server.org.tree import org_tree
from server.policy.scope import SCOPE_COLUMNS, ScopeKind

from .. import bp
from ..auth import actor
from ..names import ROLE_NAMES

GRANT_ROWS = 300
KIND_LABELS = {ScopeKind.DISTRICT: "区", ScopeKind.STREET: "街道", ScopeKind.COMMUNITY: "社区",
               ScopeKind.GRID: "网格", ScopeKind.UNIT: "单位", ScopeKind.STATION: "爱心超市"}
COLUMN_KIND = {column: kind for kind, column in SCOPE_COLUMNS.items()}


def scope_choices(tree) -> list[tuple[str, str]]:
    """(value "community_id:3", label) of every scope of the admin's tree."""
    out = []
    for d in tree.districts:
        out.append((f"district_id:{d.district.id}", f"区 · {d.district.name}"))
        for s in d.streets:
            out.append((f"street_id:{s.street.id}", f"街道 · {s.street.name}"))
            for n in s.communities:
                out.append((f"community_id:{n.community.id}", f"社区 · {n.community.name}"))
                out += [(f"grid_id:{g.id}", f"网格 · {g.name}") for g in n.grids]
                out += [(f"station_id:{st.id}", f"爱心超市 · {st.name}") for st in n.stations]
                out += [(f"unit_id:{u.id}", f"单位 · {u.name}") for u, _ in n.units]
    out += [(f"unit_id:{u.id}", f"单位 · {u.name}") for u, _ in tree.unlinked_units]
    return out


@bp.route("/roles")
def roles():
    staff = actor()
    grants = db.session.execute(list_role_grants(staff).where(
        RoleGrant.revoked_at.is_(None)).limit(GRANT_ROWS)).scalars().all()
    users = {u.id: u for u in db.session.execute(db.select(User).where(
        User.id.in_({g.user_id for g in grants}))).scalars()}
    choices = scope_choices(org_tree(staff, counts=False))
    labels = dict(choices)
    rows = [(g, users.get(g.user_id), _scope_label(g, labels)) for g in grants]
    return render_template("roles.html", rows=rows, choices=choices, limit=GRANT_ROWS,
                           grantable=[(r, ROLE_NAMES[r]) for r in GRANTABLE])


def _scope_label(grant, labels: dict[str, str]) -> str:
    for column, value in grant.scope_values().items():
        if value is not None:
            key = f"{column}:{value}"
            return labels.get(key, f"{KIND_LABELS[COLUMN_KIND[column]]} #{value}")
    return "—"


def _grant_form() -> dict:
    form = request.form
    openid = (form.get("openid") or "").strip()
    if not 1 <= len(openid) <= 64:
        raise Invalid("请填写对方的微信 openid（小程序“我的”页可见）", {"openid": ["1–64 个字符"]})
    if form.get("role") not in set(GRANTABLE):
        raise Invalid("请选择角色", {"role": ["请选择角色"]})
    column, _, ident = (form.get("scope") or "").partition(":")
    if column not in COLUMN_KIND or not ident.isdecimal() or not 0 < int(ident) < 2**31:
        raise Invalid("请选择范围", {"scope": ["请选择范围"]})
    return {"openid": openid, "role": form["role"], column: int(ident)}


@bp.route("/roles/grant", methods=["POST"])
def roles_grant():
    body = _grant_form()
    result = grant_role(actor(), **body)
    flash(f"已授予{ROLE_NAMES.get(result.role, '角色')}（用户 #{result.user_id}）")
    return redirect(url_for("console.roles"), code=303)


@bp.route("/roles/<int:grant_id>/revoke", methods=["POST"])
def roles_revoke(grant_id: int):
    grant = revoke_role(actor(), grant_id)
    flash(f"已撤销{ROLE_NAMES.get(grant.role, '角色')}（授予记录 #{grant.id}），立即生效")
    return redirect(url_for("console.roles"), code=303)
