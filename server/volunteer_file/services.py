"""一人一档: the volunteer's whole file, to the volunteer and to staff whose scope contains the
volunteer's community; reading (or exporting) another person's file is audited."""
from datetime import datetime

from ..audit.services import record_audit
from ..errors import NotFound
from ..excel import Column, Sheet, workbook
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Skill
from ..names import file_status, status_name
from ..points.models import PointsEntry
from ..posts.policies import manages_community
from ..privacy import mask_phone
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer
from .sections import SECTIONS


def _volunteer(actor: Actor, volunteer_id: int) -> Volunteer:
    volunteer = db.session.get(Volunteer, volunteer_id)
    own = volunteer is not None and actor.volunteer_id == volunteer.id
    if volunteer is None or not (own or manages_community(actor, volunteer.community_id)):
        raise NotFound("志愿者不存在")
    return volunteer


def _profile(actor: Actor, volunteer: Volunteer) -> dict:
    user = volunteer.user
    community = db.session.get(Community, volunteer.community_id)
    # API.md: unmasked to the owner and to a secretary of the person's community only.
    shown = user.phone_for(actor.user_id)
    if actor.user_id != user.id and not actor.manages(volunteer.community_id):
        shown = mask_phone(shown)
    return {"id": volunteer.id, "name": user.name, "phone": shown, "status": volunteer.status,
            "community_id": volunteer.community_id,
            "community": community.name if community else "",
            "unit": volunteer.unit.name if volunteer.unit else None,
            "skills": list(volunteer.skills or []), "skill_names": _skill_names(volunteer.skills),
            "is_party_member": volunteer.is_party_member,
            "applied_at": volunteer.applied_at, "left_at": volunteer.left_at}


def _skill_names(codes) -> list[str]:
    names = dict(db.session.execute(db.select(Skill.code, Skill.name)
                                    .where(Skill.code.in_(list(codes or [])))).all())
    return [names.get(code, code) for code in codes or []]


def _audit(actor: Actor, volunteer: Volunteer, action: str) -> None:
    if actor.volunteer_id != volunteer.id:
        record_audit(actor, action, "volunteer", volunteer.id,
                     scope=f"community:{volunteer.community_id}")


def volunteer_file(actor: Actor, volunteer_id: int, *, audit_action: str = "volunteer_file.read"
                   ) -> dict:
    """Profile, every section's rows, hours, points and ratings received."""
    volunteer = _volunteer(actor, volunteer_id)
    sections = {key: section.rows(volunteer) for key, section in SECTIONS.items()}
    rows = [row for section in sections.values() for row in section]
    ratings = [row["rating"] for row in rows if row.get("rating")]
    points = db.session.execute(db.select(db.func.coalesce(db.func.sum(PointsEntry.delta), 0))
                                .where(PointsEntry.volunteer_id == volunteer.id)).scalar_one()
    _audit(actor, volunteer, audit_action)
    db.session.flush()
    return {"profile": _profile(actor, volunteer), "sections": sections,
            "titles": {key: section.title for key, section in SECTIONS.items()},
            "hours": round(sum(float(row.get("hours") or 0) for row in rows), 2),
            "points": int(points), "tasks": sum(len(v) for k, v in sections.items() if k != "points"),
            "ratings": {"count": len(ratings),
                        "average": round(sum(ratings) / len(ratings), 2) if ratings else None}}


_PROFILE = [Column("项目", width=16), Column("内容", width=40)]


def _plain(value) -> datetime | str | int | float | None:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def _cell(section: str, key: str, value):
    """A section's cell as the workbook shows it: a status by its Chinese name (server/names.py)."""
    return file_status(section, value) if key == "status" else _plain(value)


def file_workbook(actor: Actor, volunteer_id: int, *, now: datetime | None = None) -> bytes:
    """The file as Excel: a profile sheet, then one sheet per section (totals where summed)."""
    data = volunteer_file(actor, volunteer_id, audit_action="volunteer_file.export")
    p = data["profile"]
    stamp = (now or utcnow()).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    summary = [["姓名", p["name"]], ["电话", p["phone"] or ""], ["状态", status_name(p["status"], "volunteer")],
               ["社区", p["community"]], ["单位", p["unit"] or ""], ["技能", _plain(p["skill_names"])],
               ["服务时长（小时）", data["hours"]], ["积分", data["points"]],
               ["任务数", data["tasks"]], ["收到评价", data["ratings"]["count"]],
               ["平均评分", data["ratings"]["average"] or ""]]
    sheets = [Sheet("档案", f"{p['name']} 一人一档（导出于 {stamp}）", _PROFILE,
                    [[k, str(v)] for k, v in summary])]
    for key, section in SECTIONS.items():
        rows = [[_cell(key, f.key, row.get(f.key)) for f in section.fields]
                for row in data["sections"][key]]
        columns = [f.column for f in section.fields]
        sheets.append(Sheet(section.title, f"{p['name']} · {section.title}", columns, rows,
                            totals=bool(rows) and any(c.total for c in columns)))
    return workbook(sheets)


