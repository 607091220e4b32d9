"""Per kind: check each row against the database (natural keys, references, scope), then write.

Natural keys: a community by street + name, a unit by name, a volunteer or resident by phone.
A row equal to what is stored changes nothing; a changed row updates; a new key creates.
"""
import json
import re
import uuid
from datetime import datetime, time

from ...config import settings
from ...extensions import db
from ...identity.models import Community, Consent, Unit, User
from ...timeutil import LOCAL_TZ
from ...volunteers.models import Volunteer, VolunteerStatus
from .context import PLACEHOLDER, Context, placeholders_by_phone

STATUSES = {"在岗": VolunteerStatus.ACTIVE, "待审核": VolunteerStatus.PENDING,
            "未通过": VolunteerStatus.REJECTED, "已退出": VolunteerStatus.LEFT}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WINDOW = re.compile(r"^(?:周|星期)([一二三四五六日天])\s*(\d{1,2}:\d{2})\s*[-~—至到]\s*(\d{1,2}:\d{2})$")
_DAILY = re.compile(r"^每天\s*(\d{1,2}:\d{2})\s*[-~—至到]\s*(\d{1,2}:\d{2})$")


def new_placeholder_openid(_row) -> str:
    return f"{PLACEHOLDER}{uuid.uuid4().hex}"


def _changed(obj, fields: dict) -> bool:
    changed = False
    for key, value in fields.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


class Planner:
    def __init__(self, scope, new_openid=None):
        self.ctx = Context(scope)
        self.scope = scope
        self.new_openid = new_openid or new_placeholder_openid
        self.seen = {}

    def duplicate(self, row, key, column) -> bool:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.errors.append((column, f"与第 {first} 行重复（同一条记录只能出现一次）"))
            return True
        return False

    def check_all(self, rows) -> None:
        """Checks needing every row at once (existing people by phone)."""


class CommunityPlanner(Planner):
    def check(self, row):
        v = row.values
        street, problem = self.ctx.street(v["street"]) if v["street"] else (None, None)
        if street is not None and not self.scope.covers_street(street.id):
            street, problem = None, "街道不在您的管辖范围内（新建社区须由街道或区级管理员导入）"
        if problem:
            row.errors.append(("街道", problem))
        _coordinates(row, v, required=True)
        if street is not None and v["name"]:
            self.duplicate(row, (street.id, v["name"]), "社区名称")
            v["street_id"] = street.id

    def apply(self, rows):
        created = updated = 0
        for row in rows:
            v = row.values
            fields = {"lat": v["lat"], "lng": v["lng"], "boundary": _boundary(v.get("boundary"))}
            existing = self.ctx.communities.get((v["street_id"], v["name"]))
            if existing is None:
                community = Community(street_id=v["street_id"], name=v["name"], **fields)
                db.session.add(community)
                self.ctx.communities[(v["street_id"], v["name"])] = community
                created += 1
            elif _changed(existing, fields):
                updated += 1
        return created, updated


class UnitPlanner(Planner):
    def check(self, row):
        v = row.values
        v["community_id"] = None
        if v.get("community"):
            community, problem = self.ctx.community(v.get("street") or "", v["community"])
            if problem:
                row.errors.append(problem)
            else:
                v["community_id"] = community.id
        elif not self.scope.district_wide:
            row.errors.append(("共建社区", "请填写共建社区（只有区级管理员可以导入不关联社区的单位）"))
        existing = self.ctx.units.get(v["name"])
        if existing is not None and not (
                self.scope.covers_community(existing.community_id) if existing.community_id
                else self.scope.district_wide):
            row.errors.append(("单位名称", "该单位由其他辖区管理"))
        if v["name"]:
            self.duplicate(row, v["name"], "单位名称")

    def apply(self, rows):
        created = updated = 0
        for row in rows:
            v = row.values
            fields = {"kind": v.get("kind") or "机关", "community_id": v["community_id"]}
            existing = self.ctx.units.get(v["name"])
            if existing is None:
                db.session.add(Unit(name=v["name"], **fields))
                created += 1
            elif _changed(existing, fields):
                updated += 1
        return created, updated


