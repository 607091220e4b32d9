"""Database-backed state for the WeChat client and the fake, shared by every worker process.

- DatabaseTokenStore: the stable access token cache (one row), so all workers use one token.
- DatabaseFakeState: the fake WeChat's single-use login codes and subscription grants, so a code
  used on one gunicorn worker cannot be used again on another.

A grant is WeChat's state, not ours: when the fake takes one for a message it commits at once on
a connection of its own, outside the app's transaction, so a rollback of ours (a database error
while recording the answer) does not give the grant back, exactly as real WeChat would not. The
caller must not hold a write transaction on SQLite meanwhile (the outbox sender commits before
each call; see server/notifications/sender.py).
"""
from datetime import datetime

from sqlalchemy import String, delete, update
from sqlalchemy.orm import Mapped, mapped_column

from ..database import add_once
from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class WeChatToken(db.Model):
    __tablename__ = "wechat_tokens"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(600))
    expires_at: Mapped[float]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FakeWeChatCode(db.Model):
    __tablename__ = "fake_wechat_codes"
    code: Mapped[str] = mapped_column(String(200), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FakeWeChatGrant(db.Model):
    __tablename__ = "fake_wechat_grants"
    openid: Mapped[str] = mapped_column(String(64), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    remaining: Mapped[int] = mapped_column(default=0)


class DatabaseTokenStore:
    def __init__(self, name: str = "access_token"):
        self.name = name

    def get(self):
        row = db.session.get(WeChatToken, self.name)
        return (row.token, row.expires_at) if row else None

    def put(self, token: str, expires_at: float) -> None:
        row = db.session.get(WeChatToken, self.name)
        if row is None:
            db.session.add(WeChatToken(name=self.name, token=token, expires_at=expires_at))
        else:
            row.token, row.expires_at = token, expires_at
        db.session.flush()

    def clear(self) -> None:
        self.put("", 0.0)


class DatabaseFakeState:
    def use_code(self, code: str) -> bool:
        """True the first time a code is seen; a unique key makes it race-safe across workers."""
        return add_once(FakeWeChatCode(code=code)) is not None

    def add_grant(self, openid: str, template_id: str, n: int = 1) -> None:
        row = db.session.get(FakeWeChatGrant, (openid, template_id))
        if row is None:
            db.session.add(FakeWeChatGrant(openid=openid, template_id=template_id, remaining=n))
        else:
            row.remaining += n
        db.session.flush()

    def take_grant(self, openid: str, template_id: str) -> bool:
        """Burn one grant, committed at once on its own connection (see the module docstring).

        On SQLite a caller that still holds a transaction would make that connection wait for
        its own lock (one writer at a time): there, and only there, the grant is taken in the
        caller's transaction, as before. The outbox sender never calls WeChat inside one."""
        burn = (update(FakeWeChatGrant)
                .where(FakeWeChatGrant.openid == openid, FakeWeChatGrant.template_id == template_id,
                       FakeWeChatGrant.remaining > 0)
                .values(remaining=FakeWeChatGrant.remaining - 1))
        if db.engine.dialect.name == "sqlite" and db.session().in_transaction():
            return db.session.execute(burn).rowcount == 1
        with db.engine.begin() as connection:
            return connection.execute(burn).rowcount == 1

    def forget(self, openid: str, phones: tuple[str, ...] = ()) -> None:
        """Erase what the fake remembers of a user (an account cancelled, 注销): their grants and
        the used login and phone codes that carry their openid or phone number."""
        db.session.execute(delete(FakeWeChatGrant).where(FakeWeChatGrant.openid == openid))
        prefixes = [f"fake:{openid}"] + [f"fake-phone:{phone}" for phone in phones if phone]
        for prefix in prefixes:
            db.session.execute(delete(FakeWeChatCode).where(
                (FakeWeChatCode.code == prefix) | FakeWeChatCode.code.startswith(prefix + ":",
                                                                                  autoescape=True)))
