"""The skill catalogue (table `skills`): listing it and checking codes against it."""
from ..errors import Invalid
from ..extensions import db
from .models import Skill


def list_skills():
    return db.session.execute(db.select(Skill).order_by(Skill.category, Skill.code)).scalars().all()


def check_skills(codes) -> list[str]:
    """The skill codes, sorted and unique; 422 naming the codes not in the catalogue."""
    codes = sorted(set(codes or []))
    known = set(db.session.execute(db.select(Skill.code).where(Skill.code.in_(codes))).scalars())
    if set(codes) - known:
        raise Invalid(errors={"skills": [f"未知技能：{', '.join(sorted(set(codes) - known))}"]})
    return codes
