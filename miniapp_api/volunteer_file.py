"""一人一档: a volunteer's whole file, as JSON and as Excel (the volunteer; staff in scope)."""
from server.volunteer_file import services

from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint
from .volunteer_file_schemas import VolunteerFileSchema

blp = Blueprint("volunteer_file", __name__, description="一人一档：志愿者的完整档案")


@blp.reads("/volunteers/<int:volunteer_id>/file", VolunteerFileSchema)
def volunteer_file(volunteer_id):
    """一人一档：基本信息、全部任务、时长、积分、岗位、结对、评价（查看他人档案记入审计）"""
    return services.volunteer_file(current_actor(), volunteer_id)


@blp.downloads("/volunteers/<int:volunteer_id>/file.xlsx")
def volunteer_file_xlsx(volunteer_id):
    """一人一档导出为 Excel（每部分一张表；导出他人档案记入审计）"""
    body = services.file_workbook(current_actor(), volunteer_id)
    return XLSX.answer(body, f"volunteer-{volunteer_id}-file.xlsx")
