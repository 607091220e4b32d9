"""结对 end to end: a secretary pairs a volunteer with a household (nobody on both sides); visits
move the due date; end; reminders once per due date; the overdue count; scope; bad input."""
from datetime import timedelta

import pytest

from server.extensions import db
from server.identity.actor import SYSTEM
from server.notifications.models import OutboxMessage
from server.pairings.models import Pairing
from server.pairings.queries import overdue_visits
from server.pairings.services import remind_due_visits
from server.timeutil import utcnow
from tests.service_system_world import make_household, make_pairing

API = "/api/v1"


def _body(world, volunteer="volunteer", household="resident", **extra):
    return {"volunteer_id": world.volunteers[volunteer].id,
            "household_id": world.users[household].id, "kind": "one_to_one",
            "visit_every_days": 14, **extra}


def test_pair_visit_end(client, world, login):
    sec, vol = login("secretary"), login("volunteer")
    made = client.post(f"{API}/pairings", headers=sec, json=_body(world))
    assert made.status_code == 201, made.get_json()
    pairing = made.get_json()
    assert pairing["status"] == "active" and pairing["overdue"] is False
    assert pairing["household_name"] == "王**"  # masked
    again = client.post(f"{API}/pairings", headers=sec, json=_body(world))
    assert again.status_code == 409
    pid = pairing["id"]
    for who, code in (("volunteer2", 404), ("resident", 404), ("secretary", 403)):
        resp = client.post(f"{API}/pairings/{pid}/visits", headers=login(who), json={"note": "走访"})
        assert resp.status_code in (code, 403), (who, resp.get_json())
    visit = client.post(f"{API}/pairings/{pid}/visits", headers=vol, json={"note": "陪老人聊天"})
    assert visit.status_code == 201 and visit.get_json()["was_overdue"] is False
    shown = client.get(f"{API}/pairings/{pid}", headers=vol).get_json()
    assert shown["visits"] == 1 and shown["last_visit_at"] is not None
    mine = client.get(f"{API}/pairings", headers=vol).get_json()
    assert [p["id"] for p in mine] == [pid]
    ended = client.post(f"{API}/pairings/{pid}/end", headers=sec, json={"reason": "搬家"})
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"
    assert client.post(f"{API}/pairings/{pid}/end", headers=vol, json={}).status_code == 409
    late = client.post(f"{API}/pairings/{pid}/visits", headers=vol, json={"note": "再访"})
    assert late.status_code == 409


def test_the_volunteer_may_end_their_own_pairing(client, world, login):
    pairing = make_pairing(world)
    db.session.commit()
    assert client.post(f"{API}/pairings/{pairing.id}/end", headers=login("volunteer2"),
                       json={}).status_code == 404
    resp = client.post(f"{API}/pairings/{pairing.id}/end", headers=login("volunteer"), json={})
    assert resp.status_code == 200 and resp.get_json()["status"] == "ended"


def test_nobody_on_both_sides(client, world, login):
    volunteer_user = world.users["volunteer"]
    volunteer_user.need_tier = 2
    db.session.commit()
    own = client.post(f"{API}/pairings", headers=login("secretary"),
                      json=_body(world, household="volunteer"))
    assert own.status_code == 403 and own.get_json()["message"] == "志愿者不能与本人的家庭结对"


def test_overdue_count_and_reminders_once_per_due_date(client, world, login):
    make_household(world)
    make_pairing(world, household="resident", days_overdue=3)
    make_pairing(world, volunteer="volunteer2", household="household", every=30)
    make_pairing(world, volunteer="volunteer_b", household="resident_b", days_overdue=1)
    db.session.commit()
    from server.identity.services import load_actor
    secretary = load_actor(world.users["secretary"].id)
    assert overdue_visits(secretary)["overdue"] == 1
    street = load_actor(world.users["street_secretary"].id)
    assert overdue_visits(street)["overdue"] == 2
    resp = client.get(f"{API}/pairings/overdue", headers=login("secretary"))
    assert resp.get_json() == {"overdue": 1, "communities": [
        {"community_id": world.communities[0].id, "overdue": 1}]}
    listed = client.get(f"{API}/pairings?overdue=true", headers=login("secretary")).get_json()
    assert len(listed) == 1 and listed[0]["overdue"] is True
    assert remind_due_visits(SYSTEM)["reminded"] == 2
    assert remind_due_visits(SYSTEM)["reminded"] == 0  # once per due date
    db.session.commit()
    kinds = db.session.execute(db.select(OutboxMessage.kind)).scalars().all()
    assert kinds.count("pairing_visit_due") == 2
    later = remind_due_visits(SYSTEM, now=utcnow() + timedelta(days=30))
    assert later["reminded"] == 1  # the 30-day pairing falls due later, reminded then


def test_a_visit_after_the_due_date_is_marked_overdue(client, world, login):
    pairing = make_pairing(world, days_overdue=2)
    db.session.commit()
    resp = client.post(f"{API}/pairings/{pairing.id}/visits", headers=login("volunteer"),
                       json={"note": "迟到的走访"})
    assert resp.get_json()["was_overdue"] is True
    db.session.rollback()
    assert not db.session.get(Pairing, pairing.id).is_overdue(utcnow())


def test_scope(client, world, login):
    out = client.post(f"{API}/pairings", headers=login("secretary"),
                      json=_body(world, household="resident_b"))
    assert out.status_code == 404
    vol_b = client.post(f"{API}/pairings", headers=login("secretary"),
                        json=_body(world, volunteer="volunteer_b"))
    assert vol_b.status_code == 404
    assert client.post(f"{API}/pairings", headers=login("volunteer"),
                       json=_body(world)).status_code == 403
    pairing = make_pairing(world)
    db.session.commit()
    assert client.get(f"{API}/pairings/{pairing.id}", headers=login("secretary_b")).status_code == 404
    assert client.get(f"{API}/pairings?community_id={world.communities[1].id}",
                      headers=login("secretary")).status_code == 404
    assert client.get(f"{API}/pairings", headers=login("resident")).status_code == 404


