"""The care pages through the test client (issue 15): each role's queue, the case file's scope
and audit, actions through the same services (both sides refused), the batch screen, charts."""
from server.audit.models import AuditEntry
from server.care.models import Batch, BatchStatus, Case, CaseStatus
from server.extensions import db
from tests.care_world import build_care, make_case
from tests.factories import make_volunteer


def test_each_role_sees_its_queue_and_the_case_file_in_scope(console, world):
    care = build_care(world)
    group = console("leading_group")
    page = group.get("/console/care/cases?tab=decide").get_data(as_text=True)
    assert f'data-case="{care["publicised"].id}"' in page
    assert f'data-case="{care["applied"].id}"' not in page
    unit = console("unit_secretary")
    page = unit.get("/console/care/cases?tab=unit").get_data(as_text=True)
    assert f'data-case="{care["applied"].id}"' in page
    other = console("unit_secretary_b")
    assert other.get(f"/console/care/cases/{care['applied'].id}").status_code == 404
    assert f'data-case="{care["applied"].id}"' not in other.get(
        "/console/care/cases").get_data(as_text=True)
    before = db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "care_case_read")).scalar_one()
    assert unit.get(f"/console/care/cases/{care['applied'].id}").status_code == 200
    after = db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "care_case_read")).scalar_one()
    assert after == before + 1


def test_actions_go_through_the_services(console, world):
    care = build_care(world)
    unit = console("unit_secretary")
    case_id = care["applied"].id
    resp = unit.post(f"/console/care/cases/{case_id}/verify",
                     {"findings": "属实", "recommendation": "帮扶"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == CaseStatus.VERIFIED
    resp = unit.post(f"/console/care/cases/{case_id}/publish", {"days": "3"})
    assert resp.status_code == 422
    # both sides: the unit secretary cannot verify their own application
    world.volunteers["unit_secretary"] = make_volunteer(world.users["unit_secretary"],
                                                        world.communities[0],
                                                        unit_id=world.units[0].id)
    own = make_case(world, applicant="unit_secretary", to="applied")
    db.session.commit()
    resp = unit.post(f"/console/care/cases/{own.id}/verify",
                     {"findings": "属实", "recommendation": "帮扶"})
    assert resp.status_code == 403 and "本人" in resp.get_data(as_text=True)


def test_batch_screen_and_fund_charts(console, world):
    care = build_care(world)
    officer = console("fund_officer")
    page = officer.get("/console/care/batches").get_data(as_text=True)
    assert f'data-batch="{care["approved"].id}"' in page
    resp = officer.post(f"/console/care/batches/{care['approved'].id}/pay")
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Batch, care["approved"].id).status == BatchStatus.PAID
    assert officer.post(f"/console/care/batches/{care['approved'].id}/pay").status_code == 409
    page = officer.get("/console/care/fund").get_data(as_text=True)
    assert "账目平衡" in page and "<progress" in page and 'data-account="fund_cash"' in page
    assert console("leading_group").get("/console/care/fund").status_code == 403


def test_the_fund_officer_opens_a_case_file_without_its_story(console, world):
    care = build_care(world)
    page = console("fund_officer").get(f"/console/care/cases/{care['active'].id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert care["active"].hardship not in text and "仅对经办人员可见" in text
