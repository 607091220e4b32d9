"""争六星 through the API: the period job, self-assessment with ledger evidence, peer scores,
branch review, street approval, commendation and the published (masked) results; every
separation rule (nobody reviews themself, peers of the branch once, the branch secretary, a
street secretary who is not the branch reviewer); audit; races and bad input."""
from datetime import datetime

import pytest

from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.actor import SYSTEM
from server.identity.services import load_actor
from server.points.services import credit_points
from server.stars.models import StarPeriod, StarReview
from server.stars.services import open_star_period
from server.timeutil import LOCAL_TZ
from tests.concurrency import race
from tests.service_system_b_world import FULL, GOOD, add_peers, current_period, make_review

API = "/api/v1"


def test_the_job_opens_each_half_year_once(db):
    june = datetime(2026, 6, 1, 6, tzinfo=LOCAL_TZ)
    december = datetime(2026, 12, 1, 6, tzinfo=LOCAL_TZ)
    assert open_star_period(SYSTEM, now=june) == {"opened": 1}
    assert open_star_period(SYSTEM, now=june) == {"opened": 0}
    assert open_star_period(SYSTEM, now=december) == {"opened": 1}
    codes = db.session.execute(db.select(StarPeriod.code).order_by(StarPeriod.code)).scalars()
    assert list(codes) == ["2026H1", "2026H2"]
    from jobs.registry import JOBS
    assert str(JOBS["star_period"].default) == "cron '0 6 1 6,12 *' (Asia/Shanghai)"


def test_only_the_system_opens_a_period(world):
    from server.errors import Forbidden
    with pytest.raises(Forbidden):
        open_star_period(load_actor(world.users["admin"].id))


def _self(client, login, who="volunteer", scores=FULL):
    return client.post(f"{API}/star-reviews", headers=login(who), json={
        "period": current_period(), "scores": scores, "note": "认真履职"})


def test_the_whole_flow_to_a_commendation(client, world, login):
    open_star_period(SYSTEM)
    credit_points(world.volunteers["volunteer"].id, "wish_confirmed", "wish", 1)
    db.session.commit()
    resp = _self(client, login)
    assert resp.status_code == 201, resp.get_json()
    review = resp.get_json()
    assert review["status"] == "self_assessed" and review["self_total"] == 100
    assert review["evidence"]["points"] == 10
    assert review["evidence"]["points_by_reason"] == {"wish_confirmed": 10}
    peers = add_peers(world)
    db.session.commit()
    for i, peer in enumerate(peers):
        assert client.get(f"{API}/star-reviews/queue", headers=login(peer)).get_json()[0]["id"] \
            == review["id"]
        scored = client.post(f"{API}/star-reviews/{review['id']}/peer-scores",
                             headers=login(peer), json={"scores": GOOD})
        assert scored.status_code == 201, scored.get_json()
    after = client.get(f"{API}/star-reviews/{review['id']}", headers=login("volunteer")).get_json()
    assert after["status"] == "peer_reviewed" and after["peer_count"] == 3
    assert after["peer_scores"] is None  # single peer scores are for the secretaries
    queue = client.get(f"{API}/star-reviews/queue", headers=login("secretary")).get_json()
    assert [r["id"] for r in queue] == [review["id"]]
    branch = client.post(f"{API}/star-reviews/{review['id']}/branch-review",
                         headers=login("secretary"), json={"scores": FULL, "comment": "优秀"})
    assert branch.status_code == 200 and branch.get_json()["branch_total"] == 100
    assert len(branch.get_json()["peer_scores"]) == 3
    assert [r["id"] for r in client.get(f"{API}/star-reviews/queue",
                                        headers=login("street_secretary")).get_json()] \
        == [review["id"]]
    approved = client.post(f"{API}/star-reviews/{review['id']}/approve",
                           headers=login("street_secretary"), json={})
    assert approved.status_code == 200
    assert approved.get_json()["commended"] is True and approved.get_json()["final_total"] == 100
    results = client.get(f"{API}/star-periods/{current_period()}/results?community_id=1")
    assert results.status_code == 200
    assert results.get_json() == [{"id": review["id"], "name": "李**", "community_id": 1,
                                   "community": "甲社区", "total": 100, "stars": FULL,
                                   "commended": True}]
    actions = list(db.session.execute(db.select(AuditEntry.action).filter_by(
        object_type="star_review", object_id=str(review["id"])).order_by(AuditEntry.id)).scalars())
    assert actions == ["star_review.self_assess"] + ["star_review.peer_score"] * 3 + [
        "star_review.branch_review", "star_review.approve"]


def test_below_95_is_not_commended(client, world, login):
    review = make_review(world, status="branch_reviewed", scores=GOOD)  # 92
    db.session.commit()
    body = client.post(f"{API}/star-reviews/{review.id}/approve",
                       headers=login("street_secretary"), json={}).get_json()
    assert body["final_total"] == 92 and body["commended"] is False


def test_self_assessment_rules(client, world, login):
    make_review(world, who="volunteer")  # makes the period too
    db.session.commit()
    assert _self(client, login).status_code == 409          # once per period
    assert _self(client, login, who="resident").status_code == 403
    assert _self(client, login, who="applicant").status_code == 403
    unknown = client.post(f"{API}/star-reviews", headers=login("volunteer2"),
                          json={"period": "2031H1", "scores": GOOD})
    assert unknown.status_code == 404


