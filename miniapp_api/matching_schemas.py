"""The shapes of the matching endpoints (miniapp_api/matching.py): a run, its proposals (the
volunteer's view leaves out the score) and the tasks left unmatched."""
import marshmallow as ma

from .common import ID_RANGE, LocalDateTime


class RunCreateSchema(ma.Schema):
    community_id = ma.fields.Int(validate=ID_RANGE)
    street_id = ma.fields.Int(validate=ID_RANGE)


class ProposalSchema(ma.Schema):
    id = ma.fields.Int()
    run_id = ma.fields.Int()
    task_type = ma.fields.Str()
    task_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    distance_m = ma.fields.Int()
    score = ma.fields.Int()
    reasons = ma.fields.List(ma.fields.Str())
    start = LocalDateTime(allow_none=True)
    end = LocalDateTime(allow_none=True)
    status = ma.fields.Str()
    decision_reason = ma.fields.Str(allow_none=True)


class VolunteerProposalSchema(ProposalSchema):
    """What the proposed volunteer sees (server/matching_runs/volunteer_view.py): reasons and a
    coarse distance, never the score (it carries the household's need tier)."""
    class Meta:
        exclude = ("score",)

    distance_m = ma.fields.Int(allow_none=True)


class UnmatchedSchema(ma.Schema):
    task_type = ma.fields.Str()
    task_id = ma.fields.Int()
    reason = ma.fields.Str()
    message = ma.fields.Str()


class StatsSchema(ma.Schema):
    tasks = ma.fields.Int()
    volunteers = ma.fields.Int()
    matched = ma.fields.Int()
    unmatched = ma.fields.Int()
    total_distance_m = ma.fields.Int()
    solve_ms = ma.fields.Float()
    total_ms = ma.fields.Float()
    arcs = ma.fields.Int()


class RunSchema(ma.Schema):
    id = ma.fields.Int()
    community_id = ma.fields.Int(allow_none=True)
    street_id = ma.fields.Int(allow_none=True)
    status = ma.fields.Str()
    trigger = ma.fields.Str()
    message = ma.fields.Str(allow_none=True)
    stats = ma.fields.Nested(StatsSchema)
    proposals = ma.fields.List(ma.fields.Nested(ProposalSchema))
    unmatched = ma.fields.List(ma.fields.Nested(UnmatchedSchema))
    created_at = LocalDateTime()
    finished_at = LocalDateTime(allow_none=True)


class RunBriefSchema(RunSchema):
    class Meta:
        exclude = ("proposals", "unmatched")


class RunListQuery(ma.Schema):
    community_id = ma.fields.Int(validate=ID_RANGE)
