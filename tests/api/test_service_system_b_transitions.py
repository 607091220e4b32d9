"""Every transition × state × actor of projects, check-ins and star reviews, as a table: the
state machine answers 409 from a state that does not allow the move, the policy 403/404 to an
actor who may not take it (whatever the state), and the move succeeds otherwise."""
from datetime import timedelta

import pytest

from server.checkins.models import CheckIn
from server.extensions import db
from server.stars.models import StarPeerScore, StarReview
from server.timeutil import utcnow
from tests.service_system_b_world import GOOD, make_checkin_day, make_project, make_review

API = "/api/v1"
PROJECT_STATES = ("open", "claimed", "done", "cancelled")
# action -> (path suffix, body, {actor: status per state, in PROJECT_STATES order})
PROJECT_MOVES = {
    "claim": ("claims", {}, {"volunteer2": (201, 409, 409, 409), "resident": (403,) * 4,
                              "secretary": (403,) * 4}),
    "update": ("updates", {"note": "进展", "progress": 50},
               {"volunteer": (403, 201, 409, 409), "volunteer2": (403,) * 4,
                "secretary": (403,) * 4}),
    "complete": ("updates", {"note": "完成", "done": True},
                 {"volunteer": (403, 201, 409, 409), "volunteer_b": (403,) * 4}),
    "cancel": ("cancel", {"reason": "撤回"}, {"secretary": (200, 200, 409, 409),
                                              "street_secretary": (200, 200, 409, 409),
                                              "secretary_b": (404,) * 4, "volunteer": (404,) * 4}),
    # a secretary in scope confirms done work (the claimer's points then); never the claimer
    "confirm": ("confirm", {}, {"secretary": (409, 409, 200, 409),
                                "street_secretary": (409, 409, 200, 409),
                                "secretary_b": (404,) * 4, "volunteer": (404,) * 4}),
}


@pytest.mark.parametrize("move", sorted(PROJECT_MOVES))
@pytest.mark.parametrize("state", PROJECT_STATES)
def test_project_transitions(client, world, login, move, state):
    suffix, body, actors = PROJECT_MOVES[move]
    for who, expected in actors.items():
        project = make_project(world, status=state)  # claimed/done/cancelled keep the claimer
        if state == "cancelled":
            project.claimed_volunteer_id = world.volunteers["volunteer"].id
            project.claimed_by = world.users["volunteer"].id
        db.session.commit()
        resp = client.post(f"{API}/projects/{project.id}/{suffix}", headers=login(who), json=body)
        want = expected[PROJECT_STATES.index(state)]
        assert resp.status_code == want, (move, state, who, resp.get_json())


REVIEW_STATES = ("self_assessed", "peer_reviewed", "branch_reviewed", "approved")
REVIEW_MOVES = {
    "peer-scores": ({"scores": GOOD}, {"volunteer2": (201, 201, 409, 409),
                                       "volunteer_b": (403,) * 4, "volunteer": (403,) * 4}),
    "branch-review": ({"scores": GOOD}, {"secretary": (409, 200, 409, 409),
                                         "secretary_b": (403,) * 4, "volunteer2": (403,) * 4}),
    "approve": ({}, {"street_secretary": (409, 409, 200, 409), "secretary": (403,) * 4,
                     "admin": (403,) * 4}),
}


@pytest.mark.parametrize("move", sorted(REVIEW_MOVES))
@pytest.mark.parametrize("state", REVIEW_STATES)
def test_star_review_transitions(client, world, login, move, state):
    body, actors = REVIEW_MOVES[move]
    for who, expected in actors.items():
        db.session.execute(db.delete(StarPeerScore))  # one review per volunteer and period
        db.session.execute(db.delete(StarReview))
        review = make_review(world, who="volunteer", status=state)
        db.session.commit()
        resp = client.post(f"{API}/star-reviews/{review.id}/{move}", headers=login(who), json=body)
        want = expected[REVIEW_STATES.index(state)]
        assert resp.status_code == want, (move, state, who, resp.get_json())


@pytest.mark.parametrize("state, who, expected", [
    ("checked_in", "volunteer", 200), ("checked_out", "volunteer", 409),
    ("checked_in", "volunteer2", 404), ("checked_in", "secretary", 404),
])
def test_check_out_transition(client, world, login, state, who, expected):
    day, venue = make_checkin_day(world)
    checkin = CheckIn(service_day_id=day.id, venue_id=venue.id, status=state,
                      volunteer_id=world.volunteers["volunteer"].id,
                      community_id=world.communities[0].id,
                      checked_in_at=utcnow() - timedelta(hours=1))
    db.session.add(checkin)
    db.session.commit()
    resp = client.post(f"{API}/check-ins/{checkin.id}/check-out", headers=login(who))
    assert resp.status_code == expected, resp.get_json()