class PersonPlanner(Planner):
    """Residents and volunteers: one person per phone, in a community of the admin's scope."""
    community_column = "社区"

    def check(self, row):
        v = row.values
        community = None
        if v.get("street") and v.get("community"):
            community, problem = self.ctx.community(v["street"], v["community"])
            if problem:
                row.errors.append((self.community_column if problem[0] == "社区" else "街道",
                                   problem[1]))
        v["community_obj"] = community
        if v.get("phone"):
            self.duplicate(row, v["phone"], "手机号")
        if community is not None:
            _coordinates(row, v, required=False, default=community)
        self.check_more(row, v)

    def check_all(self, rows):
        self.people = placeholders_by_phone(r.values["phone"] for r in rows if r.values["phone"])
        for row in rows:
            user = self.people.get(row.values["phone"])
            if user is not None and user.community_id and \
                    not self.scope.covers_community(user.community_id):
                row.errors.append(("手机号", "该手机号对应的人员不在您的管辖范围内"))

    def _new_users(self, rows):
        """Insert the people not yet known, in one statement; fills self.people."""
        fresh = [r for r in rows if r.values["phone"] not in self.people]
        if not fresh:
            return 0
        params = [self.user_fields(r.values) | {"openid": self.new_openid(r.values),
                                                "phone": r.values["phone"],
                                                # entered by the organisation in scope
                                                "phone_verified_via": "staff"} for r in fresh]
        ids = db.session.execute(db.insert(User).returning(
            User.id, sort_by_parameter_order=True), params).scalars().all()
        for row, user_id in zip(fresh, ids):
            row.values["user_id"] = user_id
        return len(fresh)


class ResidentPlanner(PersonPlanner):
    def check_more(self, row, v):
        tier = v.get("need_tier")
        if tier is not None and tier not in (1, 2, 3):
            row.errors.append(("困难等级(1-3)", "困难等级只能是 1、2 或 3"))
        elif tier is not None and not v.get("hardship_consent"):
            row.errors.append(("困难等级(1-3)", "填写困难等级须有本人签署的困难信息同意书（同意书列填“是”）"))
        community = v["community_obj"]
        v["grid_id"] = None
        if v.get("grid") and community is not None:
            grid = self.ctx.grid(community.id, v["grid"])
            if grid is None:
                row.errors.append(("网格", "该社区下没有这个网格"))
            else:
                v["grid_id"] = grid.id

    def user_fields(self, v):
        return {"name": v["name"], "community_id": v["community_obj"].id, "grid_id": v["grid_id"],
                "address": v["address"], "lat": v["lat"], "lng": v["lng"],
                "need_tier": v.get("need_tier")}

    def apply(self, rows):
        created, updated = self._new_users(rows), 0
        for row in rows:
            user = self.people.get(row.values["phone"])
            if user is not None and _changed(user, self.user_fields(row.values)):
                updated += 1
        self._consents(rows)
        return created, updated

    def _consents(self, rows):
        ids = [r.values.get("user_id") or self.people[r.values["phone"]].id
               for r in rows if r.values.get("need_tier") is not None]
        if not ids:
            return
        held = set(db.session.execute(db.select(Consent.user_id).where(
            Consent.user_id.in_(ids), Consent.purpose == "hardship",
            Consent.withdrawn_at.is_(None))).scalars())
        version = settings().policy_version
        for user_id in ids:
            if user_id not in held:
                db.session.add(Consent(user_id=user_id, purpose="hardship",
                                       policy_version=version))


