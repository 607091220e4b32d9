"""Our own short-lived access tokens: PyJWT, HS256 pinned.

A token is honoured only when it is exactly what issue_token makes: `sub` a canonical ASCII
decimal id in the range of our ids (no sign, no leading zero, no other digits), `typ` access,
a lifetime (exp - iat) no longer than the configured TOKEN_TTL_S, and `iat` not in the future
beyond a small leeway for clocks that differ between hosts.
"""
import re
from datetime import datetime, timedelta

import jwt

from ..errors import Unauthorized
from ..timeutil import utcnow

ALGORITHM = "HS256"
ISSUER = "lianxin"
LEEWAY_S = 30  # clock skew between the host that issued a token and the one checking it
MAX_USER_ID = 2**31 - 1
_CANONICAL_ID = re.compile(r"[1-9][0-9]{0,9}", re.ASCII)
_INVALID = "登录凭证无效，请重新登录"


def issue_token(user_id: int, secret: str, ttl_s: int, *, now: datetime | None = None) -> str:
    now = now or utcnow()
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_s),
              "iss": ISSUER, "typ": "access"}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def user_id_from_token(token: str, secret: str, *, max_ttl_s: int | None = None) -> int:
    """The user id a valid token names; any forged, expired, over-long or malformed token is
    401. max_ttl_s (TOKEN_TTL_S) bounds exp - iat: a validly signed ten-year token is refused."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                            leeway=LEEWAY_S, options={"require": ["sub", "exp", "iat", "iss"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("登录已过期，请重新登录")
    except jwt.PyJWTError:
        raise Unauthorized(_INVALID)
    if claims.get("typ") != "access":
        raise Unauthorized(_INVALID)
    if max_ttl_s is not None and claims["exp"] - claims["iat"] > max_ttl_s:
        raise Unauthorized(_INVALID)
    return _user_id(claims["sub"])


def _user_id(sub) -> int:
    if not isinstance(sub, str) or not _CANONICAL_ID.fullmatch(sub):
        raise Unauthorized(_INVALID)
    user_id = int(sub)
    if user_id > MAX_USER_ID:
        raise Unauthorized(_INVALID)
    return user_id
