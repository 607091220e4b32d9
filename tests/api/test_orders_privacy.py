"""A resident's phone and address: to the resident, a secretary of the resident's community and
the provider of an accepted home visit only (audited); masked everywhere else."""
import pytest

from server.audit.models import AuditEntry
from server.extensions import db
from tests.order_world import make_offering, make_order, make_visit

API = "/api/v1"
PHONE, MASKED, ADDRESS = "13811112222", "138****2222", "甲路1号"


def _home_order(world, status):
    offering = make_offering(world, mode="home", title="家电维修上门", category="repair",
                             skills=("appliance_repair",))
    order = make_order(world, offering.slots[0], status=status)
    db.session.commit()
    return order.id


def _get(client, login, who, oid):
    resp = client.get(f"{API}/orders/{oid}", headers=login(who))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _reads():
    return db.session.execute(db.select(AuditEntry).filter_by(action="order.contact_read")
                              ).scalars().all()


def test_provider_of_accepted_home_visit_sees_contact_and_is_audited(client, world, login):
    body = _get(client, login, "volunteer", _home_order(world, "accepted"))
    assert body["resident_phone"] == PHONE and body["resident_name"] == "王秀英"
    assert body["contact"]["phone"] == PHONE and body["contact"]["address"] == ADDRESS
    assert [(r.actor_id, r.object_id) for r in _reads()] == [
        (world.users["volunteer"].id, str(body["id"]))]


@pytest.mark.parametrize("status", ["requested", "done", "rated", "cancelled", "no_show"])
def test_provider_sees_masked_contact_unless_accepted(client, world, login, status):
    extra = {"rating": 4} if status == "rated" else {}
    offering = make_offering(world, mode="home")
    order = make_order(world, offering.slots[0], status=status, **extra)
    db.session.commit()
    body = _get(client, login, "volunteer", order.id)
    assert body["resident_phone"] == MASKED and body["contact"] is None
    assert body["resident_name"] == "王**"
    assert PHONE not in str(body) and ADDRESS not in str(body)
    assert _reads() == []


def test_provider_of_an_accepted_venue_order_sees_masked_contact(client, world, login):
    order = make_order(world, make_offering(world, mode="venue").slots[0], status="accepted")
    db.session.commit()
    body = _get(client, login, "volunteer", order.id)
    assert body["resident_phone"] == MASKED and body["contact"] is None


def test_resident_sees_own_contact_without_audit(client, world, login):
    body = _get(client, login, "resident", _home_order(world, "requested"))
    assert body["contact"]["phone"] == PHONE and _reads() == []


def test_secretary_of_the_residents_community_sees_contact_audited(client, world, login):
    oid = _home_order(world, "requested")
    assert _get(client, login, "secretary", oid)["contact"]["address"] == ADDRESS
    assert len(_reads()) == 1


def test_secretary_of_the_organising_community_only_sees_masked(client, world, login):
    # volunteer_b's service is organised in community B; the resident lives in community A.
    offering = make_offering(world, provider="volunteer_b", mode="home")
    order = make_order(world, offering.slots[0])
    db.session.commit()
    body = _get(client, login, "secretary_b", order.id)
    assert body["resident_phone"] == MASKED and body["contact"] is None


def test_lists_never_show_contact(client, world, login):
    oid = _home_order(world, "accepted")
    make_visit(world)
    db.session.commit()
    rows = (client.get(f"{API}/orders/mine", headers=login("volunteer")).get_json()
            + client.get(f"{API}/orders", headers=login("secretary")).get_json())
    assert oid in [r["id"] for r in rows]
    for row in rows:
        assert row["contact"] is None and row["resident_phone"] == MASKED
        assert PHONE not in str(row) and ADDRESS not in str(row)


def test_strangers_cannot_see_the_order_at_all(client, world, login):
    oid = _home_order(world, "accepted")
    for who in ("resident2", "volunteer2", "secretary_b", "applicant"):
        assert client.get(f"{API}/orders/{oid}", headers=login(who)).status_code == 404


def test_menu_shows_masked_provider_names_and_no_personal_data(client, world):
    make_offering(world, mode="home")
    db.session.commit()
    listed = client.get(f"{API}/services").get_json()
    assert listed[0]["provider_name"] == "李**"
    assert "13812345678" not in str(listed)
