"""Both-sides scenarios of the care casework (tests/api/test_both_sides.py): the person a step
is about holds the role that takes it, and is refused by server/policy/parties.py."""
from server.extensions import db
from tests.care_world import add_member, build_care, grant, make_case

API = "/api/v1"


def _as_member(world, key):
    """Make the staff user `key` also a party member of unit 1 (the applicant's side)."""
    care = build_care(world)
    if key + "_member" not in care:
        volunteer_key = key
        from tests.factories import make_volunteer
        world.volunteers[volunteer_key] = make_volunteer(world.users[key], world.communities[0],
                                                         unit_id=world.units[0].id)
        care[key + "_member"] = True
        db.session.commit()
    return care


def verify_own_case(client, world, login):
    _as_member(world, "unit_secretary")
    case = make_case(world, applicant="unit_secretary", to="applied")
    db.session.commit()
    return client.post(f"{API}/cases/{case.id}/verify", headers=login("unit_secretary"),
                       json={"findings": "属实", "recommendation": "帮扶"})


def publish_own_case(client, world, login):
    _as_member(world, "unit_secretary")
    case = make_case(world, applicant="unit_secretary", to="verified")
    db.session.commit()
    return client.post(f"{API}/cases/{case.id}/publish", headers=login("unit_secretary"),
                       json={"days": 5})


def object_to_own_case(client, world, login):
    care = build_care(world)
    return client.post(f"{API}/cases/{care['publicised'].id}/objections",
                       headers=login("member"), json={"text": "我对自己的公示有异议"})


def resolve_own_objection(client, world, login):
    care = _as_member(world, "leading_group")
    headers = login("leading_group")
    made = client.post(f"{API}/cases/{care['publicised'].id}/objections", headers=headers,
                       json={"text": "情况与事实不符"})
    return client.post(f"{API}/cases/{care['publicised'].id}/objections/"
                       f"{made.get_json()['id']}/resolve", headers=headers,
                       json={"decision": "upheld", "resolution": "成立"})


def _own_closed_case(world):
    _as_member(world, "leading_group")
    case = make_case(world, applicant="leading_group", to="window_closed")
    db.session.commit()
    return case


def approve_own_case(client, world, login):
    case = _own_closed_case(world)
    return client.post(f"{API}/cases/{case.id}/approve", headers=login("leading_group"), json={
        "aid_type": "one_off", "amount_fen": 100000, "contact_person_id": world.users["contact"].id})


def reject_own_case(client, world, login):
    case = _own_closed_case(world)
    return client.post(f"{API}/cases/{case.id}/reject", headers=login("leading_group"),
                       json={"reason": "不符合"})


def approve_batch_one_made(client, world, login):
    build_care(world)
    grant(world, "fund_officer", "leading_group", district_id=world.district.id)
    db.session.commit()
    headers = login("fund_officer")
    made = client.post(f"{API}/fund/batches", headers=headers,
                       json={"name": "自编自批", "pay_by": "2099-12-31"})
    return client.post(f"{API}/fund/batches/{made.get_json()['id']}/approve", headers=headers)


def pay_batch_one_approved(client, world, login):
    care = build_care(world)
    grant(world, "leading_group", "fund_officer", district_id=world.district.id)
    db.session.commit()
    headers = login("leading_group")
    client.post(f"{API}/fund/batches/{care['draft'].id}/approve", headers=headers)
    return client.post(f"{API}/fund/batches/{care['draft'].id}/pay", headers=headers)


__all__ = ["add_member"]
