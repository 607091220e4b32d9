"""Configuration from the environment, with defaults that run the demo on a fresh machine."""
import os
import secrets


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
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise RuntimeError(f"{name} must be true or false, not {value!r}")


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
        "TOKEN_TTL_S": int(os.environ.get("TOKEN_TTL_S", "7200")),
        "WISH_MAX_ACTIVE_CLAIMS": int(os.environ.get("WISH_MAX_ACTIVE_CLAIMS", "5")),
        # Seconds a public page (menu; the wall as the public sees it) may come from a worker's cache.
        "PUBLIC_CACHE_S": float(os.environ.get("PUBLIC_CACHE_S", "2")),
        # Proxies (nginx, a load balancer) in front of gunicorn whose X-Forwarded-For to trust.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "MATCHING_TIME_LIMIT_S": float(os.environ.get("MATCHING_TIME_LIMIT_S", "20")),
        "MATCHING_DAYS": int(os.environ.get("MATCHING_DAYS", "7")),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "30000")),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "POLICY_VERSION": os.environ.get("POLICY_VERSION", "2026-11"),
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
