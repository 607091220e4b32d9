"""Our own short-lived access tokens: PyJWT, HS256 pinned."""
from datetime import datetime, timedelta

import jwt

from ..errors import Unauthorized
from ..timeutil import utcnow

ALGORITHM = "HS256"
ISSUER = "lianxin"


def issue_token(user_id: int, secret: str, ttl_s: int, *, now: datetime | None = None) -> str:
    now = now or utcnow()
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_s),
              "iss": ISSUER, "typ": "access"}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def user_id_from_token(token: str, secret: str) -> int:
    """The user id a valid token names; any forged, expired or malformed token is 401."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["sub", "exp", "iat", "iss"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("登录已过期，请重新登录")
    except jwt.PyJWTError:
        raise Unauthorized("登录凭证无效，请重新登录")
    sub = claims.get("sub")
    if claims.get("typ") != "access" or not isinstance(sub, str) or not sub.isdigit():
        raise Unauthorized("登录凭证无效，请重新登录")
    return int(sub)
