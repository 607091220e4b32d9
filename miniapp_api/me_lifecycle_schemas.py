"""The shapes of the privacy lifecycle (miniapp_api/me_lifecycle.py): the copy of my data,
section by section, and the cancellation that must be meant."""
import marshmallow as ma

from .common import LocalDateTime

_ROWS = dict(keys=ma.fields.Str(), values=ma.fields.Raw(allow_none=True))


def _rows():
    return ma.fields.List(ma.fields.Dict(**_ROWS), required=True)


class DataExportSchema(ma.Schema):
    exported_at = ma.fields.Str(required=True)
    profile = ma.fields.Dict(required=True, **_ROWS)
    volunteer = ma.fields.Dict(required=True, allow_none=True, **_ROWS)
    consents = _rows()
    role_grants = _rows()
    wishes_posted = _rows()
    wishes_claimed = _rows()
    wish_claims = _rows()
    orders_placed = _rows()
    orders_served = _rows()
    offerings = _rows()
    points = _rows()
    ratings_given = _rows()
    ratings_received = _rows()
    match_proposals = _rows()
    notifications = _rows()
    audit = _rows()
    # volunteer service system (issue 16a)
    posts_held = _rows()
    duty_logs = _rows()
    pairings = _rows()
    pairing_visits = _rows()
    # donations and the love supermarket (issue 14)
    donations = _rows()
    aid_cards = _rows()
    redemptions_received = _rows()
    label_acks = _rows()
    contact_cards = _rows()
    care_cases = _rows()  # care casework (issue 15): my applications, their payments, revisits
    care_contributions = _rows()
    care_objections = _rows()
    # volunteer service system, part b
    projects_claimed = _rows()
    check_ins = _rows()
    star_reviews = _rows()
    star_peer_scores_given = _rows()


class JsonBoolean(ma.fields.Boolean):
    """Only JSON true or false: not 1, "yes" or "true" (a cancellation must be meant)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class AccountCancelSchema(ma.Schema):
    confirm = JsonBoolean(required=True)


class AccountCancelledSchema(ma.Schema):
    cancelled = ma.fields.Bool(required=True)
    cancelled_at = LocalDateTime(required=True)
