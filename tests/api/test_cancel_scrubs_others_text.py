"""注销 takes the household's name, phone and address out of the free text others wrote about it
(issue 16): pairing visit logs, duty logs and projects of its community, its cases' revisits —
in the cancellation's own transaction; the rows, dates and hours stay."""
from server.care.models import Revisit
from server.extensions import db
from server.pairings.models import PairingVisit
from server.posts.models import PostLog
from server.privacy_lifecycle.others_text import NEUTRAL, SCRUB_STEPS
from server.projects.models import Project, ProjectUpdate
from tests.care_world import add_member, make_case
from tests.service_system_b_world import make_project
from tests.service_system_world import make_log, make_pairing, make_post

API = "/api/v1"
NAME, PHONE, ADDRESS = "王秀英", "13811112222", "甲路1号"  # tests/factories.py's "resident"


def _write_about_her(world):
    pairing = make_pairing(world, household="resident")
    visit = PairingVisit(pairing_id=pairing.id, volunteer_id=pairing.volunteer_id,
                         note=f"看望{NAME}，{NAME}腿脚不便，电话{PHONE}，住{ADDRESS}")
    post = make_post(world, holders=("volunteer",))
    log = make_log(world, post)
    log.note = f"入户给{NAME}讲解医保政策"
    post_b = make_post(world, community=world.communities[1], holders=("volunteer_b",))
    log_b = make_log(world, post_b, holder="volunteer_b")
    log_b.note = f"乙社区也有一位{NAME}"  # another community: another person of the same name
    project = make_project(world, title=f"帮{NAME}修屋顶")
    project.description = "x" * 997 + NAME
    update = ProjectUpdate(project_id=project.id, author_id=world.users["secretary"].id,
                           note=f"{NAME}家屋顶已修好")
    db.session.add_all([visit, update])
    db.session.commit()
    return {"visit": visit.id, "log": log.id, "log_b": log_b.id, "project": project.id,
            "update": update.id}


def test_cancelling_scrubs_her_name_from_what_others_wrote(client, world, login):
    ids = _write_about_her(world)
    me = login("resident")
    assert client.post(f"{API}/me/cancel", headers=me, json={"confirm": True}).status_code == 200
    db.session.expire_all()
    visit = db.session.get(PairingVisit, ids["visit"]).note
    assert NAME not in visit and PHONE not in visit and ADDRESS not in visit
    assert visit.startswith(f"看望{NEUTRAL}，{NEUTRAL}腿脚不便")
    assert db.session.get(PostLog, ids["log"]).note == f"入户给{NEUTRAL}讲解医保政策"
    assert db.session.get(PostLog, ids["log_b"]).note == f"乙社区也有一位{NAME}"
    project = db.session.get(Project, ids["project"])
    assert project.title == f"帮{NEUTRAL}修屋顶" and NAME not in project.description
    assert len(project.description) <= 1000
    assert db.session.get(ProjectUpdate, ids["update"]).note == f"{NEUTRAL}家屋顶已修好"


def test_every_free_text_about_a_household_has_a_step():
    covered = {(step.model, column) for step in SCRUB_STEPS for column in step.columns}
    for place in ((PairingVisit, "note"), (PostLog, "note"), (Revisit, "note"),
                  (ProjectUpdate, "note"), (Project, "description")):
        assert place in covered


def test_a_contact_persons_revisits_of_her_case_lose_her_name(client, world, login):
    add_member(world, "member", world.communities[0], world.units[0], name="钱多")
    case = make_case(world, "member")
    revisit = Revisit(case_id=case.id, author_id=world.users["secretary"].id, method="visit",
                      note="回访钱多：老伴已出院")
    db.session.add(revisit)
    log = make_log(world, make_post(world, holders=("volunteer",)))
    log.note = "x" * 498 + "钱多"  # 500, the column's length: the longer word must not overflow
    db.session.commit()
    resp = client.post(f"{API}/me/cancel", headers=login("member"), json={"confirm": True})
    assert resp.status_code == 200, resp.get_json()
    db.session.expire_all()
    assert db.session.get(Revisit, revisit.id).note == f"回访{NEUTRAL}：老伴已出院"
    assert db.session.get(PostLog, log.id).note == "x" * 498 + NEUTRAL[:2]
