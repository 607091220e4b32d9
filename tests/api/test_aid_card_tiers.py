"""Aid cards follow the household's recorded need tier (issue 14): a card of any other tier, or
for a household with no recorded tier, is refused with 409 in the error shape, in Chinese."""
from server.extensions import db
from tests.donation_world import build_donations, consent, soon_year

API = "/api/v1"


def _issue(client, headers, household_id, tier, year):
    return client.post(f"{API}/aid-cards", headers=headers,
                       json={"household_id": household_id, "tier": tier, "year": year})


def test_a_card_is_issued_only_in_the_households_recorded_tier(client, world, login):
    w = build_donations(world)
    household = w.users["resident2"]
    consent(household, "hardship")
    db.session.commit()
    secretary = login("secretary")
    none = _issue(client, secretary, household.id, 1, soon_year())
    body = none.get_json()
    assert none.status_code == 409 and body["status"] == "Conflict"
    assert "未登记困难等级" in body["message"] and body["request_id"]
    for offset, recorded in enumerate((1, 2, 3)):
        year = soon_year() + offset
        db.session.get(type(household), household.id).need_tier = recorded
        db.session.commit()
        for other in {1, 2, 3} - {recorded}:
            refused = _issue(client, secretary, household.id, other, year)
            assert refused.status_code == 409, (recorded, other)
            assert "困难等级" in refused.get_json()["message"]
        made = _issue(client, secretary, household.id, recorded, year)
        assert made.status_code == 201 and made.get_json()["tier"] == recorded
