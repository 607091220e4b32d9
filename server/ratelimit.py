"""Rate limits on the endpoints that create or contend (flask-limiter), in one table.

Keyed by the logged-in user's id, else by the client address; counters live in the storage named
by RATELIMIT_STORAGE_URI (memory:// for one process; production with several gunicorn workers or
hosts needs a shared store such as redis://host:6379/0 so that all of them count together).
A breach answers 429 in the one error shape with a Chinese message and Retry-After.

The limits are attached to endpoints by name after the blueprints are registered, so views stay
thin and one table shows every limited endpoint (the limits are settings, RATELIMIT_*, in
server/config.py); the names are the HTTP layer's, held here only as strings.
"""
import logging
import math
import time

from flask import current_app, g, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from .config import settings
from .errors import error_response, rollback_quietly

log = logging.getLogger(__name__)

# endpoint name -> config key of its limit; an endpoint that is not registered is skipped.
LIMITED_ENDPOINTS = {
    "identity.wechat_login": "RATELIMIT_LOGIN",
    "wishes.post_wish": "RATELIMIT_POST",
    "service_menu.publish": "RATELIMIT_POST",
    "wishes.claim": "RATELIMIT_CLAIM",
    "orders.place_order": "RATELIMIT_ORDER",
    "matching.start_run": "RATELIMIT_MATCHING",
    # the console (issue 13): each asks for a new login scene
    "console_login.create_scene": "RATELIMIT_LOGIN",
    "console.login": "RATELIMIT_LOGIN",
    # volunteer service system (issue 16a): the engine's run, and what holders type in
    "pairings.propose": "RATELIMIT_MATCHING",
    "posts.log_duty": "RATELIMIT_POST",
    "pairings.log_visit": "RATELIMIT_POST",
    # donations (issue 14): what a resident creates; keepers' desks are not limited
    "donations.register_donation": "RATELIMIT_POST",
    "donations.acknowledge": "RATELIMIT_POST",
    # care casework (issue 15): a member's applications and objections; staff recording
    # contributions or paying batches are not limited
    "care_cases.apply": "RATELIMIT_POST",
    "care_cases.object_": "RATELIMIT_POST",
    # volunteer service system, part b
    "projects.create_project": "RATELIMIT_POST",
    "projects.claim_project": "RATELIMIT_CLAIM",
    "checkins.check_in": "RATELIMIT_CLAIM",
    "stars.self_assess": "RATELIMIT_POST",
    "stars.peer_score": "RATELIMIT_CLAIM",
}


def rate_key() -> str:
    """The caller: their user id once authenticated (set by the API's before_request), else the
    client address (behind proxies, TRUSTED_PROXIES makes this the client's, through ProxyFix)."""
    actor = g.get("actor")
    if actor is not None:
        return f"user:{actor.user_id}"
    return f"ip:{get_remote_address() or request.remote_addr or 'unknown'}"


def _limit_from_config(key: str):
    return lambda: getattr(settings(), key.lower())


def init_rate_limits(app) -> Limiter | None:
    """Create this app's limiter and wrap the endpoints of LIMITED_ENDPOINTS."""
    # flask-limiter reads its RATELIMIT_* keys from app.config: give it the typed values.
    config = settings(app)
    app.config.update(RATELIMIT_ENABLED=config.ratelimit_enabled,
                      RATELIMIT_STORAGE_URI=config.ratelimit_storage_uri,
                      RATELIMIT_STRATEGY=config.ratelimit_strategy)
    # A limiter whose store is down lets requests through rather than failing them.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if app.config.get("ENV_NAME") == "production" and config.ratelimit_enabled \
            and config.ratelimit_storage_uri.startswith("memory://"):
        log.warning("rate limits count per process (memory://): with several workers or hosts "
                    "set RATELIMIT_STORAGE_URI to a shared store, e.g. redis://host:6379/0")
    limiter = Limiter(key_func=rate_key, strategy=config.ratelimit_strategy)
    limiter.init_app(app)
    app.extensions["lianxin_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    if not config.ratelimit_enabled:
        return limiter
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            log.info("rate limit %s: endpoint %s is not registered", key, endpoint)
            continue
        app.view_functions[endpoint] = limiter.limit(_limit_from_config(key))(view)
    return limiter


def _too_many_requests(exc: RateLimitExceeded):
    rollback_quietly()
    limiter = current_app.extensions["lianxin_limiter"]
    current = limiter.current_limit
    window = exc.limit.limit.get_expiry()
    wait = min(window, max(1, math.ceil(current.reset_at - time.time()))) if current else window
    response = error_response(429, f"操作过于频繁，请 {wait} 秒后再试",
                              {"limit": [str(exc.limit.limit)]})
    response.headers["Retry-After"] = str(wait)
    return response
