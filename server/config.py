"""Configuration from the environment, with defaults that run the demo on a fresh machine."""
import dataclasses
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from flask import current_app, has_app_context


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "lianxin.sqlite3")
    # psycopg 3 is the PostgreSQL driver; accept the plain URLs operators paste.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# The environments there are. Any other LIANXIN_ENV (a typo, "prod") is refused at start-up: an
# unknown name must not quietly mean development, with its published key and fake WeChat.
ENVIRONMENTS = ("development", "ephemeral", "production")
DEVELOPMENT_SECRET = "lianxin-development-secret-change-me-in-production"
DEMO_WECHAT_APP_ID, DEMO_WECHAT_APP_SECRET = "wx-demo-appid", "demo-secret"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else _truth(name, value)


def _truth(name: str, raw) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (or empty), any case; else refused."""
    if isinstance(raw, bool):
        return raw
    if str(raw).lower() in ("1", "true", "yes", "on"):
        return True
    if str(raw).lower() in ("0", "false", "no", "off", ""):
        return False
    raise RuntimeError(f"{name} must be true or false, not {raw!r}")


def _environment() -> str:
    env = os.environ.get("LIANXIN_ENV", "development")
    if env not in ENVIRONMENTS:
        raise RuntimeError(f"LIANXIN_ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}")
    return env


def _secret(env: str) -> str:
    secret = os.environ.get("SECRET_KEY")
    if env != "production":
        return secret or ("dev-" + secrets.token_hex(16) if env == "ephemeral"
                          else DEVELOPMENT_SECRET)
    if not secret:
        raise RuntimeError("SECRET_KEY must be set in production")
    if secret == DEVELOPMENT_SECRET or secret.startswith("dev-"):
        raise RuntimeError("SECRET_KEY in production must not be the development key")
    if len(secret.encode()) < 32:  # HS256 wants a key of at least 256 bits
        raise RuntimeError("SECRET_KEY must be at least 32 bytes in production")
    return secret


def _wechat(production: bool) -> dict:
    wechat = {
        "WECHAT_APP_ID": os.environ.get("WECHAT_APP_ID", DEMO_WECHAT_APP_ID),
        "WECHAT_APP_SECRET": os.environ.get("WECHAT_APP_SECRET", DEMO_WECHAT_APP_SECRET),
        "WECHAT_MODE": os.environ.get("WECHAT_MODE", "real" if production else "fake"),
    }
    if wechat["WECHAT_MODE"] not in ("real", "fake"):
        raise RuntimeError(f"WECHAT_MODE must be real or fake, not {wechat['WECHAT_MODE']!r}")
    if production:
        if wechat["WECHAT_MODE"] != "real":
            raise RuntimeError("WECHAT_MODE must be real in production (the fake logs anyone in)")
        if wechat["WECHAT_APP_ID"] == DEMO_WECHAT_APP_ID \
                or wechat["WECHAT_APP_SECRET"] == DEMO_WECHAT_APP_SECRET:
            raise RuntimeError("WECHAT_APP_ID and WECHAT_APP_SECRET must be set in production")
    return wechat


def load_config(instance_path: str) -> dict:
    """The configuration, or RuntimeError when the environment would run unsafely: production
    refuses a missing, short or development key, fake WeChat and the demo WeChat app."""
    env = _environment()
    production = env == "production"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": _secret(env),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        **_wechat(production),
        "WECHAT_BASE_URL": os.environ.get("WECHAT_BASE_URL", "https://api.weixin.qq.com"),
        **Settings.build({}, os.environ).as_config(),
        # production serves the console over HTTPS: its cookie is Secure unless the operator
        # says otherwise (CONSOLE_COOKIE_SECURE=false for a plain-HTTP intranet)
        **({"CONSOLE_COOKIE_SECURE": True}
           if production and "CONSOLE_COOKIE_SECURE" not in os.environ else {}),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # flask-smorest / OpenAPI
        "API_TITLE": "Lianxin 连心桥 API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "api/v1/openapi.json",
        # Swagger UI at /docs: on in development, off in production unless API_DOCS=1.
        "API_DOCS": _flag("API_DOCS", not production),
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": os.environ.get(
            "SWAGGER_UI_URL", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"),
        "API_SPEC_OPTIONS": {
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    }


def _setting(default, doc: str):
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """Every operational setting, typed, with its default and meaning (the README table lists
    them). The environment variable of a field is its name in capitals; the app's config (which
    load_config fills from the environment, and tests may override) wins over the environment.
    Read it through settings(); never os.environ or a default at the call site."""
    token_ttl_s: int = _setting(7200, "lifetime in seconds of our own access tokens")
    policy_version: str = _setting("2026-11", "privacy policy version a login consents to")
    wish_max_active_claims: int = _setting(5, "open wish claims one volunteer may hold")
    wish_reminder_hours: int = _setting(24, "remind claimers of wishes due within this many hours")
    wish_no_show_days: int = _setting(3, "release a claim with no progress after this many days")
    order_reminder_hours: int = _setting(24, "remind both sides of orders starting within this")
    public_cache_s: float = _setting(2.0, "seconds a worker may serve a public page from its "
                                          "cache (0: off)")
    trusted_proxies: int = _setting(0, "proxies in front of gunicorn whose X-Forwarded-* to trust")
    matching_time_limit_s: float = _setting(20.0, "time limit in seconds of one matching run")
    matching_days: int = _setting(7, "horizon in days of a matching run")
    sqlite_busy_timeout_ms: int = _setting(30000, "SQLite busy timeout in milliseconds")
    import_max_bytes: int = _setting(8 * 1024 * 1024, "largest Excel import (413 above it)")
    log_level: str = _setting("INFO", "log level of the web and jobs processes")
    outbox_batch: int = _setting(50, "outbox messages one send pass takes")
    outbox_budget_s: float = _setting(10.0, "seconds one send pass may spend")
    outbox_max_attempts: int = _setting(8, "attempts before a retryable message is failed")
    outbox_backoff_base_s: int = _setting(60, "first retry delay in seconds (doubles each time)")
    outbox_backoff_cap_s: int = _setting(3600, "longest retry delay in seconds")
    outbox_sending_timeout_s: int = _setting(600, "a message still sending after this many "
                                                  "seconds becomes uncertain, never resent")
    wechat_token_refresh_ahead_s: int = _setting(600, "refresh the WeChat access token this many "
                                                      "seconds before it expires")
    jobs_threads: int = _setting(4, "worker threads of the jobs process")
    jobs_misfire_grace_seconds: int = _setting(300, "a run late by up to this still runs")
    # "LXQ" + "jobs": any constant works as long as nothing else in the database uses it.
    jobs_lock_key: int = _setting(0x4C58510001, "PostgreSQL advisory lock key of the scheduler "
                                                "leadership")
    jobs_heartbeat_seconds: int = _setting(15, "how often the leader checks it still holds "
                                               "the lock")
    jobs_lock_retry_seconds: float = _setting(5.0, "how often a standby tries to take the lock")
    jobs_runs_keep_days: int = _setting(7, "days the job run log is kept")
    jobs_disable: str = _setting("", "comma-separated job names not to schedule")
    retention_text_days: int = _setting(365, "free text and exact positions of closed wishes "
                                             "and orders")
    retention_outbox_days: int = _setting(30, "delivered (or finally undeliverable) messages")
    retention_audit_days: int = _setting(1095, "audit rows; withdrawn consents")
    retention_matching_days: int = _setting(180, "matching runs and their proposals")
    retention_leaver_days: int = _setting(365, "a former volunteer's position and availability")
    ratelimit_enabled: bool = _setting(True, "rate limits on login, posting, claiming, ordering, "
                                             "matching runs")
    ratelimit_storage_uri: str = _setting("memory://", "where limit counters live "
                                                       "(redis://host:6379/0 to share)")
    ratelimit_strategy: str = _setting("fixed-window", "flask-limiter strategy")
    ratelimit_login: str = _setting("20/minute", "per client address: logins")
    ratelimit_post: str = _setting("30/hour", "per user: wishes and service offerings posted")
    ratelimit_claim: str = _setting("60/minute", "per volunteer: wish claims")
    ratelimit_order: str = _setting("30/hour", "per resident: service orders placed")
    ratelimit_matching: str = _setting("10/minute", "per secretary: matching runs")
    # care fund and casework (docs/care.md)
    care_min_wage_fen: int = _setting(249000, "local monthly minimum wage in fen: a household "
                                              "below it per head is eligible for assistance")
    care_revisit_days: int = _setting(90, "days between a contact person's revisits")
    care_revisit_grace_days: int = _setting(14, "days past due before the unit secretary is told")
    # the console (issue 13)
    console_scene_ttl_s: int = _setting(120, "seconds a console login QR code (scene) stays valid")
    console_idle_timeout_s: int = _setting(8 * 3600, "a console session ends after this many "
                                                     "idle seconds")
    console_cookie_secure: bool = _setting(False, "mark the console's session cookie Secure "
                                                  "(production: true unless set to false)")
    retention_console_days: int = _setting(30, "console login scenes and ended console sessions")
    console_tile_url: str = _setting("", "map tile URL template ({z}/{x}/{y}) of an intranet "
                                         "tile server, 高德 or 天地图; empty: plain background")
    # donations (issue 14): acknowledgement texts relayed to donors
    retention_ack_days: int = _setting(180, "donation acknowledgement texts (the fact and date "
                                            "stay)")
    # Families of variables, by prefix: JOBS_<JOB>_SECONDS / JOBS_<JOB>_CRON (a job's schedule)
    # and WECHAT_TEMPLATE_<KIND> (a notification kind's template id).
    job_schedules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    wechat_templates: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(cls, config: Mapping, environ: Mapping[str, str]) -> "Settings":
        """Each field from `config` by its capitalised name, else from `environ`, else its
        default, cast to its type (RuntimeError on a value that is not)."""
        values = {}
        for spec in dataclasses.fields(cls):
            if spec.name in _FAMILIES:
                continue
            name = spec.name.upper()
            raw = config[name] if name in config else environ.get(name)
            values[spec.name] = spec.default if raw is None else _cast(name, spec.type, raw)
        for attr, prefix in _FAMILIES.items():
            found = {k: str(v) for k, v in environ.items() if k.startswith(prefix)}
            found.update({k: str(v) for k, v in config.items()
                          if isinstance(k, str) and k.startswith(prefix)})
            values[attr] = MappingProxyType(found)
        return cls(**values)

    def as_config(self) -> dict:
        """The settings as app.config keys (the families stay out: they are read by prefix)."""
        return {spec.name.upper(): getattr(self, spec.name) for spec in dataclasses.fields(self)
                if spec.name not in _FAMILIES}


_FAMILIES = {"job_schedules": "JOBS_", "wechat_templates": "WECHAT_TEMPLATE_"}


def _cast(name: str, kind, raw):
    if kind is bool:
        return _truth(name, raw)
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise RuntimeError(f"{name} must be {kind.__name__}, not {raw!r}") from None


def settings(app=None) -> Settings:
    """The settings of `app` or the current app (its config over the environment), or of the
    environment alone outside an app context (the jobs process before its app exists)."""
    if app is not None or has_app_context():
        return Settings.build((app or current_app).config, os.environ)
    return Settings.build({}, os.environ)
