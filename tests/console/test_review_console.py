"""Review probes (hostile users against the console): every route of the url_map without its CSRF
token, with bad values, after the role ends; cache and cookie flags; scope and both sides on the
ids a form or a query string carries."""
import re

import pytest

from server.extensions import db

BAD_VALUES = ["", "0", "-1", "x", "1e9", "99999999999999999999", "%00", "\x00", "1.5", "[]",
              "' OR 1=1 --", "２", "1,2", "nan", "2026-13-45", "9999-12-31", "0001-01-01"]
QUERY_KEYS = ["scope", "id", "from", "to", "group_by", "page", "status", "community_id",
              "street_id", "district_id", "station_id", "day_id", "q", "kind", "action",
              "object_type", "actor_id", "next", "run_id", "unit_id", "month", "year",
              "drive_id", "tab", "state", "filter", "since"]
FORM_KEYS = ["ids", "decision", "reason", "volunteer_id", "user_id", "openid", "role", "scope",
             "name", "points", "kind", "parent_id", "street_id", "community_id", "district_id",
             "lat", "lng", "amount", "quantity", "item", "card", "title", "day_id", "household_id",
             "score", "note", "dry_run", "tier", "proposal_ids", "holder_id", "category",
             "starts_at", "ends_at", "capacity", "address", "station_id", "next"]


def _console_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith("/console") and r.endpoint not in ("console.static",
                                                                    "console.not_a_page")]


def _path(rule, value="1"):
    path = rule.rule
    for arg in rule.arguments:
        if arg == "decision":
            path = re.sub(r"<[^>]*:?decision>", "accept", path)
        elif arg == "kind":
            path = re.sub(r"<[^>]*:?kind>", "communities", path)
        elif arg == "action":
            path = re.sub(r"<[^>]*:?action>", "approve", path)
        else:
            path = re.sub(r"<[^>]*" + arg + ">", value, path)
    return path


def _posts(app):
    return [r for r in _console_rules(app) if "POST" in r.methods]


def _gets(app):
    return [r for r in _console_rules(app) if "GET" in r.methods]


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_every_console_post_without_its_csrf_token_is_refused(app, console, world, who):
    browser = console(who)
    for rule in _posts(app):
        resp = browser.post(_path(rule), {"ids": "1", "decision": "approve"}, csrf=False)
        assert resp.status_code == 400, (rule.rule, resp.status_code)
        resp = browser.post(_path(rule), {"ids": "1", "csrf_token": "forged"}, csrf=False)
        assert resp.status_code == 400, (rule.rule, resp.status_code)


def test_a_stranger_posting_without_a_session_changes_nothing(app, client, world):
    for rule in _posts(app):
        resp = client.post(_path(rule), data={"ids": "1"})
        assert resp.status_code in (302, 303, 400), (rule.rule, resp.status_code)


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_no_console_get_is_a_5xx_for_bad_query_values(app, console, world, who):
    browser = console(who)
    for rule in _gets(app):
        for value in ("0", "99999999"):
            resp = browser.client.get(_path(rule, value))
            assert resp.status_code < 500, (rule.rule, value, resp.status_code)
        for bad in BAD_VALUES:
            query = {key: bad for key in QUERY_KEYS}
            resp = browser.client.get(_path(rule), query_string=query)
            assert resp.status_code < 500, (rule.rule, bad, resp.status_code)
            assert resp.headers.get("Cache-Control") == "no-store", rule.rule
        for key in QUERY_KEYS:
            resp = browser.client.get(_path(rule), query_string=[(key, "1"), (key, "2")])
            assert resp.status_code < 500, (rule.rule, key, resp.status_code)


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_no_console_post_is_a_5xx_for_bad_form_values(app, console, world, who):
    browser = console(who)
    browser.get("/console/")
    for rule in _posts(app):
        if rule.endpoint in ("console.logout",):
            continue
        for bad in BAD_VALUES:
            form = {key: bad for key in FORM_KEYS}
            resp = browser.post(_path(rule), form)
            assert resp.status_code < 500, (rule.rule, bad, resp.status_code,
                                            resp.get_data(as_text=True)[-300:])
            db.session.rollback()


@pytest.mark.parametrize("target", ["/console/\r\nSet-Cookie: x=1", "/console/\t//evil.example",
                                    "/console/%0d%0aX: y", "//evil.example/console/",
                                    "/console//evil.example", "https://evil.example/console/",
                                    "/console/\\evil.example", "/console/\x00"])
def test_a_bad_next_after_sign_in_is_never_a_5xx_nor_another_site(app, world, target):
    from tests.console.conftest import ConsoleClient, demo_user_id
    browser = ConsoleClient(app.test_client())
    page = browser.get("/console/login", query_string={"next": target})
    assert page.status_code == 200
    resp = browser.post("/console/login/demo", {
        "user_id": demo_user_id(page.get_data(as_text=True), "secretary"), "next": target})
    assert resp.status_code == 303, resp.status_code
    location = resp.headers["Location"]
    assert location.startswith("/console/") and not location.startswith("/console//")
    assert "\n" not in location and "\r" not in location