@pytest.mark.parametrize("scores", [
    {**GOOD, "zongzhi": 21}, {**GOOD, "zhifu": -1}, {k: v for k, v in GOOD.items() if k != "wenming"},
    {**GOOD, "extra": 1}, {**GOOD, "zongzhi": 1.5}, {**GOOD, "zongzhi": "满分"}, [],
])
def test_bad_scores_are_422(client, world, login, scores):
    make_review(world, who="volunteer2")
    db.session.commit()
    resp = client.post(f"{API}/star-reviews", headers=login("volunteer"),
                       json={"period": current_period(), "scores": scores})
    assert resp.status_code == 422, resp.get_json()


@pytest.mark.parametrize("period", ["2026H3", "26H1", "", "2026h1", None, 2026])
def test_bad_period_is_422(client, world, login, period):
    resp = client.post(f"{API}/star-reviews", headers=login("volunteer"),
                       json={"period": period, "scores": GOOD})
    assert resp.status_code == 422


def test_peer_separation(client, world, login):
    review = make_review(world, who="volunteer")
    db.session.commit()
    url = f"{API}/star-reviews/{review.id}/peer-scores"
    own = client.post(url, headers=login("volunteer"), json={"scores": GOOD})
    assert own.status_code == 403 and own.get_json()["message"] == "不能给本人的六星评定互评打分"
    for outsider in ("volunteer_b", "resident", "applicant", "secretary"):
        assert client.post(url, headers=login(outsider), json={"scores": GOOD}).status_code == 403
    assert client.post(url, headers=login("volunteer2"), json={"scores": GOOD}).status_code == 201
    again = client.post(url, headers=login("volunteer2"), json={"scores": FULL})
    assert again.status_code == 409
    assert client.get(f"{API}/star-reviews/{review.id}",
                      headers=login("volunteer_b")).status_code == 404


def test_peers_stop_after_the_branch_review(client, world, login):
    review = make_review(world, who="volunteer", status="branch_reviewed")
    db.session.commit()
    resp = client.post(f"{API}/star-reviews/{review.id}/peer-scores",
                       headers=login("volunteer2"), json={"scores": GOOD})
    assert resp.status_code == 409


def test_branch_review_separation(client, world, login):
    early = make_review(world, who="volunteer")
    ready = make_review(world, who="volunteer2", status="peer_reviewed")
    db.session.commit()
    assert client.post(f"{API}/star-reviews/{early.id}/branch-review", headers=login("secretary"),
                       json={"scores": GOOD}).status_code == 409  # peers first
    for who in ("secretary_b", "volunteer", "resident", "admin"):
        assert client.post(f"{API}/star-reviews/{ready.id}/branch-review", headers=login(who),
                           json={"scores": GOOD}).status_code == 403, who
    ok = client.post(f"{API}/star-reviews/{ready.id}/branch-review", headers=login("secretary"),
                     json={"scores": GOOD})
    assert ok.status_code == 200
    assert client.post(f"{API}/star-reviews/{ready.id}/branch-review", headers=login("secretary"),
                       json={"scores": FULL}).status_code == 409


def test_approval_separation(client, world, login):
    early = make_review(world, who="volunteer", status="peer_reviewed")
    ready = make_review(world, who="volunteer2", status="branch_reviewed")
    db.session.commit()
    assert client.post(f"{API}/star-reviews/{early.id}/approve",
                       headers=login("street_secretary"), json={}).status_code == 409
    for who in ("secretary", "secretary_b", "volunteer", "admin"):  # no street grant
        assert client.post(f"{API}/star-reviews/{ready.id}/approve", headers=login(who),
                           json={}).status_code == 403, who
    assert client.post(f"{API}/star-reviews/{ready.id}/approve",
                       headers=login("street_secretary"), json={}).status_code == 200
    assert client.post(f"{API}/star-reviews/{ready.id}/approve",
                       headers=login("street_secretary"), json={}).status_code == 409


def test_results_show_only_approved_masked(client, world, login):
    make_review(world, who="volunteer", status="approved", scores=FULL)
    make_review(world, who="volunteer2", status="branch_reviewed")
    db.session.commit()
    body = client.get(f"{API}/star-periods/{current_period()}/results").get_json()
    assert [r["name"] for r in body] == ["李**"] and body[0]["commended"] is True
    assert client.get(f"{API}/star-periods/2019H1/results").status_code == 404
    assert client.get(f"{API}/star-periods").get_json()[0]["code"] == current_period()


def test_peers_racing_to_score_twice_make_one_row(app, client, world, login):
    review = make_review(world, who="volunteer")
    db.session.commit()
    heads = [login("volunteer2") for _ in range(8)]
    results = race(app, [("POST", f"{API}/star-reviews/{review.id}/peer-scores", h,
                          {"scores": GOOD}) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 7, codes
    db.session.rollback()
    assert db.session.get(StarReview, review.id).peer_count == 1


def test_self_assessing_twice_at_once_makes_one_review(app, client, world, login):
    open_star_period(SYSTEM)
    db.session.commit()
    heads = [login("volunteer") for _ in range(8)]
    body = {"period": current_period(), "scores": GOOD}
    results = race(app, [("POST", f"{API}/star-reviews", h, body) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 7, codes
