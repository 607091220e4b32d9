"""Screenshots of the care console pages for docs/care.md (issue 15), from a fresh demo district.

    DATABASE_URL=sqlite:////tmp/care-shots.sqlite3 WECHAT_MODE=fake \
        .venv/bin/python scripts/care_screenshots.py docs/care

Needs Debian's Chromium (scripts/install-browser.sh). Loads the demo into the database named by
DATABASE_URL (it must be empty or hold the demo already)."""
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server import create_app  # noqa: E402

SHOTS = [("demo-leading-group", "/console/care/cases?tab=decide", "queue-leading-group.png"),
         ("demo-unit-secretary", "/console/care/cases?tab=contact", "queue-contact.png"),
         ("demo-unit-secretary", "FIRST_CASE", "case-file.png"),
         ("demo-fund-officer", "/console/care/batches", "batches.png"),
         ("demo-fund-officer", "/console/care/fund", "fund.png")]


def main(out: str) -> None:
    app = create_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade", "heads"])
    print(runner.invoke(args=["demo", "load", "--if-empty"]).output)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        for openid, path, name in SHOTS:
            context = browser.new_context(viewport={"width": 1366, "height": 900},
                                          locale="zh-CN", base_url=base)
            page = context.new_page()
            page.goto("/console/login")
            page.locator(f"button.demo-user[data-openid='{openid}']").click()
            page.wait_for_url("**/console/")
            if path == "FIRST_CASE":
                page.goto("/console/care/cases?tab=contact")
                page.locator("tr[data-case] a").first.click()
            else:
                page.goto(path)
            page.screenshot(path=f"{out}/{name}", full_page=False)
            print("wrote", f"{out}/{name}")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/care")
