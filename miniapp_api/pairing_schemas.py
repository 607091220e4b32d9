"""Schemas of pairings (结对), visits and the engine's pairing proposals; shapes only.
Households appear with masked names; the map gets grid-cell centres only (policy.location)."""
import marshmallow as ma
from marshmallow import validate as v

from server.pairings.models import (
    KIND_NAMES,
    PairingKind,
    PairingProposalStatus,
    PairingRunStatus,
    PairingStatus,
)
from server.pairings.proposals import coarse_positions
from server.privacy import mask_name
from server.timeutil import utcnow

from .common import Computed, LocalDateTime

_ID = v.Range(min=1, max=2**31 - 1)
_KINDS = [k.value for k in PairingKind]


class PairingCreateSchema(ma.Schema):
    volunteer_id = ma.fields.Int(required=True, validate=_ID)
    household_id = ma.fields.Int(required=True, validate=_ID)
    kind = ma.fields.Str(required=True, validate=v.OneOf(_KINDS))
    visit_every_days = ma.fields.Int(required=True, validate=v.Range(min=1, max=366))


class PairingListQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)
    status = ma.fields.Str(validate=v.OneOf([s.value for s in PairingStatus]))
    overdue = ma.fields.Bool()


class PairingCommunityQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


class PairingEndSchema(ma.Schema):
    reason = ma.fields.Str(validate=v.Length(max=200))


class VisitInSchema(ma.Schema):
    note = ma.fields.Str(required=True, validate=v.Length(min=2, max=500))


class ProposeSchema(ma.Schema):
    community_id = ma.fields.Int(required=True, validate=_ID)
    kind = ma.fields.Str(load_default=PairingKind.ONE_TO_ONE.value, validate=v.OneOf(_KINDS))
    visit_every_days = ma.fields.Int(load_default=30, validate=v.Range(min=1, max=366))


class VisitSchema(ma.Schema):
    id = ma.fields.Int()
    pairing_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    note = ma.fields.Str()
    visited_at = LocalDateTime()
    was_overdue = ma.fields.Bool()


class PairingSchema(ma.Schema):
    id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    volunteer_name = Computed(lambda p: mask_name(p.volunteer.user.name), ma.fields.Str())
    household_id = ma.fields.Int()
    household_name = Computed(lambda p: mask_name(p.household.name), ma.fields.Str())
    community_id = ma.fields.Int()
    kind = ma.fields.Str(metadata={"enum": _KINDS})
    kind_name = Computed(lambda p: KIND_NAMES.get(p.kind, p.kind), ma.fields.Str())
    visit_every_days = ma.fields.Int()
    status = ma.fields.Str(metadata={"enum": [s.value for s in PairingStatus]})
    created_at = LocalDateTime()
    last_visit_at = LocalDateTime(allow_none=True)
    next_visit_due = LocalDateTime()
    overdue = Computed(lambda p: p.is_overdue(utcnow()), ma.fields.Bool())
    visits = Computed(lambda p: len(p.visits), ma.fields.Int())
    ended_at = LocalDateTime(allow_none=True)
    end_reason = ma.fields.Str(allow_none=True)


class HouseholdContactSchema(ma.Schema):
    name = ma.fields.Str()
    phone = ma.fields.Str(allow_none=True)
    address = ma.fields.Str(allow_none=True)


class PairingDetailSchema(PairingSchema):
    household_contact = ma.fields.Nested(HouseholdContactSchema, allow_none=True)


class OverdueRowSchema(ma.Schema):
    community_id = ma.fields.Int()
    overdue = ma.fields.Int()


class OverdueSchema(ma.Schema):
    overdue = ma.fields.Int()
    communities = ma.fields.List(ma.fields.Nested(OverdueRowSchema))


class MapPointSchema(ma.Schema):
    household_lat = ma.fields.Float()
    household_lng = ma.fields.Float()
    volunteer_lat = ma.fields.Float()
    volunteer_lng = ma.fields.Float()


class PairingProposalSchema(ma.Schema):
    id = ma.fields.Int()
    run_id = ma.fields.Int()
    community_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    volunteer_name = Computed(lambda p: mask_name(p.volunteer.user.name), ma.fields.Str())
    household_id = ma.fields.Int()
    household_name = Computed(lambda p: mask_name(p.household.name), ma.fields.Str())
    distance_m = ma.fields.Int()
    score = ma.fields.Int()
    reasons = ma.fields.List(ma.fields.Str())
    status = ma.fields.Str(metadata={"enum": [s.value for s in PairingProposalStatus]})
    decided_at = LocalDateTime(allow_none=True)
    decision_reason = ma.fields.Str(allow_none=True)
    map = Computed(coarse_positions, ma.fields.Nested(MapPointSchema))


class UnpairedSchema(ma.Schema):
    household_id = ma.fields.Int()
    reason = ma.fields.Str()
    message = ma.fields.Str()


class PairingRunSchema(ma.Schema):
    id = ma.fields.Int()
    community_id = ma.fields.Int()
    kind = ma.fields.Str(metadata={"enum": _KINDS})
    visit_every_days = ma.fields.Int()
    status = ma.fields.Str(metadata={"enum": [s.value for s in PairingRunStatus]})
    stats = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Float())
    unmatched = ma.fields.List(ma.fields.Nested(UnpairedSchema))
    created_at = LocalDateTime()
    proposals = ma.fields.List(ma.fields.Nested(PairingProposalSchema))


class PairingRunSummarySchema(PairingRunSchema):
    class Meta:
        exclude = ("proposals", "unmatched")