class VolunteerPlanner(PersonPlanner):
    community_column = "报到社区"

    def check_more(self, row, v):
        unit = self.ctx.units.get(v["unit"]) if v.get("unit") else None
        if v.get("unit") and unit is None:
            row.errors.append(("所在单位", "单位不存在，请先导入单位"))
        v["unit_id"] = unit.id if unit else None
        v["skill_codes"], problem = self.ctx.skill_codes(v.get("skills"))
        if problem:
            row.errors.append(("技能", problem))
        v["windows"], problem = _availability(v.get("availability"))
        if problem:
            row.errors.append(("服务时间", problem))
        for key, header, low, high, default in (
                ("capacity_per_day", "每日可接任务数", 1, 10, 2),
                ("max_distance_m", "服务半径(米)", 200, 50_000, 5000)):
            if v.get(key) is None:
                v[key] = default
            elif not low <= v[key] <= high:
                row.errors.append((header, f"应在 {low} 到 {high} 之间"))
        v["status_code"] = STATUSES.get(v.get("status") or "在岗")
        if v["status_code"] is None:
            row.errors.append(("状态", "状态只能是：" + "、".join(STATUSES)))

    def user_fields(self, v):
        community = v["community_obj"]
        return {"name": v["name"], "community_id": community.id,
                "lat": community.lat, "lng": community.lng}

    def volunteer_fields(self, v):
        fields = {"community_id": v["community_obj"].id, "unit_id": v["unit_id"],
                  "skills": v["skill_codes"], "availability": v["windows"],
                  "capacity_per_day": v["capacity_per_day"], "max_distance_m": v["max_distance_m"],
                  "lat": v["lat"], "lng": v["lng"], "status": v["status_code"]}
        if v.get("reported_on"):
            fields["applied_at"] = datetime.combine(v["reported_on"], time(), LOCAL_TZ)
        return fields

    def apply(self, rows):
        created = self._new_users(rows)
        known = [self.people[r.values["phone"]].id for r in rows if r.values["phone"] in self.people]
        profiles = {}
        for i in range(0, len(known), 500):
            profiles.update({vol.user_id: vol for vol in db.session.execute(db.select(
                Volunteer).where(Volunteer.user_id.in_(known[i:i + 500]))).scalars()})
        inserts, updated = [], 0
        for row in rows:
            v = row.values
            user = self.people.get(v["phone"])
            user_id = v.get("user_id") or user.id
            profile = profiles.get(user_id)
            fields = self.volunteer_fields(v)
            if profile is None:
                inserts.append(fields | {"user_id": user_id})
                created += user is not None
            else:
                user_changed = _changed(user, {"name": v["name"]})
                updated += _changed(profile, fields) or user_changed
        if inserts:
            db.session.execute(db.insert(Volunteer), inserts)
        return created, updated


def _coordinates(row, v, *, required, default=None):
    for key, limit in (("lat", 90), ("lng", 180)):
        value = v.get(key)
        if value is None and default is not None:
            v[key] = getattr(default, key)
        elif value is not None and not -limit <= value <= limit:
            row.errors.append((row.headers[key], f"应在 -{limit} 到 {limit} 之间"))


def _boundary(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _availability(text):
    if not text:
        return [{"weekday": d, "start": "09:00", "end": "17:00"} for d in (5, 6)], None
    windows = []
    for part in (p.strip() for p in re.split(r"[；;，,\n]+", text) if p.strip()):
        daily, weekly = _DAILY.match(part), _WINDOW.match(part)
        if weekly:
            days, start, end = [_WEEKDAYS[weekly.group(1)]], weekly.group(2), weekly.group(3)
        elif daily:
            days, start, end = list(range(7)), daily.group(1), daily.group(2)
        else:
            return None, f"无法识别“{part[:20]}”，请写成“周六09:00-12:00”或“每天09:00-11:00”"
        start, end = start.zfill(5), end.zfill(5)
        if not ("00:00" <= start < end <= "24:00") or start[3] > "5" or end[3] > "5":
            return None, f"时间有误：“{part[:20]}”"
        windows += [{"weekday": d, "start": start, "end": end} for d in days]
    return windows[:28], None


PLANNERS = {"communities": CommunityPlanner, "units": UnitPlanner,
            "volunteers": VolunteerPlanner, "residents": ResidentPlanner}