@pytest.mark.parametrize("patch", [{"kind": "x"}, {"visit_every_days": 0},
                                   {"visit_every_days": 10**9}, {"household_id": 2**40},
                                   {"volunteer_id": -1}, {"household_id": 999999}])
def test_bad_pairing_input_is_4xx(client, world, login, patch):
    resp = client.post(f"{API}/pairings", headers=login("secretary"), json={**_body(world), **patch})
    assert 400 <= resp.status_code < 500, resp.get_json()


def test_leaving_ends_the_volunteers_pairings(client, world, login):
    pairing = make_pairing(world)
    db.session.commit()
    left = client.post(f"{API}/volunteers/me/leave", headers=login("volunteer"), json={})
    assert left.status_code == 200, left.get_json()
    db.session.rollback()
    ended = db.session.get(Pairing, pairing.id)
    assert ended.status == "ended" and ended.end_reason.startswith("志愿者已退出")
    resp = client.post(f"{API}/pairings/{pairing.id}/visits", headers=login("volunteer"),
                       json={"note": "还想走访"})
    assert resp.status_code == 403
    assert remind_due_visits(SYSTEM, now=utcnow() + timedelta(days=60))["reminded"] == 0


def test_two_secretaries_pair_the_same_two_at_once_once(app, client, world, login):
    from tests.concurrency import race
    heads = [login("secretary"), login("street_secretary"), login("secretary")]
    results = race(app, [("POST", f"{API}/pairings", h, _body(world)) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 2, codes
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(Pairing)).scalar_one() == 1


def test_two_accepts_of_one_proposal_make_one_pairing(app, client, world, login):
    from tests.concurrency import race
    from tests.service_system_world import make_pairing_run
    _, proposal = make_pairing_run(world)
    db.session.commit()
    heads = [login("secretary"), login("street_secretary")]
    path = f"{API}/pairings/proposals/{proposal.id}/accept"
    codes = sorted(code for code, _ in race(app, [("POST", path, h, None) for h in heads]))
    assert codes == [200, 409], codes
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(Pairing)).scalar_one() == 1


def test_pairings_export_is_scoped_masked_and_audited(client, world, login):
    from server.audit.models import AuditEntry
    from server.excel import read_sheet
    make_pairing(world, days_overdue=2)
    make_pairing(world, volunteer="volunteer_b", household="resident_b")
    db.session.commit()
    resp = client.get(f"{API}/pairings.xlsx", headers=login("secretary"))
    assert resp.status_code == 200
    title, headers, rows = read_sheet(resp.data, "结对台账")
    assert headers[3] == "结对户" and rows[0][3] == "王**"
    assert rows[0][0] != rows[1][0] and rows[1][0] == "合计" and rows[1][-1] == 1  # A only
    assert client.get(f"{API}/pairings.xlsx?community_id={world.communities[1].id}",
                      headers=login("secretary")).status_code == 404
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "pairing.export")).scalar_one() == 1


def test_household_contact_only_to_the_active_volunteer_and_the_secretary(client, world, login):
    from server.audit.models import AuditEntry
    pairing = make_pairing(world)
    db.session.commit()
    path = f"{API}/pairings/{pairing.id}"
    seen = client.get(path, headers=login("volunteer")).get_json()["household_contact"]
    assert seen == {"name": "王秀英", "phone": "13811112222", "address": "甲路1号"}
    assert client.get(path, headers=login("secretary")).get_json()["household_contact"]
    client.post(f"{path}/end", headers=login("secretary"), json={})
    assert client.get(path, headers=login("volunteer")).get_json()["household_contact"] is None
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "pairing.contact_read")).scalar_one() == 2


def test_a_leaver_sees_no_contact(client, world, login):
    pairing = make_pairing(world)
    db.session.commit()
    vol = login("volunteer")
    client.post(f"{API}/volunteers/me/leave", headers=vol, json={})
    resp = client.get(f"{API}/pairings/{pairing.id}", headers=login("volunteer"))
    assert resp.status_code == 404 or resp.get_json()["household_contact"] is None


def test_a_household_that_cancels_its_account_ends_its_pairings(client, world, login):
    pairing = make_pairing(world)
    db.session.commit()
    resp = client.post(f"{API}/me/cancel", headers=login("resident"), json={"confirm": True})
    assert resp.status_code == 200, resp.get_json()
    db.session.rollback()
    assert db.session.get(Pairing, pairing.id).status == "ended"


def test_my_export_holds_my_posts_logs_pairings_and_visits(client, world, login):
    from tests.service_system_world import make_log, make_post
    post = make_post(world, holders=("volunteer",))
    make_log(world, post)
    pairing = make_pairing(world)
    db.session.commit()
    client.post(f"{API}/pairings/{pairing.id}/visits", headers=login("volunteer"),
                json={"note": "陪老人聊天"})
    mine = client.get(f"{API}/me/export", headers=login("volunteer")).get_json()
    assert len(mine["posts_held"]) == 1 and len(mine["duty_logs"]) == 1
    assert [p["id"] for p in mine["pairings"]] == [pairing.id]
    assert mine["pairing_visits"][0]["note"] == "陪老人聊天"
    household = client.get(f"{API}/me/export", headers=login("resident")).get_json()
    assert [p["id"] for p in household["pairings"]] == [pairing.id]
    assert household["pairing_visits"] == [] and "volunteer_id" not in household["pairings"][0]
