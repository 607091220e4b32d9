"""The shapes of the audit trail's endpoints (miniapp_api/audit.py): the filters and an entry."""
import marshmallow as ma
from marshmallow import validate as v

from .common import ID_RANGE, LocalDateTime


class AuditQuery(ma.Schema):
    actor_id = ma.fields.Int(validate=ID_RANGE)
    action = ma.fields.Str(validate=v.Length(min=1, max=60))
    object_type = ma.fields.Str(validate=v.Length(min=1, max=40))
    from_ = LocalDateTime(data_key="from")
    to = LocalDateTime()

    @ma.post_load
    def _rename(self, data, **_):
        if "from_" in data:
            data["from"] = data.pop("from_")
        return data


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Int()
    actor_id = ma.fields.Int(allow_none=True)
    actor_role = ma.fields.Str()
    action = ma.fields.Str()
    object_type = ma.fields.Str()
    object_id = ma.fields.Str()
    scope = ma.fields.Str()
    detail = ma.fields.Dict()
    request_id = ma.fields.Str(allow_none=True)
    at = LocalDateTime()
