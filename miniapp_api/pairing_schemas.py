"""Schemas of pairings (结对), visits and the engine's pairing proposals; shapes only.
Households appear with masked names; the map gets grid-cell centres only (policy.location)."""
import marshmallow as ma

from server.pairings.models import (
    KIND_NAMES,
    PairingKind,
    PairingProposalStatus,
    PairingRunStatus,
    PairingStatus,
)
from server.pairings.proposals import coarse_positions
from server.timeutil import utcnow

from .common import Computed, ContactSchema, LocalDateTime
from .fields import (
    CommunityQuery,
    PairedPeople,
    by_key,
    choice_in,
    id_in,
    int_in,
    opt_str,
    opt_when,
    reason_in,
    req_id,
    rows_of,
    state_out,
    str_list,
    text_in,
)


def _every_days(**kwargs) -> ma.fields.Int:
    """How often the volunteer visits: every 1 to 366 days."""
    return int_in(1, 366, **kwargs)


class PairingCreateSchema(ma.Schema):
    volunteer_id = req_id()
    household_id = req_id()
    kind = choice_in(PairingKind, required=True)
    visit_every_days = _every_days(required=True)


class PairingListQuery(ma.Schema):
    community_id = id_in()
    status = choice_in(PairingStatus)
    overdue = ma.fields.Bool()


class PairingCommunityQuery(CommunityQuery):
    """The pairings (or overdue counts) of one community."""


class PairingEndSchema(ma.Schema):
    reason = reason_in()


class VisitInSchema(ma.Schema):
    note = text_in(500, min_len=2, required=True)


class ProposeSchema(ma.Schema):
    community_id = req_id()
    kind = choice_in(PairingKind, load_default=PairingKind.ONE_TO_ONE.value)
    visit_every_days = _every_days(load_default=30)


class VisitSchema(ma.Schema):
    id = ma.fields.Int()
    pairing_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    note = ma.fields.Str()
    visited_at = LocalDateTime()
    was_overdue = ma.fields.Bool()


class PairingSchema(PairedPeople):
    id = ma.fields.Int()
    community_id = ma.fields.Int()
    kind = state_out(PairingKind)
    kind_name = Computed(lambda p: KIND_NAMES.get(p.kind, p.kind), ma.fields.Str())
    visit_every_days = ma.fields.Int()
    status = state_out(PairingStatus)
    created_at = LocalDateTime()
    last_visit_at = opt_when()
    next_visit_due = LocalDateTime()
    overdue = Computed(lambda p: p.is_overdue(utcnow()), ma.fields.Bool())
    visits = Computed(lambda p: len(p.visits), ma.fields.Int())
    ended_at = opt_when()
    end_reason = opt_str()


class HouseholdContactSchema(ContactSchema):
    """The household's contact, for its paired volunteer and the staff in scope: no position."""
    class Meta:
        exclude = ("phone_verified_via", "lat", "lng")


class PairingDetailSchema(PairingSchema):
    household_contact = ma.fields.Nested(HouseholdContactSchema, allow_none=True)


class OverdueRowSchema(ma.Schema):
    community_id = ma.fields.Int()
    overdue = ma.fields.Int()


class OverdueSchema(ma.Schema):
    overdue = ma.fields.Int()
    communities = rows_of(OverdueRowSchema)


class MapPointSchema(ma.Schema):
    household_lat = ma.fields.Float()
    household_lng = ma.fields.Float()
    volunteer_lat = ma.fields.Float()
    volunteer_lng = ma.fields.Float()


class PairingProposalSchema(PairedPeople):
    id = ma.fields.Int()
    run_id = ma.fields.Int()
    community_id = ma.fields.Int()
    distance_m = ma.fields.Int()
    score = ma.fields.Int()
    reasons = str_list()
    status = state_out(PairingProposalStatus)
    decided_at = opt_when()
    decision_reason = opt_str()
    map = Computed(coarse_positions, ma.fields.Nested(MapPointSchema))


class UnpairedSchema(ma.Schema):
    household_id = ma.fields.Int()
    reason = ma.fields.Str()
    message = ma.fields.Str()


class PairingRunSchema(ma.Schema):
    id = ma.fields.Int()
    community_id = ma.fields.Int()
    kind = state_out(PairingKind)
    visit_every_days = ma.fields.Int()
    status = state_out(PairingRunStatus)
    stats = by_key(ma.fields.Float())
    unmatched = rows_of(UnpairedSchema)
    created_at = LocalDateTime()
    proposals = rows_of(PairingProposalSchema)


class PairingRunSummarySchema(PairingRunSchema):
    class Meta:
        exclude = ("proposals", "unmatched")
