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


def load_config(instance_path: str) -> dict:
    env = os.environ.get("LIANXIN_ENV", "development")
    production = env == "production"
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise RuntimeError("SECRET_KEY must be set in production")
        secret = "dev-" + secrets.token_hex(16) if env == "ephemeral" \
            else "lianxin-development-secret-change-me-in-production"
    elif production and len(secret.encode()) < 32:  # HS256 wants a key of at least 256 bits
        raise RuntimeError("SECRET_KEY must be at least 32 bytes in production")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WECHAT_APP_ID": os.environ.get("WECHAT_APP_ID", "wx-demo-appid"),
        "WECHAT_APP_SECRET": os.environ.get("WECHAT_APP_SECRET", "demo-secret"),
        "WECHAT_MODE": os.environ.get("WECHAT_MODE", "real" if production else "fake"),
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
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": os.environ.get(
            "SWAGGER_UI_URL", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"),
        "API_SPEC_OPTIONS": {
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    }
