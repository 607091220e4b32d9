"""What rows refer to, loaded once per import: the org tree, units, skills — and the admin's scope
over each (an import never reaches outside the scope of the admin who runs it)."""
import re
from collections import defaultdict

from ...extensions import db
from ...identity.behalf import PLACEHOLDER  # noqa: F401  (re-exported for the planners)
from ...identity.models import Community, Grid, Skill, Street, Unit, User

_CHUNK = 500


class Context:
    def __init__(self, scope):
        self.scope = scope
        self.streets = defaultdict(list)
        for street in db.session.execute(db.select(Street)).scalars():
            self.streets[street.name].append(street)
        self.communities = {(c.street_id, c.name): c
                            for c in db.session.execute(db.select(Community)).scalars()}
        self.units = {u.name: u for u in db.session.execute(db.select(Unit)).scalars()}
        self.skills = {}
        for skill in db.session.execute(db.select(Skill)).scalars():
            self.skills[skill.code] = self.skills[skill.name] = skill.code
        self._grids = None
        # streets the admin reaches at all: whole streets, and the streets of their communities
        self.reachable_streets = {street_id for (street_id, _), c in self.communities.items()
                                  if scope.covers_community(c.id)}

    def street(self, name):
        """(street, None) or (None, the Chinese reason)."""
        found = self.streets.get(name, [])
        mine = [s for s in found
                if self.scope.covers_street(s.id) or s.id in self.reachable_streets]
        if len(mine) == 1:
            return mine[0], None
        if len(mine) > 1:
            return None, "街道名称不唯一，请联系区级管理员"
        return None, "街道不在您的管辖范围内" if found else "街道不存在"

    def community(self, street_name, name):
        """The community, in scope and not retired; or (None, reason) for the given column."""
        street, problem = self.street(street_name)
        if street is None:
            return None, ("街道", problem)
        community = self.communities.get((street.id, name))
        if community is None:
            return None, ("社区", "该街道下没有这个社区")
        if not self.scope.covers_community(community.id):
            return None, ("社区", "社区不在您的管辖范围内")
        if community.retired_at is not None:
            return None, ("社区", "社区已停用")
        return community, None

    def grid(self, community_id, name):
        if self._grids is None:
            self._grids = {(g.community_id, g.name): g
                           for g in db.session.execute(db.select(Grid)).scalars()}
        return self._grids.get((community_id, name))

    def skill_codes(self, text):
        if not text:
            return [], None
        names = [p for p in re.split(r"[、,，;；/\s]+", text) if p]
        unknown = [n for n in names if n not in self.skills]
        if unknown:
            return None, "技能不在目录中：" + "、".join(unknown[:5])
        return sorted({self.skills[n] for n in names}), None


def placeholders_by_phone(phones) -> dict[str, User]:
    """People who came from an earlier import (and never logged in), by phone. A phone typed into
    a profile is not verified, so a roster row never attaches to a WeChat account by it."""
    found, phones = {}, sorted(set(phones))
    for i in range(0, len(phones), _CHUNK):
        for user in db.session.execute(db.select(User).where(
                User.phone.in_(phones[i:i + _CHUNK]),
                User.openid.startswith(PLACEHOLDER))).scalars():
            found.setdefault(user.phone, user)
    return found
