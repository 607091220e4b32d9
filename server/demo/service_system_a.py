"""Demo data of the volunteer service system (issue 16a): posts held in the home community with
duty logs (confirmed, with points, and waiting), pairings with visits on time and overdue, an
ended pairing, and one pairing proposal run of the engine waiting for review."""
from datetime import timedelta

from ..config import settings
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Consent, User
from ..pairings.models import PairingKind, PairingVisit
from ..pairings.proposals import propose_pairings
from ..pairings.services import create_pairing, end_pairing
from ..posts.models import LogStatus, PostLog
from ..posts.services import appoint_holder, create_post, decide_log
from ..timeutil import utcnow
from ..volunteers.models import Volunteer, VolunteerStatus

POSTS = [("政策宣传岗", "宣传惠民政策，入户讲解医保、养老政策", 3),
         ("矛盾调解岗", "调解邻里纠纷，协助社区人民调解委员会", 2),
         ("平安巡逻岗", "夜间巡逻、消防隐患排查", 4)]
NOTES = ["入户讲解城乡居民医保缴费", "调解楼上漏水引发的邻里纠纷", "夜间巡逻，排查楼道堆物",
         "协助社区开展反诈宣传", "走访独居老人，检查燃气安全"]


def _active_volunteers(community_id: int) -> list[Volunteer]:
    return list(db.session.execute(db.select(Volunteer).where(
        Volunteer.community_id == community_id, Volunteer.status == VolunteerStatus.ACTIVE)
        .order_by(Volunteer.id)).scalars())


def _households(rng, community_id: int, want: int) -> list[User]:
    """Residents of the community with a need tier (and its consent); a few more are given one,
    with the consent recorded, so the demo has households to pair."""
    volunteers = db.select(Volunteer.user_id)
    residents = list(db.session.execute(db.select(User).where(
        User.community_id == community_id, User.openid.like("demo-res-%"),
        User.id.not_in(volunteers)).order_by(User.id)).scalars())
    for user in residents:
        if user.need_tier is None and sum(u.need_tier is not None for u in residents) < want:
            user.need_tier = rng.choice([1, 2, 3])
            db.session.add(Consent(user_id=user.id, purpose="hardship",
                                   policy_version=settings().policy_version))
    db.session.flush()
    return [u for u in residents if u.need_tier is not None]


def _posts(rng, community_id: int, volunteers: list[Volunteer], now) -> int:
    logs = 0
    pool = [v for v in volunteers if v.user.openid != "demo-volunteer"]
    for index, (name, duties, seats) in enumerate(POSTS):
        post = create_post(SYSTEM, {"name": name, "community_id": community_id, "duties": duties,
                                    "seats": seats}, now=now - timedelta(days=60))
        holders = ([volunteers[0]] if index == 0 else []) + pool[index * 2:index * 2 + 2]
        for volunteer in holders:
            holder = appoint_holder(SYSTEM, post.id, volunteer.id, now=now - timedelta(days=50))
            for k in range(2):
                log = PostLog(post_id=post.id, holder_id=holder.id, volunteer_id=volunteer.id,
                              note=rng.choice(NOTES), minutes=rng.choice([60, 90, 120]),
                              status=LogStatus.REPORTED, created_at=now - timedelta(days=20 - k * 9))
                db.session.add(log)
                db.session.flush()
                if k == 0:
                    decide_log(SYSTEM, post.id, log.id, True, now=now - timedelta(days=19))
                logs += 1
    return logs


def _pairings(rng, volunteers, households, now) -> tuple[int, int]:
    """Half the households paired: visits on time, overdue, one ended; the rest left unpaired."""
    made, overdue = 0, 0
    for i, household in enumerate(households[: len(households) // 2]):
        volunteer = volunteers[i % len(volunteers)]
        if volunteer.user_id == household.id:
            continue
        start = now - timedelta(days=90)
        pairing = create_pairing(SYSTEM, {
            "volunteer_id": volunteer.id, "household_id": household.id,
            "kind": rng.choice(list(PairingKind)), "visit_every_days": 14}, now=start)
        last = start
        late = i % 3 == 1  # every third pairing's visits have lapsed
        for day in (14, 27, 41) if late else (13, 27, 40, 54, 67, 80):
            visited = start + timedelta(days=day)
            db.session.add(PairingVisit(pairing_id=pairing.id, volunteer_id=volunteer.id,
                                        note=rng.choice(NOTES[3:]), visited_at=visited,
                                        was_overdue=visited > last + timedelta(days=14)))
            last = visited
        pairing.last_visit_at, pairing.next_visit_due = last, last + timedelta(days=14)
        overdue += pairing.next_visit_due < now
        if i == 2:
            end_pairing(SYSTEM, pairing.id, "住户搬离本社区", now=now - timedelta(days=3))
        made += 1
    db.session.flush()
    return made, overdue


def load_demo_service_system_a(rng, communities) -> str:
    home = communities[0]
    now = utcnow()
    volunteers = _active_volunteers(home.id)
    households = _households(rng, home.id, 10)
    logs = _posts(rng, home.id, volunteers, now)
    made, overdue = _pairings(rng, volunteers, households, now)
    run = propose_pairings(SYSTEM, home.id, PairingKind.ONE_TO_ONE, 30, now=now)
    return (f"service system: {len(POSTS)} posts with {logs} duty logs, {made} pairings "
            f"({overdue} overdue), a pairing proposal run with {len(run.proposals)} proposals")
