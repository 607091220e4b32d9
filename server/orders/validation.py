"""Checks of order and offering input that need the database (shape is the schemas' job)."""
from ..errors import Invalid
from ..extensions import db
from ..identity.models import Skill


def check_skills(codes) -> list[str]:
    """The skill codes, sorted and unique; 422 for a code not in the catalogue."""
    codes = sorted(set(codes or []))
    known = set(db.session.execute(db.select(Skill.code).where(Skill.code.in_(codes))).scalars())
    if set(codes) - known:
        raise Invalid(errors={"skills": [f"未知技能：{', '.join(sorted(set(codes) - known))}"]})
    return codes
