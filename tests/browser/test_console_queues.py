"""The core queues as a secretary works them in a real browser: approve a wish, start a matching
run and accept a proposal (seen on the map), another community's secretary sees none of it, and
a form posted without its CSRF token is refused."""
import re

from server.extensions import db
from server.identity.models import Community, RoleGrant, User
from server.matching_runs.models import MatchProposal, ProposalStatus
from server.wishes.models import Wish, WishStatus


def _pending_wishes_of(community_id: int) -> list[int]:
    return list(db.session.execute(db.select(Wish.id).filter_by(
        community_id=community_id, status=WishStatus.PENDING_REVIEW)).scalars())


def _home_community() -> int:
    return db.session.execute(db.select(Community.id).filter_by(name="卖鱼桥社区")).scalar_one()


def test_secretary_approves_a_wish_from_the_queue(console_as):
    page = console_as("demo-secretary")
    page.locator("[data-queue='console.wishes']").click()
    first = page.locator("tr[data-wish]").first
    wish_id = int(first.get_attribute("data-wish"))
    first.locator("input[name=ids]").check()
    page.get_by_role("button", name="通过所选").click()
    assert "已通过 1 条心愿" in page.locator(".flash").inner_text()
    assert page.locator(f"tr[data-wish='{wish_id}']").count() == 0
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert db.session.get(Wish, wish_id).status == WishStatus.OPEN


def test_secretary_rejects_several_wishes_with_a_reason(console_as):
    page = console_as("demo-secretary")
    page.goto("/console/wishes")
    ids = [int(row.get_attribute("data-wish")) for row in page.locator("tr[data-wish]").all()][:2]
    page.locator("input[data-select-all]").check()  # then untick all but two
    for row in page.locator("tr[data-wish]").all()[2:]:
        row.locator("input[name=ids]").uncheck()
    page.get_by_role("button", name="驳回所选").click()
    assert page.locator(".error h1").inner_text() == "422"  # a rejection needs its reason
    page.go_back()
    page.reload()
    for wish_id in ids:
        page.locator(f"tr[data-wish='{wish_id}'] input[name=ids]").check()
    page.locator("input[name=reason]").fill("内容不属于微心愿范围")
    page.get_by_role("button", name="驳回所选").click()
    assert f"已驳回 {len(ids)} 条心愿" in page.locator(".flash").inner_text()
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert {db.session.get(Wish, i).status for i in ids} == {WishStatus.REJECTED}


def test_secretary_starts_a_matching_run_and_accepts_a_proposal(console_as):
    page = console_as("demo-secretary")
    page.goto("/console/matching")
    page.get_by_role("button", name="开始匹配").click()
    page.wait_for_url(re.compile(r".*/console/matching/runs/\d+$"), timeout=60_000)
    proposal = page.locator(".proposal[data-status=proposed]").first
    proposal_id = int(proposal.get_attribute("data-proposal"))
    assert proposal.locator(".reasons li").count() >= 2  # it says why
    drawn = page.locator("canvas.map").evaluate(
        "c => ({points: c.lianxinMap.data.points.length, links: c.lianxinMap.data.links.length,"
        " inked: c.getContext('2d').getImageData(0, 0, c.width, c.height).data"
        ".some((v, i) => i % 4 === 0 && v < 100)})")
    assert drawn["points"] > 0 and drawn["links"] > 0 and drawn["inked"]
    proposal.get_by_role("button", name="接受").click()
    assert "已接受" in page.locator(".flash").inner_text()
    assert page.locator(f".proposal[data-proposal='{proposal_id}']").get_attribute(
        "data-status") == "accepted"
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert db.session.get(MatchProposal, proposal_id).status == ProposalStatus.ACCEPTED


def _secretary_of_another_community() -> str:
    other = db.session.execute(db.select(Community).filter_by(name="左家新村社区")).scalar_one()
    user = User(openid="demo-other-secretary", name="吴书记", community_id=other.id)
    db.session.add(user)
    db.session.flush()
    db.session.add(RoleGrant(user_id=user.id, role="secretary", community_id=other.id))
    db.session.commit()
    return user.openid


def test_a_secretary_of_another_community_sees_none_of_it(console_as, browser_page, chromium,
                                                           live_server):
    other = _secretary_of_another_community()
    home = _home_community()
    theirs = _pending_wishes_of(home)
    assert theirs
    db.session.rollback()  # end the read: the server writes next
    mine = console_as("demo-secretary")
    mine.goto("/console/matching")
    mine.get_by_role("button", name="开始匹配").click()
    mine.wait_for_url(re.compile(r".*/console/matching/runs/\d+$"), timeout=60_000)
    run_url = mine.url
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server)
    try:
        page = console_as(other, page=context.new_page())
        page.goto("/console/wishes")
        shown = {int(row.get_attribute("data-wish")) for row in page.locator("tr[data-wish]").all()}
        assert not shown & set(theirs)
        answer = page.goto(run_url)
        assert answer.status == 404
        page.goto("/console/matching")
        assert page.locator(f"a[href='{run_url.split(live_server)[1]}']").count() == 0
        # a forged form for the other community's wishes: refused, nothing changes
        page.goto("/console/wishes")
        page.evaluate("""ids => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/console/wishes/review';
            const add = (n, v) => { const i = document.createElement('input');
                i.type = 'hidden'; i.name = n; i.value = v; form.appendChild(i); };
            add('csrf_token', document.querySelector('meta[name=csrf-token]').content);
            add('decision', 'approve'); ids.forEach(id => add('ids', id));
            document.body.appendChild(form); form.submit(); }""", theirs[:1])
        page.wait_for_load_state()
        assert page.locator(".error h1").inner_text() == "404"
    finally:
        context.close()
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert _pending_wishes_of(home) == theirs


def test_a_form_posted_without_its_csrf_token_is_refused(console_as):
    page = console_as("demo-secretary")
    page.goto("/console/wishes")
    wish_id = int(page.locator("tr[data-wish]").first.get_attribute("data-wish"))
    page.locator("tr[data-wish] input[name=ids]").first.check()
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => i.remove())")
    with page.expect_response("**/console/wishes/review") as answer:
        page.get_by_role("button", name="通过所选").click()
    assert answer.value.status == 400
    assert "校验码" in page.locator(".error .message").inner_text()
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert db.session.get(Wish, wish_id).status == WishStatus.PENDING_REVIEW
