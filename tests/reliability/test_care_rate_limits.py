"""A member's care applications and objections are rate-limited per user (RATELIMIT_POST)."""
from tests.care_world import CASE_BODY, build_care
from tests.reliability.test_rate_limits import _assert_429_shape, _login, limited  # noqa: F401


def test_applications_are_limited_per_member(limited, world):  # noqa: F811
    build_care(world)
    token = _login(limited, "member2").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {**CASE_BODY, "applicant_id": world.users["member2"].id}
    codes = [limited.post("/api/v1/cases", headers=headers, json=body).status_code
             for _ in range(2)]
    assert codes == [201, 201]
    _assert_429_shape(limited.post("/api/v1/cases", headers=headers, json=body), window=3600)
