"""A short-lived, per-process cache of public list pages, served only to callers for whom the
page is exactly the public one: the service menu (no part of it depends on the caller) to
everyone; the wish wall to anonymous callers and to logged-in callers who hold no secretary or
admin grant and neither own nor hold a claim on any wish of that page (only those rows look
different to them: unmasked names; managers see more fields). A page computed for a caller who
is a party to some of its wishes is kept for that caller alone; a manager's page is never kept.

A cached page is at most PUBLIC_CACHE_S seconds old (2 by default; 0 turns the cache off). Writes
stay authoritative: a claim or a booking made from a stale page still gets its 409. A page is
stored only when it was computed for a caller who sees the public view.

A hit reads nothing from the database about the caller: the token is checked (a bad one is still
401), and the public page may go to anyone. Who holds a manager grant is read once per
PUBLIC_CACHE_S per worker; a grant made in the last seconds may therefore see the public page
for that long, as every caller may see a page that old. A miss computes the page with the caller
loaded fresh, as without the cache.
"""
import functools
import threading
import time
from collections import OrderedDict

from flask import current_app, g, request

from server.config import settings
from server.identity.services import manager_user_ids
from server.wishes.queries import parties_of

from .common import bearer_user_id

MAX_ENTRIES = 512
_KEPT_HEADERS = ("Content-Type", "X-Pagination")


PUBLIC, OWN = "public", "own"


class _Everyone:
    """The menu: the same page whoever asks (the caller is not even loaded)."""

    def eligible(self, user_id) -> bool:
        return True

    def parties(self, body) -> frozenset:
        return frozenset()

    def shape(self, parties) -> str | None:
        return PUBLIC


class _PublicWallViewers(_Everyone):
    """The wall: anonymous callers, and logged-in ones for whom no row of the page differs;
    a page that holds a caller's own wishes or claims is kept for that caller alone."""

    def __init__(self, ttl: float):
        self._ttl, self._lock = ttl, threading.Lock()
        self._managers, self._until = frozenset(), 0.0

    def _manager_ids(self) -> frozenset:
        now = time.monotonic()
        if now >= self._until:
            managers = manager_user_ids()
            with self._lock:
                self._managers, self._until = managers, now + self._ttl
        return self._managers

    def eligible(self, user_id) -> bool:
        return user_id is None or user_id not in self._manager_ids()

    def parties(self, body) -> frozenset:
        rows = body if isinstance(body, list) else []
        return parties_of([w["id"] for w in rows])

    def shape(self, parties) -> str | None:
        """Whom the page just computed may be served to: everyone (its caller, loaded fresh by
        the view, manages nothing and is no party to any wish on it), that caller alone (a
        party to some), or no one (a manager's page)."""
        actor = g.get("actor")
        if actor is None or (not actor.managed_communities and actor.user_id not in parties):
            return PUBLIC
        return None if actor.managed_communities else OWN


def install_public_cache(app) -> None:
    ttl = settings(app).public_cache_s
    if ttl <= 0:
        return
    for endpoint, audience in (("service_menu.menu", _Everyone()),
                               ("wishes.wall", _PublicWallViewers(ttl))):
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = _cached(view, ttl, audience)


def _cached(view, ttl: float, audience):
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    def fresh(key, now, user_id):
        with lock:
            hit = entries.get(key)
        if hit is not None and hit[0] > now and user_id not in hit[3]:
            return current_app.response_class(hit[1], status=200, headers=hit[2])
        return None

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        user_id = bearer_user_id()  # 401 for a bad token, as the page itself answers
        if request.method != "GET" or not audience.eligible(user_id):
            return view(*args, **kwargs)
        path, now = request.full_path, time.monotonic()
        hit = fresh(path, now, user_id) or (
            fresh((user_id, path), now, None) if user_id is not None else None)
        if hit is not None:
            return hit
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            parties = audience.parties(response.get_json())
            shape = audience.shape(parties)
            if shape is not None:
                key = path if shape == PUBLIC else (user_id, path)
                headers = [(k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS]
                with lock:
                    entries[key] = (now + ttl, response.get_data(), headers,
                                    parties if shape == PUBLIC else frozenset())
                    entries.move_to_end(key)
                    while len(entries) > MAX_ENTRIES:
                        entries.popitem(last=False)
        return response

    return wrapper
