"""A console login: a one-time QR scene that a mini-program user confirms, which then becomes the
browser's session until it is ended (logout, idle timeout, or a revoked role)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Created, Keyed
from ..extensions import db
from ..identity.models import GRANT_ROLES
from ..statemachine import Machine
from ..timeutil import UTCDateTime

# Who may use the console: every role that is granted with a scope (staff), never a plain
# resident or volunteer.
CONSOLE_ROLES = frozenset(GRANT_ROLES)


class ConsoleLoginStatus(StrEnum):
    WAITING = "waiting"  # the QR code is shown; nobody has scanned it yet
    CONFIRMED = "confirmed"  # a staff member confirmed it in the mini-program
    ACTIVE = "active"  # the waiting browser signed in: this row is its session
    ENDED = "ended"  # logged out, timed out, expired or revoked


CONSOLE_LOGIN = Machine("控制台登录", {
    None: {ConsoleLoginStatus.WAITING},
    ConsoleLoginStatus.WAITING: {ConsoleLoginStatus.CONFIRMED, ConsoleLoginStatus.ENDED},
    ConsoleLoginStatus.CONFIRMED: {ConsoleLoginStatus.ACTIVE, ConsoleLoginStatus.ENDED},
    ConsoleLoginStatus.ACTIVE: {ConsoleLoginStatus.ENDED},
})


class EndReason(StrEnum):
    LOGOUT = "logout"
    IDLE = "idle"
    REVOKED = "revoked"
    EXPIRED = "expired"


class ConsoleLogin(Keyed, Created, db.Model):
    __tablename__ = "console_logins"
    __table_args__ = (Index("ix_console_logins_user_status", "user_id", "status"),)
    # The QR code's one-time value (public: anyone who sees the screen sees it).
    scene: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of a secret only the browser that asked for the scene holds (in its cookie): a
    # confirmed scene signs in that browser, not whoever else read the code off the screen.
    browser_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # sha256 of the session token in the browser's cookie, once signed in.
    session_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(12))
