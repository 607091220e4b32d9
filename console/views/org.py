"""组织架构 (admins): the org tree of the admin's scope with its counts, and the changes the API
offers — create a street, community, grid or unit, rename one, retire or restore a community,
delete an empty one — through the services of GET/POST/PATCH /admin/{kind} and
DELETE /admin/communities/{id} (server.org.services; scope checked there)."""
import math

from flask import flash, redirect, render_template, request, url_for

from server.errors import Invalid, NotFound
from server.org.services import create_org, delete_community, update_org
from server.org.tree import org_tree

from .. import bp
from ..auth import actor

KIND_NAMES = {"streets": "街道", "communities": "社区", "grids": "网格", "units": "单位"}
NAME_MAX = {"units": 80}
PARENT = {"streets": "district_id", "communities": "street_id", "grids": "community_id",
          "units": "community_id"}


@bp.route("/org")
def org():
    tree = org_tree(actor())
    streets = [s for d in tree.districts for s in d.streets]
    return render_template("org.html", tree=tree, kind_names=KIND_NAMES,
                           streets=[s.street for s in streets],
                           communities=[n.community for s in streets for n in s.communities])


def _kind(kind: str) -> str:
    if kind not in KIND_NAMES:
        raise NotFound()
    return kind


def _name(kind: str) -> str:
    name = (request.form.get("name") or "").strip()
    limit = NAME_MAX.get(kind, 50)
    if not 1 <= len(name) <= limit:
        raise Invalid(f"请填写名称（1–{limit} 字）", {"name": [f"1–{limit} 字"]})
    return name


def _id(field: str, *, required: bool) -> int | None:
    raw = (request.form.get(field) or "").strip()
    if not raw and not required:
        return None
    if not raw.isdecimal() or not 0 < int(raw) < 2**31:
        raise Invalid("请选择上级单位", {field: ["请选择"]})
    return int(raw)


def _coordinate(field: str, bound: float) -> float:
    try:
        value = float((request.form.get(field) or "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        raise Invalid("请填写中心点的经纬度（数字）", {field: ["应为数字"]})
    return value


def _create_body(kind: str) -> dict:
    body = {"name": _name(kind)}
    parent = PARENT[kind]
    body[parent] = _id(parent, required=kind != "units")
    if kind == "communities":
        body["lat"], body["lng"] = _coordinate("lat", 90), _coordinate("lng", 180)
    if kind == "units":
        unit_kind = (request.form.get("kind") or "").strip() or "机关"
        if len(unit_kind) > 20:
            raise Invalid("单位类型不能超过 20 字", {"kind": ["不能超过 20 字"]})
        body["kind"] = unit_kind
    return body


@bp.route("/org/<string:kind>/new", methods=["POST"])
def org_create(kind: str):
    kind = _kind(kind)
    obj = create_org(actor(), kind, _create_body(kind))
    flash(f"已新建{KIND_NAMES[kind]}：{obj.name}")
    return redirect(url_for("console.org"), code=303)


@bp.route("/org/<string:kind>/<int:obj_id>/rename", methods=["POST"])
def org_rename(kind: str, obj_id: int):
    kind = _kind(kind)
    obj = update_org(actor(), kind, obj_id, {"name": _name(kind)})
    flash(f"{KIND_NAMES[kind]}已改名为：{obj.name}")
    return redirect(url_for("console.org"), code=303)


@bp.route("/org/communities/<int:obj_id>/retire", methods=["POST"])
def org_retire(obj_id: int):
    retire = request.form.get("retired") == "1"
    community = update_org(actor(), "communities", obj_id, {"retired": retire})
    flash(f"社区“{community.name}”已{'停用' if retire else '恢复'}")
    return redirect(url_for("console.org"), code=303)


@bp.route("/org/communities/<int:obj_id>/delete", methods=["POST"])
def org_delete(obj_id: int):
    """Only a community that never held anyone or anything (409 otherwise: retire it)."""
    delete_community(actor(), obj_id)
    flash("社区已删除")
    return redirect(url_for("console.org"), code=303)
