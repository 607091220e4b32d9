"""A short-lived, per-process cache of public list pages that are the same for every caller
they are served to: the service menu (no part of it depends on the caller) and the wish wall as
seen by an anonymous caller (masked names, no contact, no manager fields).

A cached page is at most PUBLIC_CACHE_S seconds old (2 by default; 0 turns the cache off). Writes
stay authoritative: a claim or a booking made from a stale page still gets its 409. Logged-in
callers of the wall always get a fresh page, shaped for them (their own wishes, their role).
"""
import functools
import threading
import time
from collections import OrderedDict

from flask import current_app, request

# endpoint -> who may be served a cached page: "everyone", or "anonymous" (no Authorization)
CACHED = {"service_menu.menu": "everyone", "wishes.wall": "anonymous"}
MAX_ENTRIES = 512
_KEPT_HEADERS = ("Content-Type", "X-Pagination")


def install_public_cache(app) -> None:
    ttl = float(app.config.get("PUBLIC_CACHE_S", 2))
    if ttl <= 0:
        return
    for endpoint, who in CACHED.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = _cached(view, ttl, who)


def _cached(view, ttl: float, who: str):
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "GET" or (who == "anonymous" and "Authorization" in request.headers):
            return view(*args, **kwargs)
        key, now = request.full_path, time.monotonic()
        with lock:
            hit = entries.get(key)
        if hit is not None and hit[0] > now:
            return current_app.response_class(hit[1], status=200, headers=hit[2])
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            headers = [(k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS]
            with lock:
                entries[key] = (now + ttl, response.get_data(), headers)
                entries.move_to_end(key)
                while len(entries) > MAX_ENTRIES:
                    entries.popitem(last=False)
        return response

    return wrapper
