"""The enums the foundation and `policy` read: roles and the volunteer machine.

They live here, below every capability, so that `policy`, `audit` and the actor can name a role or
a volunteer status without importing a capability's models (docs/architecture.md). Their old homes
re-export them: `from server.identity.models import Role` and
`from server.volunteers.models import VolunteerStatus` keep working and are the usual spelling.
"""
from enum import StrEnum

from .statemachine import Machine


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    SECRETARY = "secretary"
    ADMIN = "admin"
    GRID_WORKER = "grid_worker"
    STATION_KEEPER = "station_keeper"
    UNIT_SECRETARY = "unit_secretary"
    FUND_OFFICER = "fund_officer"
    LEADING_GROUP = "leading_group"
    SYSTEM = "system"  # jobs and commands (server/identity/actor.py SYSTEM); never granted


class VolunteerStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"


VOLUNTEER = Machine("志愿者", {
    None: {VolunteerStatus.PENDING},  # a first application
    VolunteerStatus.PENDING: {VolunteerStatus.ACTIVE, VolunteerStatus.REJECTED,
                              VolunteerStatus.LEFT},
    VolunteerStatus.ACTIVE: {VolunteerStatus.LEFT},
    VolunteerStatus.REJECTED: {VolunteerStatus.PENDING},  # reapply
    VolunteerStatus.LEFT: {VolunteerStatus.PENDING},
})
# Statuses end_volunteering acts on.
CURRENT_VOLUNTEER = (VolunteerStatus.PENDING, VolunteerStatus.ACTIVE)
