"""No page of the console shows a person a raw status code ("requested", "open", "active" ...):
every registered page, and one of each detail page they link to, is rendered on the demo district
as the demo users, and no visible text node may equal a value of a status enum (console/names.py
names them in Chinese)."""
import re
from enum import StrEnum
from html.parser import HTMLParser

import pytest
from flask import url_for

from console.bench import signed_in_client
from console.names import STATUS, action_name, file_cell, role_name, scope_name, status_name
from console.pages import NAV
from server.care.models import BatchStatus, CaseStatus, ObjectionStatus, PaymentStatus
from server.console_auth.models import ConsoleLoginStatus
from server.extensions import db
from server.identity.models import Role, Skill
from server.notifications.models import OutboxStatus

OTHER_STATUS_ENUMS: list[type[StrEnum]] = [ConsoleLoginStatus, OutboxStatus, CaseStatus,
                                           ObjectionStatus, PaymentStatus, BatchStatus]
RAW = {m.value for enum, _ in STATUS.values() for m in enum} | {
    m.value for enum in OTHER_STATUS_ENUMS for m in enum}
USERS = ("demo-secretary", "demo-street-secretary", "demo-admin", "demo-keeper",
         "demo-fund-officer", "demo-leading-group", "demo-unit-secretary")
# detail pages linked from the registered pages: one of each shape is rendered too
DETAIL = re.compile(r'href="(/console/[a-z_\-/]+/\d+(?:/[a-z_\-]+)?)"')
NOT_HTML = re.compile(r"\.(xlsx|pdf|png|csv)$|/print")


class VisibleText(HTMLParser):
    """The text nodes a person sees (not inside script, style or title), leaving out the codes the
    audit trail deliberately shows beside their names (`class="code"`: what its filters take)."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append(tag in ("script", "style", "title") or "code" in classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack) and data.strip():
            self.texts.append(data.strip())


def raw_codes(html: str, extra: frozenset[str] = frozenset()) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    pieces = {t for text in parser.texts for t in [text, *re.split(r"[\s·|,，、（）()]+", text)]}
    return {piece for piece in pieces if piece in RAW or piece in extra}


def test_every_status_of_every_machine_has_a_chinese_name():
    for machine, (enum, names) in STATUS.items():
        missing = [m.value for m in enum if not names.get(m)]
        assert not missing, (machine, missing)
        assert all(re.search(r"[\u4e00-\u9fff]", names[m]) for m in enum), machine


def test_audit_codes_and_file_cells_are_named():
    assert action_name("org.community.create") == "社区·新建"
    assert action_name("care_case_verified") == "帮扶案件·核实"
    assert action_name("matching.accepted") == "匹配建议·采纳"
    assert action_name("console.login_confirmed") == "工作台·扫码登录"
    assert action_name("no.such_thing") == ""
    assert role_name("volunteer") == "志愿者" and role_name(None) == ""
    assert scope_name("") == "全区" and scope_name("community:3", {3: "卖鱼桥社区"}) == "卖鱼桥社区"
    assert scope_name("street:2") == "街道 #2"
    assert file_cell("orders", "status", "requested") == "待接单"
    assert file_cell("points", "reason", "wish_confirmed", {"wish_confirmed": "心愿确认"}) == "心愿确认"
    assert file_cell("points", "ref", "wish:12") == "心愿 #12"


@pytest.fixture
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return app


def test_the_detector_finds_a_raw_code():
    assert raw_codes("<td>requested</td><td>待接单</td>") == {"requested"}
    assert raw_codes("<small>心愿 · open</small>") == {"open"}
    assert raw_codes('<td data-status="open">待认领</td><script>"open"</script>') == set()
    assert raw_codes('<td>匹配建议·采纳 <small class="muted code">open</small></td><td>done</td>') \
        == {"done"}
    assert status_name("requested", "order") == "待接单" and status_name("open", "wish") == "待认领"


def test_no_page_shows_a_raw_status_code(demo):
    # roles and the skill catalogue's codes are codes too (the skills are named by skill_names)
    extra = frozenset({r.value for r in Role} | set(db.session.execute(
        db.select(Skill.code)).scalars()))
    found: dict[str, set[str]] = {}
    seen_shapes: set[str] = set()
    pages = 0
    for openid in USERS:
        client = signed_in_client(demo, openid)
        with demo.test_request_context():
            paths = [url_for(page.endpoint) for page in NAV]
        queue = list(paths)
        while queue:
            path = queue.pop(0)
            resp = client.get(path)
            if resp.status_code in (403, 404):
                continue
            assert resp.status_code == 200, (openid, path, resp.status_code)
            html = resp.get_data(as_text=True)
            pages += 1
            codes = raw_codes(html, extra)
            if codes:
                found[f"{openid} {path}"] = codes
            for link in DETAIL.findall(html):
                shape = re.sub(r"\d+", "N", link)
                if shape not in seen_shapes and not NOT_HTML.search(link):
                    seen_shapes.add(shape)
                    queue.append(link)
    assert pages > len(NAV), pages
    assert {"/console/volunteers/N/file"} <= seen_shapes, seen_shapes
    assert not found, found
