"""Screenshots of every console page, at desktop (1366×900) and tablet (820×1180) widths:

    .venv/bin/python scripts/console_screenshots.py [--out docs/console] [--only org imports ...]

Loads the demo district into a fresh temporary SQLite database, serves the app on a free port,
signs in through the fake scan as each page's demo user (console/pages.py `demo_login`) with
Debian's Chromium, starts one matching run (so the run page with its map has something to show)
and saves `<page>-desktop.png` and `<page>-tablet.png` (palette PNGs, to keep them small).
Needs /usr/bin/chromium and fonts-noto-cjk (scripts/install-browser.sh).
"""
import argparse
import io
import os
import re
import socket
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZES = {"desktop": {"width": 1366, "height": 900}, "tablet": {"width": 820, "height": 1180}}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _demo_app():
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "demo.sqlite3")
    os.environ["WECHAT_MODE"] = "fake"
    from flask_migrate import upgrade

    from server import create_app
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(revision="heads")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return app


def _serve(app) -> str:
    from werkzeug.serving import make_server
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def _save(page, path: Path) -> None:
    from PIL import Image
    image = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    image = image.crop((0, 0, image.width, min(image.height, 2400)))
    image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"  {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def _sign_in(page, openid: str) -> None:
    page.goto("/console/login")
    page.locator(f"button.demo-user[data-openid='{openid}']").click()
    page.wait_for_url("**/console/")


def _matching_run(page, path: Path) -> None:
    page.goto("/console/matching")
    runs = re.findall(r'href="(/console/matching/runs/\d+)"', page.content())
    if not runs:
        page.get_by_role("button", name="开始匹配").click()
        page.wait_for_url(re.compile(r".*/console/matching/runs/\d+$"), timeout=120_000)
    else:
        page.goto(runs[0])
    _save(page, path)


def _import_result(page, path: Path) -> None:
    """A dry run of a units workbook with one bad row: the result page with its errors table."""
    from server.org.imports.templates import workbook_from_rows
    rows = [{"name": "区数据资源局党支部", "kind": "机关", "street": "米市巷街道",
             "community": "卖鱼桥社区"},
            {"name": "区档案馆党支部", "kind": "事业单位", "street": "米市巷街道",
             "community": "卖鱼桥小区"}]
    page.goto("/console/imports")
    page.select_option("select[name=kind]", "units")
    page.set_input_files("input[name=file]", files=[{
        "name": "共建单位.xlsx", "buffer": workbook_from_rows("units", rows),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(re.compile(r".*/console/imports/\d+$"))
    _save(page, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "console"))
    parser.add_argument("--only", nargs="*", default=None,
                        help="page names (login, workbench, org, imports, import_result, "
                             "matching_run ...): only these; default every page")
    args = parser.parse_args()
    out, only = Path(args.out), set(args.only) if args.only else None
    out.mkdir(parents=True, exist_ok=True)
    app = _demo_app()
    base = _serve(app)
    with app.test_request_context():
        from flask import url_for

        from console.pages import NAV
        pages = [(p.endpoint.split(".")[-1], url_for(p.endpoint), p.demo_login) for p in NAV]
    pages = [p for p in pages if only is None or p[0] in only]
    wanted = (lambda name: only is None or name in only)  # noqa: E731
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=base)
            page = context.new_page()
            if wanted("login"):
                page.goto("/console/login")
                _save(page, out / f"login-{size}.png")
            signed_in_as = None
            for name, path, openid in pages:
                if openid != signed_in_as:
                    context.clear_cookies()
                    _sign_in(page, openid)
                    signed_in_as = openid
                page.goto(path)
                _save(page, out / f"{name}-{size}.png")
            if wanted("import_result"):
                context.clear_cookies()
                _sign_in(page, "demo-admin")
                signed_in_as = "demo-admin"
                _import_result(page, out / f"import_result-{size}.png")
            if wanted("matching_run"):
                if signed_in_as != "demo-secretary":
                    context.clear_cookies()
                    _sign_in(page, "demo-secretary")
                _matching_run(page, out / f"matching_run-{size}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
