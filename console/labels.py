"""Names the pages show beside ids (skills, communities): public catalogues, read through the
identity services the API's catalogue endpoints use."""
from sqlalchemy.orm import joinedload

from server.extensions import db
from server.identity.models import Community
from server.identity.services import list_communities, list_skills
from server.volunteers.models import Volunteer


def skill_names() -> dict[str, str]:
    return {skill.code: skill.name for skill in list_skills()}


def communities() -> list[Community]:
    return list(db.session.execute(list_communities()).scalars())


def community_names() -> dict[int, str]:
    return {community.id: community.name for community in communities()}


def volunteers_by_id(ids) -> dict[int, Volunteer]:
    """Volunteers (with their user) that a page already may show, e.g. those of a run that
    get_run let the caller see."""
    rows = db.session.execute(db.select(Volunteer).options(joinedload(Volunteer.user))
                              .where(Volunteer.id.in_(list(ids)))).scalars()
    return {volunteer.id: volunteer for volunteer in rows}
