"""miniapp_api/fields.py: the shared field factories and groups keep each schema's contract
(the fields, their order as query parameters, required-ness, nullability, validation)."""
from datetime import date
from types import SimpleNamespace

import marshmallow as ma
import pytest

from miniapp_api.admin_org_schemas import (
    AdminGridSchema,
    AdminStreetSchema,
    GridCreate,
    StreetCreate,
    StreetPatch,
)
from miniapp_api.care_schemas import CaseObjectionSchema, CaseRevisitSchema, ObjectionSchema
from miniapp_api.common import ID_RANGE
from miniapp_api.donations_schemas import InspectSchema, StationQuery
from miniapp_api.fields import (
    DAY_RANGE,
    choice_in,
    id_in,
    masked_name,
    opt_int,
    read_from,
    req_int,
    values,
)
from miniapp_api.identity_schemas import GrantResultSchema, RoleGrantSchema
from miniapp_api.order_schemas import DAY_RANGE as ORDER_DAY_RANGE
from miniapp_api.order_schemas import MenuQuery, OfferingCreateSchema
from miniapp_api.pairing_schemas import PairingProposalSchema, PairingSchema
from miniapp_api.projects_schemas import ProjectCreateSchema, ProjectQuery
from miniapp_api.reports_schemas import FiguresQuery, ReportQuery
from miniapp_api.wish_schemas import ReviewSchema, WishWallQuery
from server.donations.models import Decision

SCOPES = ["community_id", "street_id", "district_id", "grid_id", "unit_id", "station_id"]


def _refused(schema: ma.Schema, data: dict) -> dict:
    with pytest.raises(ma.ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


@pytest.mark.parametrize("query, own", [
    (MenuQuery, ["category", "community_id", "mode", "date", "available"]),
    (WishWallQuery, ["status", "community_id", "category"]),
    (ProjectQuery, ["status", "community_id", "street_id"]),
])
def test_nearby_queries_keep_their_parameters_in_order_and_pair_lat_with_lng(query, own):
    assert list(query().fields) == [*own, "lat", "lng", "radius_m"]
    assert query.__name__ == query().__class__.__name__
    assert _refused(query(), {"lat": "30.2"}) == {"lng": ["经纬度需要同时提供"]}
    assert query().load({"lat": "30.2", "lng": "120.1", "radius_m": "500"}) == {
        "lat": 30.2, "lng": 120.1, "radius_m": 500}
    assert "radius_m" in _refused(query(), {"radius_m": "50"})


@pytest.mark.parametrize("schema, body", [
    (OfferingCreateSchema(partial=True), {"lng": 120.0}),
    (ProjectCreateSchema(partial=True), {"lat": 30.0}),
])
def test_positions_come_together_or_not_at_all(schema, body):
    assert _refused(schema, body) == {"lng": ["经纬度需要同时提供"]}


def test_a_community_filter_is_a_positive_int32():
    assert StationQuery().load({"community_id": "7"}) == {"community_id": 7}
    assert "community_id" in _refused(StationQuery(), {"community_id": str(2**31)})
    assert "community_id" in _refused(StationQuery(), {"community_id": "0"})


def test_decision_bodies_take_their_own_choices_and_an_optional_short_reason():
    assert InspectSchema().load({"decision": Decision.ACCEPT.value}) == {
        "decision": Decision.ACCEPT.value}
    assert "decision" in _refused(InspectSchema(), {"decision": "maybe"})
    assert "reason" in _refused(InspectSchema(), {"decision": Decision.ACCEPT.value,
                                                 "reason": "x" * 201})
    # a wish review's reason defaults to None, as before
    assert ReviewSchema().load({"decision": "approve"}) == {"decision": "approve", "reason": None}


def test_objections_and_revisits_inside_a_case_leave_out_the_case_id():
    row = {"id": 1, "case_id": 9, "text": "t", "status": "open", "resolution": None,
           "created_at": None}
    assert "case_id" not in CaseObjectionSchema().dump(SimpleNamespace(**row))
    assert ObjectionSchema().dump(SimpleNamespace(**row))["case_id"] == 9
    assert "case_id" not in CaseRevisitSchema().fields


def test_streets_and_grids_are_names_under_their_parents():
    assert list(AdminStreetSchema().fields) == ["id", "name", "district_id"]
    assert list(AdminGridSchema().fields) == ["id", "name", "community_id"]
    assert list(StreetPatch().fields) == ["name"]
    assert set(_refused(StreetCreate(), {})) == {"name", "district_id"}
    assert set(_refused(GridCreate(), {})) == {"name", "community_id"}
    assert GridCreate().load({"name": "一网格", "community_id": 3}) == {
        "name": "一网格", "community_id": 3}


def test_grants_show_one_scope_group():
    for schema in (RoleGrantSchema(), GrantResultSchema()):
        assert {"user_id", "role", *SCOPES} <= set(schema.fields)
        assert all(schema.fields[name].allow_none for name in SCOPES)


def test_paired_people_are_masked():
    pairing = SimpleNamespace(volunteer_id=1, household_id=2,
                              volunteer=SimpleNamespace(user=SimpleNamespace(name="王小明")),
                              household=SimpleNamespace(name="李大爷"))
    for schema in (PairingSchema(only=["volunteer_name", "household_name"]),
                   PairingProposalSchema(only=["volunteer_name", "household_name"])):
        assert schema.dump(pairing) == {"volunteer_name": "王**", "household_name": "李**"}


def test_the_factories_say_what_they_publish():
    assert req_int().required and not req_int().allow_none
    assert opt_int().allow_none and not opt_int().required
    assert id_in().validators == [ID_RANGE]
    assert choice_in(Decision).validators[0].choices == [d.value for d in Decision]
    assert values({"a": 1, "b": 2}) == ["a", "b"]
    assert ORDER_DAY_RANGE is DAY_RANGE
    field = read_from("order")(ma.fields.Int, "rating", allow_none=True)
    assert field.attribute == "order.rating" and field.allow_none
    assert ma.Schema.from_dict({"n": masked_name("p.name")})().dump(
        SimpleNamespace(p=SimpleNamespace(name="张三"))) == {"n": "张*"}


def test_report_queries_take_from_and_to_after_their_own_parameters():
    assert list(FiguresQuery().fields) == ["scope", "id", "from_", "to", "group_by"]
    assert FiguresQuery().load({"from": "2026-01-01", "to": "2026-01-31"}) == {
        "from": date(2026, 1, 1), "to": date(2026, 1, 31)}
    assert _refused(ReportQuery(), {"from": "1.1."}) == {"from": ["日期格式无效，应为 2026-11-20"]}
