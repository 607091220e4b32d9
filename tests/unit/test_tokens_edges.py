"""issue 10, finding 9: only tokens exactly like the ones we issue are honoured.

Unit tests of server.identity.tokens, and the same edges through GET /me (a 40-digit `sub` was a
500 there)."""
from datetime import timedelta

import jwt
import pytest

from server.errors import Unauthorized
from server.identity.tokens import ALGORITHM, ISSUER, issue_token, user_id_from_token
from server.timeutil import utcnow
from tests.conftest import TEST_SECRET

TTL = 7200


def _token(sub="1", *, iat_s=0, ttl_s=600, **extra):
    now = utcnow() + timedelta(seconds=iat_s)
    claims = {"sub": sub, "iat": now, "exp": now + timedelta(seconds=ttl_s), "iss": ISSUER,
              "typ": "access", **extra}
    return jwt.encode(claims, TEST_SECRET, algorithm=ALGORITHM)


@pytest.mark.parametrize("sub", [
    "1" * 40,              # validly signed, far beyond any id: was a 500 (int overflow in the DB)
    "2147483648",          # one past the largest id
    "\u0661\u0662",        # Arabic-Indic "12": str.isdigit() said yes
    "\uff11",              # full-width 1
    "0", "007", "+5", "-5", " 5", "5 ", "5\n", "", "1e3", "0x10",
])
def test_non_canonical_subjects_are_refused(sub):
    with pytest.raises(Unauthorized):
        user_id_from_token(_token(sub), TEST_SECRET, max_ttl_s=TTL)


@pytest.mark.parametrize("sub", [5, 5.0, None, ["5"], True])
def test_subjects_that_are_not_strings_are_refused(sub):
    with pytest.raises(Unauthorized):
        user_id_from_token(_token(sub), TEST_SECRET, max_ttl_s=TTL)


def test_canonical_ids_are_accepted():
    assert user_id_from_token(_token("1"), TEST_SECRET, max_ttl_s=TTL) == 1
    assert user_id_from_token(_token("2147483647"), TEST_SECRET, max_ttl_s=TTL) == 2**31 - 1
    assert user_id_from_token(issue_token(42, TEST_SECRET, TTL), TEST_SECRET, max_ttl_s=TTL) == 42


def test_a_lifetime_longer_than_the_configured_one_is_refused():
    ten_years = _token("1", ttl_s=10 * 365 * 86400)
    with pytest.raises(Unauthorized):
        user_id_from_token(ten_years, TEST_SECRET, max_ttl_s=TTL)
    with pytest.raises(Unauthorized):
        user_id_from_token(_token("1", ttl_s=TTL + 1), TEST_SECRET, max_ttl_s=TTL)
    assert user_id_from_token(_token("1", ttl_s=TTL), TEST_SECRET, max_ttl_s=TTL) == 1


def test_a_little_clock_skew_is_tolerated_but_not_a_future_token():
    # issued by a host whose clock runs a second (or 20 s) ahead: accepted
    for skew in (1, 20):
        assert user_id_from_token(_token("1", iat_s=skew), TEST_SECRET, max_ttl_s=TTL) == 1
    with pytest.raises(Unauthorized):  # an hour ahead is no clock skew
        user_id_from_token(_token("1", iat_s=3600), TEST_SECRET, max_ttl_s=TTL)


def test_other_token_types_are_refused():
    with pytest.raises(Unauthorized):
        user_id_from_token(_token("1", typ="refresh"), TEST_SECRET, max_ttl_s=TTL)


@pytest.mark.parametrize("token", [
    _token("1" * 40), _token("\u0661"), _token("1", ttl_s=10 * 365 * 86400)])
def test_through_the_api_edges_are_401_in_the_error_shape(client, world, token):
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401, resp.get_json()
    assert set(resp.get_json()) == {"code", "status", "message", "errors", "request_id"}


def test_through_the_api_a_token_a_second_in_the_future_works(client, world):
    token = _token(str(world.users["resident"].id), iat_s=1)
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.get_json()
