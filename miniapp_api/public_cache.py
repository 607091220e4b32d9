"""A short-lived, per-process cache of public list pages, served only to callers for whom the
page is exactly the public one: the service menu (no part of it depends on the caller) to
everyone; the wish wall to anonymous callers and to logged-in callers who manage no community
and neither own nor have claimed any wish on that page (only those rows look different to them:
unmasked names; managers see more fields).

A cached page is at most PUBLIC_CACHE_S seconds old (2 by default; 0 turns the cache off). Writes
stay authoritative: a claim or a booking made from a stale page still gets its 409. A page is
stored only when it was computed for a caller who sees the public view.
"""
import functools
import threading
import time
from collections import OrderedDict

from flask import current_app, request

from server.wishes.queries import owners_of

from .common import optional_actor

MAX_ENTRIES = 512
_KEPT_HEADERS = ("Content-Type", "X-Pagination")


class _Everyone:
    """The menu: the same page whoever asks (the caller is not even loaded)."""

    def caller(self):
        return None

    def eligible(self, caller) -> bool:
        return True

    def involves(self, caller, meta) -> bool:
        return False

    def meta(self, body):
        return None


class _PublicWallViewers(_Everyone):
    """The wall: anonymous callers, and logged-in ones for whom no row of the page differs."""

    def caller(self):
        return optional_actor()  # 401 for a bad token, as the wall itself answers

    def eligible(self, caller) -> bool:
        return caller is None or not caller.managed_communities

    def involves(self, caller, meta) -> bool:
        owners, claimers = meta
        return caller is not None and (caller.user_id in owners or (
            caller.volunteer_id is not None and caller.volunteer_id in claimers))

    def meta(self, body):
        rows = body if isinstance(body, list) else []
        return (owners_of([w["id"] for w in rows]),
                {w["claimed_by"] for w in rows if w.get("claimed_by") is not None})


CACHED = {"service_menu.menu": _Everyone(), "wishes.wall": _PublicWallViewers()}


def install_public_cache(app) -> None:
    ttl = float(app.config.get("PUBLIC_CACHE_S", 2))
    if ttl <= 0:
        return
    for endpoint, audience in CACHED.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = _cached(view, ttl, audience)


def _cached(view, ttl: float, audience):
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        caller = audience.caller()
        if request.method != "GET" or not audience.eligible(caller):
            return view(*args, **kwargs)
        key, now = request.full_path, time.monotonic()
        with lock:
            hit = entries.get(key)
        if hit is not None and hit[0] > now and not audience.involves(caller, hit[3]):
            return current_app.response_class(hit[1], status=200, headers=hit[2])
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            meta = audience.meta(response.get_json())
            if not audience.involves(caller, meta):  # computed as the public sees it
                headers = [(k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS]
                with lock:
                    entries[key] = (now + ttl, response.get_data(), headers, meta)
                    entries.move_to_end(key)
                    while len(entries) > MAX_ENTRIES:
                        entries.popitem(last=False)
        return response

    return wrapper
