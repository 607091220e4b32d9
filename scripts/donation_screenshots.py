"""Screenshots of the love supermarket's console pages for docs/donations.md (issue 14).

    .venv/bin/python scripts/donation_screenshots.py [OUT_DIR]   # default docs/donations/

A fresh SQLite database with the demo district, the app served on a free port, Debian's Chromium
through Playwright: signs in as demo-keeper (and demo-street-secretary for the figures) through
the fake scan and saves one PNG per page."""
import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

PAGES = [("demo-keeper", "/console/donations", "queue.png"),
         ("demo-keeper", "/console/desk?number={card}", "desk.png"),
         ("demo-keeper", "/console/stock", "stock.png"),
         ("demo-street-secretary", "/console/drive-figures", "figures.png")]


def main(out: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/shots.sqlite3"
    os.environ.setdefault("WECHAT_MODE", "fake")
    os.environ.setdefault("LIANXIN_ENV", "development")
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from server import create_app
    from server.donations.models import AidCard
    from server.extensions import db
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
        card = db.session.execute(db.select(AidCard.number).order_by(AidCard.id)).scalars().first()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox"])
        for openid, path, name in PAGES:
            context = browser.new_context(viewport={"width": 1366, "height": 900},
                                          locale="zh-CN", base_url=f"http://127.0.0.1:{port}")
            page = context.new_page()
            page.goto("/console/login")
            page.locator(f"button.demo-user[data-openid='{openid}']").click()
            page.wait_for_url("**/console/")
            page.goto(path.format(card=card))
            page.screenshot(path=str(out / name), full_page=True)
            context.close()
        browser.close()
    server.shutdown()
    print(f"saved {len(PAGES)} screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/donations"))
