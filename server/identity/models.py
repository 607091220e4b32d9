"""The org tree (district → street → community → grid), units, venues, users, roles and
consents."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Authored, Created, InCommunity, Keyed, known
from ..enums import Role  # noqa: F401  (re-exported: its usual import path)
from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class District(Keyed, db.Model):
    __tablename__ = "districts"
    name: Mapped[str] = mapped_column(String(50))
    city: Mapped[str] = mapped_column(String(50), default="")


class Street(Keyed, db.Model):
    __tablename__ = "streets"
    name: Mapped[str] = mapped_column(String(50))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    district: Mapped[District] = relationship()


class Community(Keyed, db.Model):
    __tablename__ = "communities"
    name: Mapped[str] = mapped_column(String(50))
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    lat: Mapped[float]
    lng: Mapped[float]
    # The community's outline as GeoJSON text (a Polygon or MultiPolygon), when drawn.
    boundary: Mapped[str | None] = mapped_column(Text)
    # A retired community takes no new people or tasks; it is kept for its history.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    street: Mapped[Street] = relationship()


class Grid(Keyed, InCommunity, db.Model):
    __tablename__ = "grids"
    name: Mapped[str] = mapped_column(String(50))


class Unit(Keyed, db.Model):
    """A unit's party organisation (机关/企事业单位) that volunteers belong to."""
    __tablename__ = "units"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="机关")
    # The community the unit stands linked to (共驻共建), if any.
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)


class Venue(Keyed, InCommunity, Authored, db.Model):
    """A place of a community where services are given, e.g. its 党群服务中心 (offerings and
    service days use it)."""
    __tablename__ = "venues"
    name: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float]
    lng: Mapped[float]


# --- donations (issue 14): a 爱心捐助站 / 爱心超市 is a scope of the org tree under its community,
# so a station keeper's grant names one (server/policy/scope.py).
class Station(Keyed, InCommunity, Created, db.Model):
    __tablename__ = "stations"
    name: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(120), default="")
    opening_hours: Mapped[str] = mapped_column(String(60), default="")




class PhoneSource(StrEnum):
    """How a phone number was obtained; None means typed in by its owner (unverified)."""
    WECHAT = "wechat"  # getPhoneNumber through /me/phone
    STAFF = "staff"  # entered by a secretary (or grid worker) in scope


class User(Keyed, Created, db.Model):
    __tablename__ = "users"
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    # Only a verified phone is ever shown to anyone but its owner (see contact_phone).
    phone_verified_via: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    # Household need tier (1 三无, 2 特困/失业, 3 other hardship): sensitive, needs its own consent.
    need_tier: Mapped[int | None]
    # 注销: set when the account is cancelled; the row stays as an anonymous tombstone.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    community: Mapped[Community | None] = relationship()

    @property
    def contact_phone(self) -> str | None:
        """The phone others may be shown: only one verified through WeChat or by staff."""
        return self.phone if self.phone and self.phone_verified_via else None

    def phone_for(self, viewer_id: int | None) -> str | None:
        """The phone as `viewer_id` may see it: their own always, anyone else's only verified."""
        return self.phone if viewer_id is not None and viewer_id == self.id else self.contact_phone

    def phone_source_for(self, viewer_id: int | None) -> str | None:
        """How the phone `phone_for(viewer_id)` shows was obtained (None: unverified or none)."""
        return self.phone_verified_via if self.phone_for(viewer_id) else None


GRANT_ROLES = (Role.SECRETARY, Role.ADMIN, Role.GRID_WORKER, Role.STATION_KEEPER,
               Role.UNIT_SECRETARY, Role.FUND_OFFICER, Role.LEADING_GROUP)
_SCOPE_COLUMNS = ("community_id", "street_id", "district_id", "grid_id", "unit_id", "station_id")
_ONE_SCOPE = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in _SCOPE_COLUMNS)


class RoleGrant(Keyed, db.Model):
    """A role with its scope. Residents need no grant; a revoked grant stops working at once."""
    __tablename__ = "role_grants"
    __table_args__ = (
        known(GRANT_ROLES, "role"),
        # A grant names exactly one scope (server/policy/scope.py).
        CheckConstraint(f"revoked_at IS NOT NULL OR {_ONE_SCOPE} = 1", name="one_scope"),
        Index("ix_role_grants_user_active", "user_id", "revoked_at"),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))  # station_keeper
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def scope_values(self) -> dict[str, int | None]:
        return {c: getattr(self, c) for c in _SCOPE_COLUMNS}


# The same role in the same scope is live at most once, even under concurrent grants.
Index("uq_role_grants_live", RoleGrant.user_id, RoleGrant.role,
      *(func.coalesce(getattr(RoleGrant, c), 0) for c in _SCOPE_COLUMNS), unique=True,
      sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL"))


class Consent(Keyed, db.Model):
    """A PIPL consent record: one row per grant; withdrawal stamps withdrawn_at."""
    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_user_purpose", "user_id", "purpose"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(String(40))
    policy_version: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 代办: a consent given on paper or by voice to staff (None: in the app), who witnessed it,
    # and the staff member who recorded it.
    method: Mapped[str | None] = mapped_column(String(10))
    witnessed_by: Mapped[str | None] = mapped_column(String(40))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Skill(db.Model):
    __tablename__ = "skills"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40), default="")
