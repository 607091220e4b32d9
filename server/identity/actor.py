"""The acting user of a request, job or command, with roles and scope read from the database."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    roles: frozenset[str] = frozenset({"resident"})
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
    acting_role: str = field(default="resident")

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_secretary(self) -> bool:
        return "secretary" in self.roles or self.is_admin

    @property
    def is_active_volunteer(self) -> bool:
        return self.volunteer_status == "active"

    def manages(self, community_id: int | None) -> bool:
        return community_id is not None and community_id in self.managed_communities


SYSTEM = Actor(user_id=None, roles=frozenset({"system"}), acting_role="system")
