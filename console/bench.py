"""`flask --app server console bench`: every registered console page requested N times on the
demo data, as the page's demo user (signed in through the fake scan), with each page's median and
p95 server time. It prints figures; it asserts nothing (docs/console.md has the latest)."""
import re
import statistics
import time
import unicodedata

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from .pages import NAV

console_cli = AppGroup("console", help="The web console: benchmark.")
TARGET_MS = 150


def signed_in_client(app, openid: str):
    """A test client signed in to the console as `openid` through the fake scan."""
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    user = re.search(r'name="user_id" value="(\d+)">\s*<input[^>]*>\s*<button type="submit" '
                     r'class="demo-user" data-openid="' + re.escape(openid) + '"', page)
    if not (token and user):
        raise click.ClickException(f"{openid} is not a demo user with a console role "
                                   "(run `flask demo load` with WECHAT_MODE=fake)")
    client.post("/console/login/demo", data={"csrf_token": token.group(1),
                                              "user_id": user.group(1)})
    return client


# detail pages timed too: (title, the list page linking to them, the link's pattern); the newest
DETAILS = (("匹配结果（地图）", "/console/matching", r'href="(/console/matching/runs/\d+)"'),
           ("导入结果", "/console/imports", r'href="(/console/imports/\d+)"'))


def _paths(app, client) -> list[tuple[str, str]]:
    """(title, path) of every registered page, plus the newest matching run's and import's
    pages (when this user may see one)."""
    with app.test_request_context():
        paths = [(page.title, url_for(page.endpoint)) for page in NAV]
    for title, listing, pattern in DETAILS:
        resp = client.get(listing)
        found = re.findall(pattern, resp.get_data(as_text=True)) if resp.status_code == 200 else []
        if found:
            paths.append((title, found[0]))
    return paths


def _pad(text: str, width: int) -> str:
    """Left-aligned in `width` columns, counting a CJK character as two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _time(client, path: str, repeat: int) -> list[float] | None:
    timings = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        status = client.get(path).status_code
        timings.append((time.perf_counter() - started) * 1000)
        if status == 403:
            return None  # not a page of this role
        if status != 200:
            raise click.ClickException(f"{path} answered {status}")
    return timings[1:]  # the first request warms caches


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@console_cli.command("bench")
@click.option("--repeat", "-n", default=30, show_default=True, help="requests per page")
@click.option("--login", "logins", multiple=True, show_default=True,
              default=("demo-secretary", "demo-street-secretary", "demo-admin"),
              help="demo users to sign in as (each sees its own scope)")
def bench(repeat: int, logins: tuple[str, ...]) -> None:
    """Median and p95 server time of every console page on the demo data."""
    app = current_app._get_current_object()
    click.echo(f"{_pad('page', 20)} {_pad('as', 22)} {_pad('path', 28)} {'median ms':>9} "
               f"{'p95 ms':>7}  (target ≤ {TARGET_MS} ms; {repeat} requests each)")
    timed: set[str] = set()
    for openid in logins:
        timed |= _bench_as(app, openid, repeat, None)
    # Pages none of those users sees (a station keeper's desk, a fund officer's batches) are
    # timed as the demo user their registry line names.
    for openid in dict.fromkeys(p.demo_login for p in NAV if p.demo_login):
        timed |= _bench_as(app, openid, repeat, {p.title for p in NAV if p.demo_login == openid
                                                 and p.title not in timed})


def _bench_as(app, openid: str, repeat: int, only: set[str] | None) -> set[str]:
    """Times the pages `openid` may open (of `only`, when given); their titles."""
    if only is not None and not only:
        return set()
    client = signed_in_client(app, openid)
    done = set()
    for title, path in _paths(app, client):
        if only is not None and title not in only:
            continue
        timings = _time(client, path, repeat)
        if timings is None:
            continue
        done.add(title)
        click.echo(f"{_pad(title, 20)} {_pad(openid, 22)} {_pad(path, 28)} "
                   f"{statistics.median(timings):>9.1f} {_percentile(timings, 0.95):>7.1f}")
    return done
