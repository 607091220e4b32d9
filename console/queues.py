"""The workbench's queue counts: each one counts the rows of the same scope-filtered query that
the API's list (and the console's page) shows, so a count never leaks what the page would hide."""
from server.donations.models import Donation, DonationStatus
from server.donations.policies import KEEPERS, stations_covered
from server.extensions import db
from server.identity.actor import Actor
from server.matching_runs.models import MatchProposal, ProposalStatus
from server.matching_runs.services import list_runs
from server.orders.queries import community_orders_query
from server.pairings.models import PairingProposal, PairingProposalStatus
from server.pairings.proposals import list_runs as list_pairing_runs
from server.pairings.queries import overdue_visits
from server.posts.queries import pending_logs
from server.projects.queries import awaiting_confirmation
from server.stars.queries import queue_query  # volunteer service system, part b
from server.volunteers.models import VolunteerStatus
from server.volunteers.services import list_volunteers
from server.wishes.models import WishStatus
from server.wishes.queries import wall_query


def count(query) -> int:
    query = query.order_by(None).subquery()
    return db.session.execute(db.select(db.func.count()).select_from(query)).scalar_one()


def wishes_pending(actor: Actor) -> int:
    return count(wall_query(actor, {"status": WishStatus.PENDING_REVIEW}))


def applications_pending(actor: Actor) -> int:
    return count(list_volunteers(actor, status=VolunteerStatus.PENDING))


def home_visits_unassigned(actor: Actor) -> int:
    return count(community_orders_query(actor, {"unassigned": True, "kind": "visit"}))


def proposals_pending(actor: Actor) -> int:
    runs = list_runs(actor).with_only_columns(db.literal_column("matching_runs.id")).order_by(None)
    return count(db.select(MatchProposal.id).where(MatchProposal.run_id.in_(runs),
                                                   MatchProposal.status == ProposalStatus.PROPOSED))


# volunteer service system (issue 16a)
def duty_logs_pending(actor: Actor) -> int:
    return count(pending_logs(actor))


def pairing_visits_overdue(actor: Actor) -> int:
    return overdue_visits(actor)["overdue"]


def pairing_proposals_pending(actor: Actor) -> int:
    runs = list_pairing_runs(actor).with_only_columns(
        db.literal_column("pairing_runs.id")).order_by(None)
    return count(db.select(PairingProposal.id).where(
        PairingProposal.run_id.in_(runs), PairingProposal.status == PairingProposalStatus.PROPOSED))


def first_rows(query, limit: int) -> list:
    """The first `limit` objects of a list query (the pages show the head of each queue)."""
    return list(db.session.execute(query.limit(limit)).unique().scalars())


def donations_received(actor: Actor) -> int:
    """Gifts waiting for inspection at the stations the keeper keeps (issue 14)."""
    stations = stations_covered(actor, KEEPERS)
    return count(db.select(Donation.id).where(Donation.station_id.in_(stations),
                                              Donation.status == DonationStatus.RECEIVED))
def star_reviews_waiting(actor: Actor) -> int:
    """争六星 reviews waiting for this secretary (branch review or approval); volunteer service b."""
    return count(queue_query(actor, {}))


def projects_to_confirm(actor: Actor) -> int:
    """Done projects waiting for a secretary's confirmation (the claimer's points wait on it)."""
    return count(awaiting_confirmation(actor))
