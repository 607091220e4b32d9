"""组织架构 and 批量导入 in a real browser: the demo admin sees the district's communities with
their counts, downloads an import template and opens it with openpyxl, uploads a dry run with a
bad row (the errors table, nothing written) and then a good file (created counts); a secretary
gets the refusal page; an upload posted without its CSRF token is refused."""
from io import BytesIO

from openpyxl import load_workbook

from server.extensions import db
from server.identity.models import Community, Street, Unit
from server.org.imports.templates import workbook_from_rows
from server.org.models import ImportRun


def _home() -> tuple[str, str]:
    community = db.session.execute(db.select(Community).filter_by(name="卖鱼桥社区")).scalar_one()
    return db.session.get(Street, community.street_id).name, community.name


def _units_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(workbook_from_rows("units", rows))
    return path


def test_admin_sees_the_org_tree_of_the_district(console_as):
    page = console_as("demo-admin")
    page.locator("nav a", has_text="组织架构").click()
    page.wait_for_url("**/console/org")
    db.session.rollback()
    communities = db.session.execute(db.select(Community.id)).scalars().all()
    assert page.locator("tr[data-community]").count() == len(communities)
    row = page.locator("tr[data-community]", has_text="卖鱼桥社区")
    assert int(row.locator("[data-count=volunteers]").inner_text()) > 0
    rename = row.locator(".org-actions details.rename")
    rename.locator("summary").click()
    rename.locator("input[name=name]").fill("卖鱼桥社区（测试改名）")
    rename.get_by_role("button", name="保存").click()
    assert "已改名为：卖鱼桥社区（测试改名）" in page.locator(".flash").inner_text()


def test_admin_imports_a_dry_run_with_a_bad_row_then_a_good_file(console_as, tmp_path):
    page = console_as("demo-admin")
    street, community = _home()
    page.goto("/console/imports")
    with page.expect_download() as info:
        page.locator("[data-template=units]").click()
    template = tmp_path / "units-template.xlsx"
    info.value.save_as(template)
    sheet = load_workbook(BytesIO(template.read_bytes())).active
    assert [c.value for c in sheet[1]][:2] == ["单位名称*", "单位类型"]

    rows = [{"name": "区数据资源局党支部", "kind": "机关", "street": street, "community": community},
            {"name": "区档案馆党支部", "kind": "事业单位", "street": street, "community": "没有这个社区"}]
    page.select_option("select[name=kind]", "units")
    page.set_input_files("input[name=file]", _units_file(tmp_path, "bad.xlsx", rows))
    assert page.locator("input[name=dry_run]").is_checked()
    page.get_by_role("button", name="上传").click()
    page.wait_for_url("**/console/imports/*")
    assert page.locator("#import-status").inner_text() == "有错误，未写入"
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() >= 1 and errors.first.locator("td").first.inner_text() == "3"
    db.session.rollback()
    assert not db.session.execute(db.select(Unit).filter_by(name="区数据资源局党支部")).first()

    page.goto("/console/imports")
    page.select_option("select[name=kind]", "units")
    page.set_input_files("input[name=file]", _units_file(tmp_path, "good.xlsx", rows[:1]))
    page.locator("input[name=dry_run]").uncheck()
    page.get_by_role("button", name="上传").click()
    page.wait_for_url("**/console/imports/*")
    assert page.locator("#import-status").inner_text() == "已导入"
    assert page.locator("[data-figure=created]").inner_text() == "1"
    db.session.rollback()
    assert db.session.execute(db.select(Unit).filter_by(name="区数据资源局党支部")).scalar_one()
    page.goto("/console/imports")
    assert page.locator("tr[data-import]").count() >= 2


def test_a_secretary_gets_the_refusal_page_for_imports(console_as):
    page = console_as("demo-secretary")
    assert page.locator("nav a", has_text="批量导入").count() == 0
    response = page.goto("/console/imports")
    assert response.status == 403
    assert "不能打开" in page.locator(".error .message").inner_text()
    assert page.goto("/console/org").status == 403


def test_an_upload_without_its_csrf_token_is_refused(console_as, tmp_path):
    page = console_as("demo-admin")
    street, community = _home()
    db.session.rollback()
    before = db.session.execute(db.select(db.func.count()).select_from(ImportRun)).scalar_one()
    page.goto("/console/imports")
    page.set_input_files("input[name=file]", _units_file(tmp_path, "x.xlsx", [
        {"name": "无校验码单位", "street": street, "community": community}]))
    page.locator("input[name=dry_run]").uncheck()
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => i.remove())")
    with page.expect_response("**/console/imports") as answer:
        page.get_by_role("button", name="上传").click()
    assert answer.value.status == 400
    assert "校验码" in page.locator(".error .message").inner_text()
    db.session.rollback()
    assert not db.session.execute(db.select(Unit).filter_by(name="无校验码单位")).first()
    assert db.session.execute(db.select(db.func.count()).select_from(ImportRun)).scalar_one() \
        == before


def test_admin_revokes_a_secretarys_role_and_their_open_console_ends(console_as, chromium,
                                                                     live_server):
    from server.identity.models import RoleGrant, User
    secretary_context = chromium.new_context(locale="zh-CN", base_url=live_server)
    try:
        secretary = console_as("demo-secretary", secretary_context.new_page())
        assert secretary.goto("/console/wishes").status == 200
        page = console_as("demo-admin")
        page.locator("nav a", has_text="角色授予").click()
        db.session.rollback()
        user_id = db.session.execute(db.select(User.id).filter_by(
            openid="demo-secretary")).scalar_one()
        grant = db.session.execute(db.select(RoleGrant).filter_by(
            user_id=user_id, revoked_at=None)).scalars().first()
        page.once("dialog", lambda dialog: dialog.accept())  # 撤销 asks for confirmation
        page.locator(f"tr[data-grant='{grant.id}'] button", has_text="撤销").click()
        assert "立即生效" in page.locator(".flash").inner_text()
        secretary.goto("/console/wishes")
        assert "/console/login" in secretary.url
    finally:
        secretary_context.close()
    db.session.rollback()
    assert db.session.get(RoleGrant, grant.id).revoked_at is not None
