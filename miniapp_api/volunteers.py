"""Volunteer endpoints: apply, review (准入), leave (准出), the secretary's list."""
from server.volunteers import services

from .common import ReasonSchema, current_actor
from .routes import Blueprint
from .volunteer_schemas import ApplySchema, VolunteerListQuery, VolunteerSchema

blp = Blueprint("volunteers", __name__, description="志愿者申请、准入审核与准出")


@blp.acts("/volunteers/apply", VolunteerSchema, ApplySchema, status=201)
def apply(body):
    """申请成为志愿者（填写技能、服务时间、每日可接任务数）"""
    return services.apply_volunteer(current_actor(), body)


@blp.lists("/volunteers", VolunteerListQuery, VolunteerSchema)
def list_volunteers(query):
    """本社区志愿者名单（书记）"""
    return services.list_volunteers(current_actor(), query.get("status"), query.get("community_id"))


@blp.reads("/volunteers/me", VolunteerSchema)
def my_volunteer():
    """我的志愿者档案"""
    return services.get_my_volunteer(current_actor())


@blp.acts("/volunteers/me/leave", VolunteerSchema, ReasonSchema)
def leave(body):
    """退出志愿者队伍（准出）"""
    return services.leave_volunteering(current_actor(), body.get("reason"))


@blp.reads("/volunteers/<int:volunteer_id>", VolunteerSchema)
def get_volunteer(volunteer_id):
    """志愿者档案（本人或所在社区书记）"""
    return services.get_volunteer(current_actor(), volunteer_id)


@blp.acts("/volunteers/<int:volunteer_id>/approve", VolunteerSchema, ReasonSchema)
def approve(body, volunteer_id):
    """准入：批准志愿者申请（本社区书记）"""
    return services.review_volunteer(current_actor(), volunteer_id, True, body.get("reason"))


@blp.acts("/volunteers/<int:volunteer_id>/reject", VolunteerSchema, ReasonSchema)
def reject(body, volunteer_id):
    """驳回志愿者申请（本社区书记）"""
    return services.review_volunteer(current_actor(), volunteer_id, False, body.get("reason"))
