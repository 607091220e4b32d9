"""Workbench counts of the care casework (issue 15): the same scope-filtered queue query the
API's GET /cases and the console page list."""
from server.care.models import Case, CaseStatus
from server.care.queries import case_queue_query
from server.identity.actor import Actor

from .queues import count

WAITING = (CaseStatus.APPLIED, CaseStatus.VERIFIED, CaseStatus.PUBLICISED)


def cases_waiting(actor: Actor) -> int:
    return count(case_queue_query(actor).where(Case.status.in_(WAITING)))
