"""The README's walkthrough (scripts/walkthrough.py) passes against the demo district over real
HTTP: wish, service order and matching review, as the demo logins."""
import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

from server.demo import load_demo

ROOT = Path(__file__).resolve().parents[2]


def test_walkthrough_script_passes_against_the_demo(app, db):
    load_demo(seed=7)
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "walkthrough.py"),
             "--base", f"http://127.0.0.1:{server.port}"],
            capture_output=True, text=True, timeout=180, cwd=ROOT)
    finally:
        server.shutdown()
        thread.join(10)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for step in ("secretary reviewed it: open", "resident confirmed it: confirmed",
                 "volunteer completed it: done", "resident rated it: rated", "walkthrough OK"):
        assert step in run.stdout
