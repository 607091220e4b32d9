"""Builders for the volunteer service system (issue 16a): posts, holders, households, pairings
(real rows, like tests/factories.py)."""
from datetime import timedelta

from server.extensions import db
from server.pairings.models import Pairing, PairingProposal, PairingRun
from server.posts.models import Post, PostHolder, PostLog
from server.timeutil import utcnow
from tests.factories import make_user, make_volunteer


def make_post(world, community=None, seats=2, name="政策宣传岗", holders=()):
    community = community or world.communities[0]
    post = Post(name=name, community_id=community.id, duties="宣传政策、收集民意", seats=seats,
                held=0, created_by=world.users["secretary"].id)
    db.session.add(post)
    db.session.flush()
    for key in holders:
        db.session.add(PostHolder(post_id=post.id, volunteer_id=world.volunteers[key].id,
                                  status="active"))
        post.held += 1
    db.session.flush()
    return post


def make_log(world, post, holder="volunteer", status="reported", minutes=90):
    holder_row = next(h for h in post.holders if h.volunteer_id == world.volunteers[holder].id)
    log = PostLog(post_id=post.id, holder_id=holder_row.id, volunteer_id=holder_row.volunteer_id,
                  note="入户宣传垃圾分类", minutes=minutes, status=status)
    db.session.add(log)
    db.session.flush()
    return log


def make_household(world, key="household", community=None, need_tier=2, **extra):
    community = community or world.communities[0]
    if key not in world.users:
        world.users[key] = make_user(key, community, "周大爷", "13600001111", "甲路8号",
                                     need_tier=need_tier, **extra)
    return world.users[key]


def make_pairing(world, volunteer="volunteer", household="resident", days_overdue=None,
                 every=14, status="active"):
    now = utcnow()
    due = now - timedelta(days=days_overdue) if days_overdue is not None else now + timedelta(days=every)
    user = world.users[household]
    pairing = Pairing(volunteer_id=world.volunteers[volunteer].id, household_id=user.id,
                      community_id=user.community_id, kind="one_to_one", visit_every_days=every,
                      status=status, created_by=world.users["secretary"].id,
                      next_visit_due=due, ended_at=now if status == "ended" else None)
    db.session.add(pairing)
    db.session.flush()
    return pairing


def make_pairing_run(world, volunteer="volunteer2", household="household"):
    make_household(world, household)
    run = PairingRun(community_id=world.communities[0].id, started_by=world.users["secretary"].id,
                     kind="one_to_one", visit_every_days=30, status="done",
                     stats={"households": 1, "volunteers": 1, "paired": 1}, unmatched=[])
    db.session.add(run)
    db.session.flush()
    proposal = PairingProposal(run_id=run.id, community_id=run.community_id,
                               volunteer_id=world.volunteers[volunteer].id,
                               household_id=world.users[household].id, distance_m=300, score=300,
                               reasons=["相距约 0.3 公里", "已结对 0 户，本次后 1 户"])
    db.session.add(proposal)
    db.session.flush()
    return run, proposal


def add_volunteer(world, key, community=None, skills=("appliance_repair",)):
    community = community or world.communities[0]
    world.users[key] = make_user(key, community, "吴志愿")
    world.volunteers[key] = make_volunteer(world.users[key], community, skills=skills)
    return world.volunteers[key]


def service_system_placeholders(world, template: str) -> dict:
    """Path values for the role matrix (issue 16a); the data is made and committed once."""
    if not hasattr(world, "service_ids"):
        post = make_post(world, seats=3, holders=("volunteer",))
        log = make_log(world, post)
        pairing = make_pairing(world)
        run, proposal = make_pairing_run(world)
        db.session.commit()
        world.service_ids = {"post_id": post.id, "holder_id": post.holders[0].id,
                             "log_id": log.id, "pairing_id": pairing.id}
        world.pairing_run_ids = {"run_id": run.id, "proposal_id": proposal.id}
    values = dict(world.service_ids)
    if template.startswith("/pairings/"):
        values.update(world.pairing_run_ids)
    return values
