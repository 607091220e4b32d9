"""The console runs on an intranet (API.md part 2): no template, style or script of console/
refers to anything outside the app (no CDN, no web font, no remote script or image)."""
import re
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "console"
REMOTE = re.compile(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.I)


def test_no_console_asset_comes_from_the_internet():
    found = [f"{path.relative_to(CONSOLE)}:{n}: {line.strip()}"
             for path in sorted(CONSOLE.rglob("*")) if path.suffix in (".html", ".css", ".js")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if REMOTE.search(line)]
    assert not found, found


def test_the_checker_sees_a_cdn():
    assert REMOTE.search('<script src="https://cdn.jsdelivr.net/npm/x.js">')
    assert REMOTE.search("@import url(//fonts.googleapis.com/css)")
