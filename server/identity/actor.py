"""The acting user of a request, job or command, with roles and scope read from the database."""
from dataclasses import dataclass, field

from ..enums import Role, VolunteerStatus


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    roles: frozenset[str] = frozenset({Role.RESIDENT})
    # Communities this actor administers as a secretary or admin (already expanded from streets
    # and districts); kept for the community-level checks (`manages`). Checks on a street,
    # a district or a grant use server/policy/scope.py with the roles they need.
    managed_communities: frozenset[int] = frozenset()
    # Live grants as (role, scope kind, scope id): what server/policy/scope.py checks against.
    grants: frozenset[tuple[str, str, int]] = frozenset()
    volunteer_id: int | None = None
    volunteer_status: str | None = None
    community_id: int | None = None
    request_id: str | None = None
    acting_role: str = field(default=Role.RESIDENT)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_secretary(self) -> bool:
        return Role.SECRETARY in self.roles or self.is_admin

    @property
    def is_active_volunteer(self) -> bool:
        return self.volunteer_status == VolunteerStatus.ACTIVE

    @property
    def is_system(self) -> bool:
        return Role.SYSTEM in self.roles

    def manages(self, community_id: int | None) -> bool:
        return community_id is not None and community_id in self.managed_communities


SYSTEM = Actor(user_id=None, roles=frozenset({Role.SYSTEM}), acting_role=Role.SYSTEM)
